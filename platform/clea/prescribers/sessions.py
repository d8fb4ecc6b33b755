"""An evaluating organisation's next collective sessions, as a prescriber may see them.

Sessions live in each organisation's schema (``clea.collective``); they are read there with
``schema_context``, one query per organisation, future ones only (today's once started are left out), a few
each. Nothing personal leaves the schema: no evaluator, no enrolled person, no contact line, no video link —
only the day, the times, the place (or "à distance"), the branch modality and the seats left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from django_tenants.utils import schema_context

from clea.collective.models import CollectiveSession

SESSIONS_EACH = 3


@dataclass(frozen=True)
class UpcomingSession:
    on: date
    starts_at: time
    ends_at: time
    place: str
    remote: bool
    modality: str
    seats_left: int


def next_sessions(schema_name: str, limit: int = SESSIONS_EACH, now: datetime | None = None) -> list[UpcomingSession]:
    """The organisation's next ``limit`` collective sessions (one query, in its schema)."""
    moment = timezone.localtime(now) if now is not None else timezone.localtime()
    today = moment.date()
    with schema_context(schema_name):
        rows = list(
            CollectiveSession.objects.filter(Q(on__gt=today) | Q(on=today, starts_at__gt=moment.time()))
            .annotate(enrolled=Count("enrolments"))
            .order_by("on", "starts_at", "pk")
            .values("on", "starts_at", "ends_at", "place", "video_link", "modality", "capacity", "enrolled")[:limit]
        )
    return [
        UpcomingSession(
            on=row["on"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            place=row["place"],
            remote=bool(row["video_link"]),
            modality=row["modality"],
            seats_left=max(int(row["capacity"]) - int(row["enrolled"]), 0),
        )
        for row in rows
    ]
