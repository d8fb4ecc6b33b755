"""Publishing pseudonymised facts of a tenant's decisions to the public schema."""

from __future__ import annotations

from clea.celery import task
from clea.facts.services import publish
from clea.journey.models import CandidateFileRecord, DecisionRecord
from clea_tenants.models import Accreditation, Organisation
from clea_tenants.schemas import current_schema


@task("clea.tasks.facts.publish_decision_fact")
def publish_decision_fact(file_id: int, decision_id: int) -> bool:
    """One fact per decision (unique by organisation, file and decision): ``True`` if it was new."""
    decision = DecisionRecord.objects.get(pk=decision_id, file_id=file_id)
    record = CandidateFileRecord.objects.select_related("candidate").get(pk=file_id)
    organisation = Organisation.objects.get(schema_name=current_schema())
    branches = Accreditation.objects.filter(organisation=organisation, revoked_at__isnull=True).values_list(
        "branch__code", flat=True
    )
    _, created = publish(
        organisation=organisation.slug,
        region=organisation.region,
        branches=list(branches),
        candidate=str(record.candidate.pseudonym),
        file_ref=str(record.pk),
        decision_id=decision.pk,
        kind=decision.kind,
        from_state=decision.from_state,
        to_state=decision.to_state,
        at=decision.at,
        prescriber_type=record.prescriber_type,
        referential_id=decision.referential_id,
        detail=decision.detail or {},
    )
    return created
