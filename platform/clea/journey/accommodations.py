"""Accommodations (aménagements, R3): recorded per file by staff, shown on the grid and the session sheet,
sent in the jury snapshot (French labels only, never the justification)."""

from __future__ import annotations

from django.db import transaction

from clea.accounts.models import User
from clea.journey.models import AccommodationRecord, CandidateFileRecord
from clea.kernel.accommodations import Accommodation, AccommodationKind, check_accommodation, jury_lines


def do_record_accommodation(
    file_id: int, kind: str, detail: str, justification_seen: bool, user: User
) -> AccommodationRecord:
    accommodation = check_accommodation(kind, detail)
    with transaction.atomic():
        record = CandidateFileRecord.objects.select_for_update().get(pk=file_id)
        return AccommodationRecord.objects.create(
            file=record,
            kind=accommodation.kind.value,
            detail=accommodation.detail,
            justification_seen=justification_seen,
            recorded_by=user,
        )


def accommodations_of(file_id: int) -> list[Accommodation]:
    return [
        Accommodation(AccommodationKind(r.kind), r.detail, r.justification_seen)
        for r in AccommodationRecord.objects.filter(file_id=file_id)
    ]


def labels_of(file_id: int) -> tuple[str, ...]:
    return jury_lines(accommodations_of(file_id))


def present(record: AccommodationRecord) -> dict[str, object]:
    return {
        "id": record.pk,
        "kind": record.kind,
        "label": AccommodationKind(record.kind).label_fr,
        "detail": record.detail,
        "justification_seen": record.justification_seen,
        "recorded_by_id": record.recorded_by_id,
        "recorded_at": record.recorded_at.isoformat(),
    }
