"""What the pages show of the accredited branches (R3): the modality choice, modalities per sub-domain, the
evaluation plan, training suggestions, branch issues and warnings.

Only the branches the organisation is accredited for are asked (``clea.journey.branches.tenant_branches``).
A plugin that raises surfaces as ``clea_plugins.PluginError``: ``clea.web.access.role_required`` answers a
502 page naming it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clea.journey.branches import WARNINGS_DETAIL, BranchRuleViolation
from clea.journey.presenters import modality_dict
from clea.kernel.journey import Objective
from clea.kernel.referential import Referential
from clea_plugins.manager import BranchCaller
from clea_plugins.types import Severity

NO_ACCREDITATION = gettext_lazy(
    "Cet organisme n'est habilité pour aucune branche : la fédération doit accorder une habilitation avant toute "
    "évaluation."
)

# Refusals of the evaluation's modality: shown next to the « Modalité d'évaluation » select.
MODALITY_ERRORS = frozenset(
    {
        "no_accredited_branch",
        "modality_required",
        "modality_not_accredited",
        "modality_unknown",
        "modality_mixed_branches",
        "branch_not_accredited",
    }
)


@dataclass(frozen=True)
class BranchOption:
    code: str
    name: str


@dataclass
class BranchBlock:
    """One branch's modalities for one sub-domain of the grid (shown when that branch is chosen)."""

    code: str
    name: str
    modalities: list[dict[str, Any]]


@dataclass
class BranchIssue:
    detail: str
    code: str
    error: bool


@dataclass
class BranchModalities:
    """The accredited branches and, by branch then sub-domain, their modalities (``modality_dict`` items)."""

    options: list[BranchOption]
    by_branch: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [option.code for option in self.options]

    def default(self) -> str:
        """Preselected when the organisation holds exactly one accreditation."""
        return self.options[0].code if len(self.options) == 1 else ""

    def blocks(self, subdomain: str) -> list[BranchBlock]:
        return [
            BranchBlock(option.code, option.name, self.by_branch.get(option.code, {}).get(subdomain, []))
            for option in self.options
        ]


def branch_modalities(caller: BranchCaller, referential: Referential) -> BranchModalities:
    options = [BranchOption(identity.code, identity.name) for identity in caller.identities()]
    result = BranchModalities(options)
    if not options:
        return result
    for modality in caller.evaluation_modalities(referential):
        if modality.branch in caller.branches:
            by_subdomain = result.by_branch.setdefault(modality.branch, {})
            by_subdomain.setdefault(modality.subdomain, []).append(modality_dict(modality))
    return result


def chosen_modality(branch: str, keys: Sequence[str]) -> tuple[str, str]:
    """What to record as the evaluation's ``modality`` (branch, or the chosen keys) and a refusal, if any.

    Checked keys must belong to the branch chosen in the select (keys of a hidden branch are refused here,
    before anything is sent to the journey services).
    """
    keys = [key.strip() for key in keys if key.strip()]
    if not keys:
        return branch, ""
    if branch and any(key.split(":", 1)[0] != branch for key in keys):
        return "", _("Les modalités cochées doivent relever de la branche choisie dans « Modalité d'évaluation ».")
    return ",".join(dict.fromkeys(keys)), ""


def issues_by_subdomain(exc: BranchRuleViolation) -> tuple[dict[str, list[BranchIssue]], list[BranchIssue]]:
    """The branch's issues placed next to their sub-domain; those without one are returned apart."""
    placed: dict[str, list[BranchIssue]] = {}
    loose: list[BranchIssue] = []
    for issue in (*exc.errors, *exc.warnings):
        item = BranchIssue(issue.message_fr, issue.code, issue.severity is Severity.ERROR)
        if issue.subdomain:
            placed.setdefault(issue.subdomain, []).append(item)
        else:
            loose.append(item)
    return placed, loose


def training_offers(
    caller: BranchCaller, referential: Referential, objectives: Iterable[Objective]
) -> dict[str, list[dict[str, Any]]]:
    """The accredited branches' training suggestions for the gaps, by sub-domain."""
    objectives = tuple(objectives)
    if not caller.branches or not objectives:
        return {}
    names = {identity.code: identity.name for identity in caller.identities()}
    offers: dict[str, list[dict[str, Any]]] = {}
    for offer in caller.training_offer(referential, objectives):
        offers.setdefault(offer.subdomain, []).append(
            {
                "title": offer.title,
                "hours": offer.hours,
                "provider_hint": offer.provider_hint,
                "branch": offer.branch,
                "branch_name": names.get(offer.branch, offer.branch),
            }
        )
    return offers


def decision_branch_facts(detail: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The branch used by a decision and its warnings (``detail["branch_warnings"]``, one per line)."""
    branch = str(detail.get("branch", "") or "")
    warnings = [line.strip() for line in str(detail.get(WARNINGS_DETAIL, "") or "").splitlines() if line.strip()]
    return {"branch": branch, "branch_name": names.get(branch, branch), "branch_warnings": warnings}
