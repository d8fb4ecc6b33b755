"""Transport–logistique validation rules (EXAMPLE rules for the branch to adapt)."""

from __future__ import annotations

from collections.abc import Sequence

from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.rules import evaluated_subdomains, require_methods
from clea_plugins.types import Method, Modality, Severity, ValidationIssue

CODE = "transport_logistique"
HANDLING = "7.2"  # gestes et postures: manual handling in the warehouse
MAX_HANDLING_GROUP = 4
IN_CONTEXT = (
    Method.MISE_EN_SITUATION_PROFESSIONNELLE,
    Method.OBSERVATION_EN_SITUATION_DE_TRAVAIL,
    Method.EPREUVE_NUMERIQUE,
)


def handling_observed(
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    """Manual handling is observed doing it, by an evaluator watching at most 4 candidates at once."""
    issues = require_methods(
        CODE,
        f"{CODE}.handling_observed",
        referential,
        evaluation,
        modalities,
        scope=(HANDLING,),
        allowed=(Method.OBSERVATION_EN_SITUATION_DE_TRAVAIL, Method.MISE_EN_SITUATION_PROFESSIONNELLE),
        message_fr="Transport–logistique : la manutention ({subdomain}) s'observe en la pratiquant, pas par : "
        "{methods}.",
        message_en="Transport–logistique: manual handling ({subdomain}) is observed while done, not by: {methods}.",
    )
    criteria = evaluated_subdomains(referential, evaluation).get(HANDLING)
    crowded = [m for m in modalities if m.subdomain == HANDLING and m.group_size > MAX_HANDLING_GROUP]
    if criteria and crowded:
        issues.append(
            ValidationIssue(
                CODE,
                f"{CODE}.handling_group_size",
                f"Transport–logistique : au plus {MAX_HANDLING_GROUP} candidats observés à la fois pour la "
                f"manutention (prévu : {max(m.group_size for m in crowded)}).",
                f"Transport–logistique: at most {MAX_HANDLING_GROUP} candidates observed at once for manual "
                f"handling (planned: {max(m.group_size for m in crowded)}).",
                subdomain=HANDLING,
                criteria=criteria,
            )
        )
    return issues


def documents_in_context(
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    """Reading (1.3) and measures (2.3) use real trade documents: a warning when only written or oral."""
    return require_methods(
        CODE,
        f"{CODE}.documents_in_context",
        referential,
        evaluation,
        modalities,
        scope=("1.3", "2.3"),
        allowed=IN_CONTEXT,
        message_fr="Transport–logistique : le sous-domaine {subdomain} devrait s'appuyer sur de vrais documents "
        "(bon de livraison, étiquette colis), pas seulement : {methods}.",
        message_en="Transport–logistique: sub-domain {subdomain} should use real documents (delivery note, "
        "parcel label), not only: {methods}.",
        severity=Severity.WARNING,
    )


RULES = (handling_observed, documents_in_context)
