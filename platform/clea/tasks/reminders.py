"""R8, run daily in every organisation (fanned out by the scheduler): reminders before the 5-year deadline,
expiry once it has passed. ``today`` (ISO date) may be injected; it defaults to the real date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from django.db import transaction

from clea.celery import task
from clea.journey import notifications, services
from clea.journey.models import CandidateFileRecord
from clea.kernel.clock import FixedClock, SystemClock
from clea.kernel.journey import Actor, FileState, due_reminders
from clea.kernel.ports import Clock
from clea.tasks.ledger import claim
from clea_tenants.schemas import current_schema

# Files whose training path runs against the 5-year window.
OPEN_STATES = (FileState.EVALUATED.value, FileState.TRAINING.value)


def clock_for(today: str | None) -> Clock:
    if not today:
        return SystemClock()
    return FixedClock(datetime.combine(date.fromisoformat(today), time(6, 0), tzinfo=UTC))


def system_actor(purpose: str) -> Actor:
    return Actor(f"system:{purpose}", "system", current_schema())


@task("clea.tasks.reminders.send_due_reminders", bind=True)
def send_due_reminders(self: Any, today: str | None = None) -> int:
    """Send the R8 reminders that are due in this organisation; each reminder once. Returns how many."""
    day = clock_for(today).today()
    sent = 0
    files = CandidateFileRecord.objects.filter(state__in=OPEN_STATES, deadline__isnull=False, deadline__gte=day)
    for file_id in files.values_list("pk", flat=True):
        sent += _remind(file_id, day, self.name, self.request.id or "")
    return sent


def _remind(file_id: int, day: date, task_name: str, task_id: str) -> int:
    with transaction.atomic():
        files = CandidateFileRecord.objects.select_for_update(of=("self",)).select_related("candidate", "counsellor")
        record = files.get(pk=file_id)
        assert record.deadline is not None
        already = frozenset(int(n) for n in record.reminders_sent)
        due = due_reminders(record.deadline, day, already)
        if not due:
            return 0
        reminder = min(due, key=lambda r: r.days_before)  # the closest one; earlier missed ones are covered by it
        key = f"{current_schema()}:reminder:{file_id}:{record.deadline.isoformat()}:{reminder.days_before}"
        if claim(key, task_name, task_id):
            notifications.send(notifications.reminder_messages(record, record.deadline, reminder.days_before))
        record.reminders_sent = sorted(already | {r.days_before for r in due}, reverse=True)
        record.save(update_fields=["reminders_sent"])
        return 1


@task("clea.tasks.reminders.expire_overdue_files")
def expire_overdue_files(today: str | None = None) -> int:
    """R8: files whose 5-year window is over are expired by the system. Returns how many."""
    clock = clock_for(today)
    overdue = CandidateFileRecord.objects.filter(state__in=OPEN_STATES, deadline__lt=clock.today())
    expired = 0
    for file_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            locked = CandidateFileRecord.objects.select_for_update().filter(pk=file_id, state__in=OPEN_STATES)
            if not locked.exists():  # expired meanwhile (a redelivered task, another worker)
                continue
            services.do_expire(file_id, system_actor("r8"), clock)
            expired += 1
    return expired
