"""Propreté validation rules (EXAMPLE rules for the branch to adapt)."""

from __future__ import annotations

from collections.abc import Sequence

from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.rules import evaluated_subdomains, require_methods
from clea_plugins.types import Method, Modality, ValidationIssue

CODE = "proprete"
ON_SITE_SUBDOMAINS = ("7.1", "7.2", "7.4")  # hygiene rules, products and gestures, waste sorting


def hygiene_on_site(
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    """Hygiene, products, gestures and waste are assessed on a real site (client premises), not in a room."""
    issues = []
    for sub, criteria in sorted(evaluated_subdomains(referential, evaluation).items()):
        if sub not in ON_SITE_SUBDOMAINS:
            continue
        used = [m for m in modalities if m.subdomain == sub]
        if used and not any(m.on_site for m in used):
            issues.append(
                ValidationIssue(
                    CODE,
                    f"{CODE}.hygiene_on_site",
                    f"Propreté : le sous-domaine {sub} (hygiène, produits, gestes, déchets) s'évalue sur un site "
                    "réel (locaux d'un client), pas en salle.",
                    f"Propreté: sub-domain {sub} (hygiene, products, gestures, waste) is assessed on a real site "
                    "(client premises), not in a classroom.",
                    subdomain=sub,
                    criteria=criteria,
                )
            )
    return issues


def digital_by_doing(
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    """Digital skills (domain 3) are shown on a device (a digital test or a hands-on simulation)."""
    return require_methods(
        CODE,
        f"{CODE}.digital_by_doing",
        referential,
        evaluation,
        modalities,
        scope=("3",),
        allowed=(Method.EPREUVE_NUMERIQUE, Method.MISE_EN_SITUATION_PROFESSIONNELLE),
        message_fr="Propreté : le sous-domaine {subdomain} s'évalue sur un appareil (smartphone de pointage, "
        "tablette), pas par : {methods}.",
        message_en="Propreté: sub-domain {subdomain} is assessed on a device (clock-in phone, tablet), "
        "not by: {methods}.",
    )


RULES = (hygiene_on_site, digital_by_doing)
