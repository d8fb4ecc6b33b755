"""BTP validation rules (EXAMPLE rules for the branch to adapt)."""

from __future__ import annotations

from collections.abc import Sequence

from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.rules import evaluated_subdomains, require_methods
from clea_plugins.types import Method, Modality, Severity, ValidationIssue

CODE = "btp"
REAL_WORK = (Method.OBSERVATION_EN_SITUATION_DE_TRAVAIL, Method.MISE_EN_SITUATION_PROFESSIONNELLE)
FIRST_AID_SUBDOMAIN = "7.3"


def domain7_in_real_work_situation(
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    """Domain 7 (gestes, postures, sécurité) is observed on the job or in a faithful mise en situation."""
    return require_methods(
        CODE,
        f"{CODE}.domain7_real_situation",
        referential,
        evaluation,
        modalities,
        scope=("7",),
        allowed=REAL_WORK,
        message_fr=(
            "BTP : les critères du sous-domaine {subdomain} (gestes, postures, sécurité) doivent être observés "
            "en situation réelle de travail ou en mise en situation professionnelle, pas par : {methods}."
        ),
        message_en=(
            "BTP: criteria of sub-domain {subdomain} (gestures, posture, safety) must be observed in a real "
            "work situation or a professional simulation, not by: {methods}."
        ),
    )


def first_aid_needs_evidence(
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality] = ()
) -> list[ValidationIssue]:
    """An acquired first-aid criterion cites evidence (SST card, simulation grid): a warning otherwise."""
    criteria = evaluated_subdomains(referential, evaluation).get(FIRST_AID_SUBDOMAIN, ())
    bare = tuple(r.criterion for r in evaluation.results if r.criterion in criteria and r.acquired and not r.evidence)
    if not bare:
        return []
    return [
        ValidationIssue(
            CODE,
            f"{CODE}.first_aid_evidence",
            f"BTP : joindre une preuve (carte SST, grille de simulation) pour {', '.join(bare)}.",
            f"BTP: attach evidence (first-aid card, simulation grid) for {', '.join(bare)}.",
            subdomain=FIRST_AID_SUBDOMAIN,
            criteria=bare,
            severity=Severity.WARNING,
        )
    ]


RULES = (domain7_in_real_work_situation, first_aid_needs_evidence)
