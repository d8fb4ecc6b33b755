"""Validation helpers for ``clea_validate_evaluation``: the checks every branch makes, and a rule builder.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.types import Method, Modality, Severity, ValidationIssue


def evaluated_subdomains(referential: Referential, evaluation: Evaluation) -> dict[str, tuple[str, ...]]:
    """Evaluated sub-domain → the criteria of it present in the evaluation (known criteria only)."""
    found: dict[str, list[str]] = {}
    for result in evaluation.results:
        sub = referential.subdomain_of_criterion.get(result.criterion)
        if sub is not None:
            found.setdefault(sub, []).append(result.criterion)
    return {sub: tuple(codes) for sub, codes in found.items()}


def common_issues(
    branch: str, referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    """Referential version, unknown criteria, foreign modalities, sub-domains evaluated without a modality."""
    issues: list[ValidationIssue] = []
    if evaluation.referential_id != referential.identity:
        issues.append(
            ValidationIssue(
                branch,
                f"{branch}.referential_mismatch",
                f"L'évaluation porte sur le référentiel {evaluation.referential_id}, "
                f"le dossier sur {referential.identity}.",
                f"The evaluation is on referential {evaluation.referential_id}, the file on {referential.identity}.",
            )
        )
    unknown = referential.unknown_criteria({result.criterion for result in evaluation.results})
    if unknown:
        issues.append(
            ValidationIssue(
                branch,
                f"{branch}.unknown_criterion",
                f"Critères inconnus du référentiel : {', '.join(unknown)}.",
                f"Criteria unknown to the referential: {', '.join(unknown)}.",
                criteria=tuple(unknown),
            )
        )
    for modality in modalities:
        if modality.branch != branch:
            issues.append(
                ValidationIssue(
                    branch,
                    f"{branch}.foreign_modality",
                    f"La modalité {modality.key} n'appartient pas à la branche {branch}.",
                    f"Modality {modality.key} does not belong to branch {branch}.",
                    subdomain=modality.subdomain,
                )
            )
        elif modality.subdomain not in referential.subdomains_by_code:
            issues.append(
                ValidationIssue(
                    branch,
                    f"{branch}.unknown_subdomain",
                    f"La modalité {modality.key} vise un sous-domaine inconnu du référentiel.",
                    f"Modality {modality.key} targets a sub-domain unknown to the referential.",
                    subdomain=modality.subdomain,
                )
            )
    used = {modality.subdomain for modality in modalities}
    for sub, criteria in sorted(evaluated_subdomains(referential, evaluation).items()):
        if sub not in used:
            issues.append(
                ValidationIssue(
                    branch,
                    f"{branch}.no_modality",
                    f"Le sous-domaine {sub} a été évalué sans modalité d'évaluation déclarée.",
                    f"Sub-domain {sub} was evaluated without a declared evaluation modality.",
                    subdomain=sub,
                    criteria=criteria,
                )
            )
    return issues


def require_methods(
    branch: str,
    code: str,
    referential: Referential,
    evaluation: Evaluation,
    modalities: Sequence[Modality],
    *,
    scope: Collection[str],
    allowed: Collection[Method],
    message_fr: str,
    message_en: str,
    severity: Severity = Severity.ERROR,
) -> list[ValidationIssue]:
    """Every evaluated sub-domain in ``scope`` (sub-domain or domain codes) used at least one ``allowed`` method.

    ``message_fr``/``message_en`` may use ``{subdomain}`` and ``{methods}`` (the methods actually used).
    """
    def in_scope(sub: str) -> bool:
        return any(sub == code or sub.startswith(f"{code}.") for code in scope)

    issues = []
    for sub, criteria in sorted(evaluated_subdomains(referential, evaluation).items()):
        if not in_scope(sub):
            continue
        used = [modality.method for modality in modalities if modality.subdomain == sub]
        if used and any(method in allowed for method in used):
            continue
        if not used:
            continue  # reported once by common_issues (no_modality)
        methods = ", ".join(method.label_fr for method in used)
        issues.append(
            ValidationIssue(
                branch,
                code,
                message_fr.format(subdomain=sub, methods=methods),
                message_en.format(subdomain=sub, methods=", ".join(method.value for method in used)),
                subdomain=sub,
                criteria=criteria,
                severity=severity,
            )
        )
    return issues
