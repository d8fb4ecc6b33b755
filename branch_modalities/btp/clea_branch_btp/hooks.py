"""Hook implementations of the BTP branch plugin (entry point ``clea.branches: btp``).

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
from clea_branch_btp import __version__, rules
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

CODE = "btp"
SUPPORTED_REFERENTIALS = frozenset({"CLEA"})
OBSERVATION_PREFIX = "obs-btp:"  # evidence references of clea_branch_btp.observations
logger = logging.getLogger(f"clea.branch.{CODE}")


@cache
def data() -> BranchData:
    return load_branch_data("clea_branch_btp")


@hookimpl
def clea_branch_identity() -> BranchIdentity:
    return BranchIdentity(
        code=CODE,
        name="Bâtiment et travaux publics (EXEMPLE)",
        version=__version__,
        description=(
            "EXEMPLE à adapter par la branche : évaluation CléA en contexte de chantier (plâtrerie, "
            "maçonnerie, second œuvre), domaine 7 observé en situation réelle de travail."
        ),
        contact="referent-clea@btp.example.org",
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
    observations = tuple(ref for ref in snapshot.evidence if ref.startswith(OBSERVATION_PREFIX))
    lines = (
        tuple(f"Observation sur chantier : {ref.removeprefix(OBSERVATION_PREFIX)}" for ref in observations)
        if observations
        else ("Aucune fiche d'observation sur chantier jointe au dossier.",)
    )
    return [
        JuryFileSection(
            "BTP — modalité d'évaluation",
            ("Domaine 7 évalué en situation réelle de travail ou en mise en situation professionnelle.", *lines),
            CODE,
        )
    ]


@hookimpl
def clea_journey_event(decision: Decision, organisation: str) -> None:
    if decision.kind is DecisionKind.INITIAL_EVALUATION:
        logger.info(
            "btp: évaluation préalable enregistrée (%s) : penser à classer les fiches d'observation chantier",
            organisation,
        )
