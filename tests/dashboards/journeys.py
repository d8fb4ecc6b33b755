"""Journeys for the dashboard tests, walked through the journey services with a fixed clock, and an
independent recount of the figures from the organisations' own tables."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django_tenants.utils import schema_context, tenant_context
from tests.fixtures.tenants import luhn_siret, make_user

from clea.dashboards.rollups import refresh_file
from clea.facts.publication import publish_decision
from clea.journey import services
from clea.journey.models import Candidate, CandidateFileRecord, CriterionResultRecord, DecisionRecord, EvaluationRecord
from clea.kernel.clock import FixedClock
from clea.kernel.journey import Actor, Consent, PrescriberType, Referral
from clea.kernel.mastery import CriterionResult, Evaluation, EvaluationKind, compute_mastery
from clea.referentials.registry import default_referential, get_referential

JURY = Actor("jury:test", "jury", "public")
STEPS = ("referred", "opened", "initial", "path", "final", "submitted", "decided")


def provision(slug: str, siret_prefix: str, region: str, branches: tuple[str, ...]) -> Any:
    from clea_tenants.accreditations import ensure_accredited, sync_branches
    from clea_tenants.models import Organisation
    from clea_tenants.provisioning import provision_organisation

    organisation = Organisation.objects.filter(slug=slug).first() or provision_organisation(
        name=f"Organisme {slug}",
        slug=slug,
        siret=luhn_siret(siret_prefix),
        region=region,
        contact_email=f"contact@{slug}.example",
        admin_email=f"admin@{slug}.example",
        admin_password="admin-password-for-tests",
    )
    sync_branches()
    ensure_accredited(organisation, branches)
    organisation.refresh_from_db()
    return organisation


@dataclass
class Plan:
    """One candidate's journey: how far it goes, its gaps at the évaluation préalable, the jury's outcome."""

    first_name: str
    last_name: str
    start: datetime
    until: str = "decided"
    gaps: frozenset[str] = frozenset()
    outcome: str = "certified"
    prescriber: PrescriberType | None = PrescriberType.FRANCE_TRAVAIL
    pace_days: tuple[int, ...] = (1, 2, 3, 120, 2, 20)  # days before each step after the welcome
    withdraw: bool = False
    withdraw_reason: str = "moved"
    emails: list[str] = field(default_factory=list)


def walk(org: Any, plan: Plan) -> int:
    """Walk one file through the services (in ``org``'s schema); returns its id."""
    clock = FixedClock(plan.start)
    schema = org.schema_name
    modality = sorted(org.accreditations.filter(revoked_at__isnull=True).values_list("branch__code", flat=True))[0]
    with tenant_context(org):
        counsellor, evaluator, trainer = (make_user(schema, r) for r in ("counsellor", "counsellor", "trainer"))
        email = f"{plan.first_name.lower()}.{plan.last_name.lower()}@example.test"
        plan.emails.append(email)
        candidate = Candidate.objects.create(first_name=plan.first_name, last_name=plan.last_name, email=email)
        referral = Referral(plan.prescriber, "Agence Quastorvia", plan.start.date()) if plan.prescriber else None
        file_id = int(services.do_refer(candidate, counsellor, referral, clock=clock).record.pk)
        referential = default_referential()
        steps = STEPS[1 : STEPS.index(plan.until) + 1]
        for step, days in zip(steps, plan.pace_days, strict=False):
            clock.advance(days=days)
            if step == "opened":
                services.do_open_file(file_id, None, Consent("Certification CléA", clock.today()), counsellor, clock)
            elif step == "initial":
                results = [
                    services.ResultInput(c, referential.subdomain_of_criterion[c] not in plan.gaps)
                    for c in sorted(referential.criterion_codes)
                ]
                services.do_record_evaluation(
                    file_id,
                    None,
                    EvaluationKind.INITIAL,
                    evaluator,
                    [clock.today()],
                    results,
                    counsellor,
                    modality,
                    clock,
                )
            elif step == "path" and plan.gaps:
                services.do_propose_path(file_id, None, trainer, "Organisme de formation", None, counsellor, clock)
            elif step == "final" and plan.gaps:
                path = services.load(file_id).file.paths[-1]
                results = [services.ResultInput(c, True) for c in sorted(path.objective_criteria)]
                services.do_record_evaluation(
                    file_id,
                    None,
                    EvaluationKind.FINAL,
                    evaluator,
                    [clock.today()],
                    results,
                    counsellor,
                    modality,
                    clock,
                )
            elif step == "submitted":
                services.do_submit(file_id, None, counsellor, clock)
            elif step == "decided":
                reasons = "Motifs du refus" if plan.outcome == "refused" else ""
                services.do_record_jury_outcome(file_id, plan.outcome, JURY, reasons=reasons, clock=clock)
        if plan.withdraw:
            clock.advance(days=1)
            services.do_withdraw(file_id, None, plan.withdraw_reason, counsellor, clock)
    return file_id


def publish_all(schema: str, shuffle: Any = None) -> int:
    """What the publication task does, for every decision of ``schema`` (optionally in a shuffled order)."""
    with schema_context(schema):
        pairs = list(DecisionRecord.objects.order_by("id").values_list("file_id", "id"))
        if shuffle is not None:
            shuffle(pairs)
        for file_id, decision_id in pairs:
            _, organisation = publish_decision(file_id, decision_id)
            refresh_file(organisation, str(file_id))
    return len(pairs)


# --- independent recount, from each organisation's own tables -------------------------------------------


@dataclass
class Recount:
    stage: Counter[str] = field(default_factory=Counter)
    straight: int = 0
    gaps: int = 0
    missing: Counter[str] = field(default_factory=Counter)
    jury: Counter[str] = field(default_factory=Counter)
    to_certificate: list[int] = field(default_factory=list)
    training: list[int] = field(default_factory=list)
    withdrawals: Counter[str] = field(default_factory=Counter)

    def expected(self) -> dict[str, Any]:
        decided = self.jury["certified"] + self.jury["refused"]
        initial = self.straight + self.gaps
        return {
            "files": sum(self.stage.values()),
            "funnel": {k: v for k, v in self.stage.items() if v},
            "initial_evaluations": initial,
            "straight_to_jury": self.straight,
            "files_decided": decided,
            "certification_rate": round(self.jury["certified"] / decided, 4) if decided else None,
            "jury_decisions": {k: self.jury[k] for k in ("certified", "refused", "adjourned")},
            "missing": dict(self.missing),
            "to_certificate": (len(self.to_certificate), _median(self.to_certificate)),
            "training": (len(self.training), _median(self.training)),
            "withdrawals": {k: v for k, v in self.withdrawals.items() if v},
        }


def _median(values: list[int]) -> int | None:
    return statistics.median_low(values) if values else None


def observed(figures: dict[str, Any]) -> dict[str, Any]:
    """The same shape as :meth:`Recount.expected`, from the computed figures (top sub-domains: all of them)."""
    return {
        "files": figures["files"],
        "funnel": {row["state"]: row["count"] for row in figures["funnel"] if row["count"]},
        "initial_evaluations": figures["initial_evaluations"],
        "straight_to_jury": figures["straight_to_jury"],
        "files_decided": figures["files_decided"],
        "certification_rate": figures["certification_rate"],
        "jury_decisions": figures["jury_decisions"],
        "missing": {row["code"]: row["count"] for row in figures["missing_subdomains"]},
        "to_certificate": (figures["time_to_certificate"]["count"], figures["time_to_certificate"]["median_days"]),
        "training": (figures["training"]["count"], figures["training"]["median_days"]),
        "withdrawals": {row["reason"]: row["count"] for row in figures["withdrawals"]["by_reason"] if row["count"]},
    }


def recount(
    organisations: list[Any],
    *,
    start: date = date.min,
    end: date = date.max,
    region: str = "",
    branch: str = "",
    organisation: str = "",
    prescriber_type: str = "",
) -> Recount:
    """Count straight from each organisation's journey tables: files, decisions, evaluations and results."""
    tz = ZoneInfo(settings.TIME_ZONE)
    total = Recount()

    def day(at: datetime) -> date:
        return at.astimezone(tz).date()

    for org in organisations:
        branches = set(org.accreditations.filter(revoked_at__isnull=True).values_list("branch__code", flat=True))
        if (region and org.region != region) or (branch and branch not in branches):
            continue
        if organisation and org.slug != organisation:
            continue
        with schema_context(org.schema_name):
            for record in CandidateFileRecord.objects.order_by("id"):
                if prescriber_type and (record.prescriber_type or "none") != prescriber_type:
                    continue
                decisions = list(DecisionRecord.objects.filter(file=record).order_by("at", "id"))
                if start <= day(decisions[0].at) <= end:
                    total.stage[record.state] += 1
                initials = list(
                    EvaluationRecord.objects.filter(file=record, kind=EvaluationKind.INITIAL.value).order_by("id")
                )
                initial_on = path_on = None
                for decision in decisions:
                    on = day(decision.at)
                    inside = start <= on <= end
                    if decision.kind == "initial_evaluation":
                        initial_on = on
                        if inside:
                            if decision.to_state == "ready_for_jury":
                                total.straight += 1
                            else:
                                total.gaps += 1
                            total.missing.update(_missing(initials.pop(0), record.referential_id))
                    elif decision.kind == "training_path":
                        path_on = on
                    elif decision.kind == "final_evaluation" and path_on is not None:
                        if inside:
                            total.training.append((on - path_on).days)
                        path_on = None
                    elif decision.kind == "withdrawn" and inside:
                        total.withdrawals[decision.detail.get("reason_code") or "unspecified"] += 1
                    elif decision.kind == "jury_decision" and inside:
                        outcome = decision.detail["outcome"]
                        total.jury[outcome] += 1
                        if outcome == "certified" and initial_on is not None:
                            total.to_certificate.append((on - initial_on).days)
    return total


def _missing(evaluation: EvaluationRecord, referential_id: str) -> list[str]:
    rows = CriterionResultRecord.objects.filter(evaluation=evaluation)
    results = tuple(CriterionResult(r.criterion, r.acquired, r.evaluated_on, r.evaluator_ref) for r in rows)
    kernel_evaluation = Evaluation(EvaluationKind.INITIAL, referential_id, "x", tuple(evaluation.days), results)
    report = compute_mastery(get_referential(referential_id), (kernel_evaluation,))
    return [sub.code for sub in report.subdomains if not sub.acquired]


def at(year: int, month: int, day_: int) -> datetime:
    return datetime(year, month, day_, 9, 0, tzinfo=UTC)
