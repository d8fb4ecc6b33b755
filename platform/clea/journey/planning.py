"""Planning an évaluation préalable with the chosen branch (R3: one or several days).

The branch plugin plans (``clea_evaluation_plan``, firstresult, called on the chosen branch only); this module
builds the candidate profile the hook needs (nothing personal: the file reference and the practical
constraints typed by the counsellor) and presents the plan for the API and the web page alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from clea.journey.branches import ModalityRequired, NoAccreditedBranch, tenant_branches
from clea.journey.presenters import modality_dict
from clea.kernel.errors import DomainError
from clea.kernel.referential import Referential
from clea_plugins.manager import BranchCaller
from clea_plugins.types import CandidateProfile, EvaluationPlan

DEFAULT_MINUTES_PER_DAY = 360
MIN_MINUTES_PER_DAY = 30
MAX_MINUTES_PER_DAY = 600
START_WINDOW_DAYS = (-366, 5 * 366)  # a plan starts between a year ago and five years ahead (the R8 window)


def start_error(start: date, today: date) -> str:
    """Why ``start`` cannot begin a plan (French), or ``""``."""
    earliest, latest = (today + timedelta(days=offset) for offset in START_WINDOW_DAYS)
    if earliest <= start <= latest:
        return ""
    return f"Le premier jour doit être compris entre le {earliest:%d/%m/%Y} et le {latest:%d/%m/%Y}."


class PlanUnavailable(DomainError):
    def __init__(self, branch: str, referential: Referential) -> None:
        super().__init__(
            "plan_unavailable",
            "R3",
            f"La branche « {branch} » ne propose pas de plan d'évaluation pour le référentiel {referential.identity}.",
            f"Branch {branch!r} offers no evaluation plan for referential {referential.identity}.",
        )
        self.branch = branch


@dataclass(frozen=True)
class PlanRequest:
    """What the counsellor asks for: the branch, the first possible day and the candidate's constraints."""

    branch: str
    start: date
    max_minutes_per_day: int = DEFAULT_MINUTES_PER_DAY
    on_site_possible: bool = True
    adjustments: tuple[str, ...] = ()


def candidate_profile(file_ref: str, request: PlanRequest) -> CandidateProfile:
    """The profile passed to the plugin: the file reference and the constraints, never the person's identity."""
    return CandidateProfile(
        reference=file_ref,
        max_minutes_per_day=request.max_minutes_per_day,
        on_site_possible=request.on_site_possible,
        adjustments=tuple(a for a in request.adjustments if a),
    )


def default_branch(caller: BranchCaller, wanted: str = "") -> str:
    """The branch to plan with: the one asked for, or the only accredited one (else ``modality_required``)."""
    wanted = wanted.strip()
    if wanted:
        caller.for_branch(wanted)  # branch_not_accredited (400) outside the accreditations
        return wanted
    if not caller.branches:
        raise NoAccreditedBranch()
    if len(caller.branches) != 1:
        raise ModalityRequired(caller.branches)
    return next(iter(caller.branches))


def evaluation_plan(
    file_ref: str, referential: Referential, request: PlanRequest, caller: BranchCaller | None = None
) -> EvaluationPlan:
    """The branch's plan (a ``PluginError`` propagates: the views answer 502 naming the plugin)."""
    caller = caller or tenant_branches()
    if not caller.branches:
        raise NoAccreditedBranch()
    plan = caller.evaluation_plan(
        referential, candidate_profile(file_ref, request), request.start, branch=request.branch
    )
    if plan is None:
        raise PlanUnavailable(request.branch, referential)
    return plan


def present_plan(plan: EvaluationPlan, referential: Referential, branch_names: dict[str, str]) -> dict[str, Any]:
    """The plan as JSON: each day with its minutes and, in order, its sub-domains and their modalities."""
    titles = {sub.code: sub.title for _domain, sub in referential.iter_subdomains()}
    days = []
    for day in plan.days:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for modality in day.modalities:
            grouped.setdefault(modality.subdomain, []).append(modality_dict(modality))
        days.append(
            {
                "on": day.on.isoformat(),
                "minutes": day.minutes,
                "subdomains": [
                    {"code": code, "title": titles.get(code, ""), "modalities": modalities}
                    for code, modalities in grouped.items()
                ],
            }
        )
    return {
        "branch": plan.branch,
        "branch_name": branch_names.get(plan.branch, plan.branch),
        "referential_id": plan.referential_id,
        "starts_on": plan.starts_on.isoformat() if plan.days else None,
        "ends_on": plan.ends_on.isoformat() if plan.days else None,
        "total_minutes": sum(day.minutes for day in plan.days),
        "subdomains_planned": len(plan.subdomains),
        "days": days,
        "notes": list(plan.notes),
    }


def branch_names(caller: BranchCaller) -> dict[str, str]:
    return {identity.code: identity.name for identity in caller.identities()}


def split_adjustments(text: str | Iterable[str]) -> tuple[str, ...]:
    """Free-text arrangements, one per line or comma-separated (``tiers temps, pas de port de charges``)."""
    items = text.replace("\n", ",").split(",") if isinstance(text, str) else list(text)
    return tuple(item.strip()[:200] for item in items if item.strip())[:20]
