"""From a tenant's decision to its public fact: run in the organisation's schema (task or rebuild).

The fact of an évaluation préalable also says which sub-domains were not acquired by it
(``missing_subdomains``: referential codes such as ``"3.1,7.2"``, never anything about the person).
Decisions a file brought along from another organisation (transfer, R2) were published there, not here.
"""

from __future__ import annotations

from typing import Any

from clea.facts.models import JourneyFact
from clea.facts.services import public_detail, publish
from clea.journey import repository
from clea.journey.models import AccommodationRecord, CandidateFileRecord, DecisionRecord
from clea.kernel.journey import DecisionKind
from clea.kernel.mastery import EvaluationKind, compute_mastery
from clea.referentials.registry import get_referential
from clea_tenants.models import Accreditation, Organisation
from clea_tenants.schemas import current_schema

MISSING_KEY = "missing_subdomains"
ACCOMMODATIONS_KEY = "accommodations"
REPUBLISHED_FIELDS = [
    "candidate",
    "kind",
    "from_state",
    "to_state",
    "at",
    "region",
    "prescriber_type",
    "branches",
    "referential_id",
    "detail",
]


def organisation_context() -> tuple[Organisation, list[str]]:
    """This schema's organisation and its branches (active accreditations)."""
    organisation = Organisation.objects.get(schema_name=current_schema())
    branches = Accreditation.objects.filter(organisation=organisation, revoked_at__isnull=True).values_list(
        "branch__code", flat=True
    )
    return organisation, sorted(branches)


def missing_at_initial(file_id: int, decision: DecisionRecord) -> str:
    """Sub-domains the file's évaluation préalable of ``decision`` left to acquire, as ``"3.1,7.2"``.

    The n-th initial-evaluation decision of a file records its n-th initial evaluation (both are stored
    together); an évaluation préalable is always the first counted evaluation of the file (R3, R8 restart).
    """
    ordinal = DecisionRecord.objects.filter(
        file_id=file_id, kind=DecisionKind.INITIAL_EVALUATION.value, pk__lt=decision.pk
    ).count()
    _, file = repository.load_file(file_id)
    initials = [e for e in (*file.archived_evaluations, *file.evaluations) if e.kind is EvaluationKind.INITIAL]
    if ordinal >= len(initials):
        return ""
    report = compute_mastery(get_referential(file.referential_id), (initials[ordinal],))
    return ",".join(sub.code for sub in report.subdomains if not sub.acquired)


def accommodation_kinds(file_id: int) -> list[str]:
    """The kinds of accommodation recorded on the file when the fact is published (issue 13 §3): codes of
    :class:`clea.kernel.accommodations.AccommodationKind` only, never the detail nor the justification."""
    return sorted(set(AccommodationRecord.objects.filter(file_id=file_id).values_list("kind", flat=True)))


def fact_fields(
    organisation: Organisation, branches: list[str], record: CandidateFileRecord, decision: DecisionRecord
) -> dict[str, Any]:
    detail = dict(decision.detail or {})
    if decision.kind == DecisionKind.INITIAL_EVALUATION.value:
        detail[MISSING_KEY] = missing_at_initial(int(record.pk), decision)
    detail[ACCOMMODATIONS_KEY] = accommodation_kinds(int(record.pk))
    return {
        "organisation": organisation.slug,
        "region": organisation.region,
        "branches": list(branches),
        "candidate": str(record.candidate.pseudonym),
        "file_ref": str(record.pk),
        "decision_id": int(decision.pk),
        "kind": decision.kind,
        "from_state": decision.from_state,
        "to_state": decision.to_state,
        "at": decision.at,
        "prescriber_type": record.prescriber_type,
        "referential_id": decision.referential_id,
        "detail": detail,
    }


def publish_decision(file_id: int, decision_id: int) -> tuple[bool, str]:
    """Publish one decision of this schema (once): whether the fact is new, and the organisation's slug."""
    decision = DecisionRecord.objects.get(pk=decision_id, file_id=file_id)
    record = CandidateFileRecord.objects.select_related("candidate").get(pk=file_id)
    organisation, branches = organisation_context()
    _, created = publish(**fact_fields(organisation, branches, record, decision))
    return created, organisation.slug


def own_decisions(record: CandidateFileRecord) -> list[DecisionRecord]:
    """The decisions taken in this organisation: those a transferred file brought along are left out."""
    decisions = list(DecisionRecord.objects.filter(file=record).order_by("id"))
    if not record.transferred_from:
        return decisions
    arrived = next((d.pk for d in decisions if d.kind == DecisionKind.TRANSFERRED_IN.value), None)
    return [d for d in decisions if arrived is not None and d.pk >= arrived]


def republish_schema() -> tuple[str, int]:
    """Publish again every decision of this schema, replacing the stored facts (idempotent recovery).

    Returns the organisation's slug and the number of facts written.
    """
    organisation, branches = organisation_context()
    facts: list[JourneyFact] = []
    for record in CandidateFileRecord.objects.select_related("candidate").order_by("id"):
        for decision in own_decisions(record):
            fields = fact_fields(organisation, branches, record, decision)
            fields["detail"] = public_detail(fields["detail"])
            fields["branches"] = sorted(fields["branches"])
            facts.append(JourneyFact(**fields))
    JourneyFact.objects.bulk_create(
        facts,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organisation", "file_ref", "decision_id"],
        update_fields=REPUBLISHED_FIELDS,
    )
    return organisation.slug, len(facts)
