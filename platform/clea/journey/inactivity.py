"""Issue 13 §7: files without activity (no decision, sitting, note or evidence) for a while.

The levels are the kernel's (:func:`clea.kernel.journey.inactivity_level`); the thresholds are the setting
``CLEA_INACTIVITY_DAYS`` (defaults 60, 165 and 180 days). The counsellor's home lists the flagged files and a
daily beat task (:mod:`clea.tasks.inactivity`) reminds the counsellor by e-mail, once per file and level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from clea.accounts.models import User
from clea.journey.models import CandidateFileRecord, DecisionRecord, Evidence, ProgressNote
from clea.journey.models.sitting import SittingRecord
from clea.kernel.journey import ACTIVE_STATES, LEVEL_LABELS_FR, inactivity_level
from clea.kernel.journey.inactivity import check_thresholds, idle_days

# Files still under way that someone should move forward (a file at the jury waits for the federation).
WATCHED_STATES: tuple[str, ...] = tuple(s.value for s in ACTIVE_STATES if s.value not in {"submitted", "expired"})


@dataclass(frozen=True)
class IdleFile:
    file_id: int
    candidate_name: str
    counsellor_id: int | None
    last_activity: date
    idle_days: int
    level: int

    @property
    def label(self) -> str:
        return LEVEL_LABELS_FR[min(self.level, max(LEVEL_LABELS_FR))]


def thresholds() -> tuple[int, ...]:
    return check_thresholds(getattr(settings, "CLEA_INACTIVITY_DAYS", (60, 165, 180)))


def _latest(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.values(field).order_by(f"-{field}")[:1], output_field=DateTimeField())


def with_last_activity(files: QuerySet[CandidateFileRecord]) -> QuerySet[CandidateFileRecord]:
    """Annotate ``last_activity``: the latest decision, sitting, progress note or evidence (else creation)."""
    here = OuterRef("pk")
    return files.annotate(
        last_activity=Greatest(
            Coalesce(_latest(DecisionRecord.objects.filter(file=here), "at"), "created_at"),
            Coalesce(_latest(Evidence.objects.filter(file=here), "uploaded_at"), "created_at"),
            Coalesce(
                _latest(SittingRecord.objects.filter(open_evaluation__file=here), "recorded_at"),
                "created_at",
            ),
            Coalesce(_latest(ProgressNote.objects.filter(path__file=here), "created_at"), "created_at"),
        )
    )


def idle_files(today: date, counsellor: User | None = None, limit: int | None = None) -> list[IdleFile]:
    """The watched files idle for at least the first threshold on ``today``, the longest idle first."""
    levels = thresholds()
    tz = ZoneInfo(settings.TIME_ZONE)
    files = CandidateFileRecord.objects.filter(state__in=WATCHED_STATES).select_related("candidate")
    if counsellor is not None:
        files = files.filter(counsellor=counsellor)
    annotated = with_last_activity(files).order_by("last_activity", "pk")  # type: ignore[misc]
    found: list[IdleFile] = []
    for record in annotated.iterator():
        last: datetime = record.last_activity  # type: ignore[attr-defined]
        day = last.astimezone(tz).date()
        level = inactivity_level(day, today, levels)
        if level == 0:
            break  # ordered by last activity: the rest are more recent
        found.append(
            IdleFile(record.pk, record.candidate.full_name, record.counsellor_id, day, idle_days(day, today), level)
        )
        if limit is not None and len(found) >= limit:
            break
    return found


def reminder_key(schema: str, idle: IdleFile) -> str:
    """One reminder per file, level and period of inactivity (new activity starts a new period)."""
    return f"{schema}:inactivity:{idle.file_id}:{idle.last_activity.isoformat()}:{idle.level}"


def message_lines(items: Iterable[IdleFile]) -> str:
    return "\n".join(
        f"- dossier n° {i.file_id} ({i.candidate_name}) : sans activité depuis {i.idle_days} jours — {i.label}"
        for i in items
    )
