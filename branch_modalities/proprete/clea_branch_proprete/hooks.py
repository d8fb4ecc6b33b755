"""Hook implementations of the Propreté branch plugin (entry point ``clea.branches: proprete``).

EXAMPLE content: the branch adapts the data file and the rules; the shape of this module can stay.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from functools import cache

from clea.kernel.journey import Decision, DecisionKind, Objective
from clea.kernel.jury import JurySnapshot
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_branch_proprete import __version__, rules
from clea_plugins import (
    BranchIdentity,
    CandidateProfile,
    EvaluationPlan,
    JuryFileSection,
    Modality,
    TrainingOffer,
    ValidationIssue,
    hookimpl,
)
from clea_plugins.data import BranchData, load_branch_data
from clea_plugins.planning import pack_days

CODE = "proprete"
SUPPORTED_REFERENTIALS = frozenset({"CLEA"})
logger = logging.getLogger(f"clea.branch.{CODE}")


@cache
def data() -> BranchData:
    return load_branch_data("clea_branch_proprete")


@hookimpl
def clea_branch_identity() -> BranchIdentity:
    return BranchIdentity(
        code=CODE,
        name="Propreté et services associés (EXEMPLE)",
        version=__version__,
        description=(
            "EXEMPLE à adapter par la branche : évaluation CléA en contexte de nettoyage de locaux "
            "(bureaux, santé, commerces), hygiène et produits évalués sur site."
        ),
        contact="referent-clea@proprete.example.org",
        not_covered=data().not_covered,
    )


@hookimpl
def clea_evaluation_modalities(referential: Referential) -> list[Modality]:
    if referential.code not in SUPPORTED_REFERENTIALS:
        return []
    return list(data().modalities)


@hookimpl
def clea_evaluation_plan(
    referential: Referential, candidate_profile: CandidateProfile, start: date
) -> EvaluationPlan | None:
    if referential.code not in SUPPORTED_REFERENTIALS:
        return None
    return pack_days(CODE, referential, data().modalities, candidate_profile, start)


@hookimpl
def clea_validate_evaluation(
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    return rules.issues(referential, evaluation, modalities)


@hookimpl
def clea_training_offer(referential: Referential, objectives: Sequence[Objective]) -> list[TrainingOffer]:
    if referential.code not in SUPPORTED_REFERENTIALS:
        return []
    return data().training_offers(objectives)


@hookimpl
def clea_jury_file_sections(snapshot: JurySnapshot) -> list[JuryFileSection]:
    return [
        JuryFileSection(
            "Propreté — conditions d'évaluation",
            (
                "Hygiène, produits, gestes et tri des déchets évalués sur un site réel (locaux d'un client).",
                f"Pièces jointes au dossier : {len(snapshot.evidence)}.",
            ),
            CODE,
        )
    ]


@hookimpl
def clea_journey_event(decision: Decision, organisation: str) -> None:
    if decision.kind is DecisionKind.TRAINING_PATH:
        logger.info(
            "proprete: parcours proposé (%s) : vérifier les sites d'accueil pour la mise en pratique", organisation
        )
