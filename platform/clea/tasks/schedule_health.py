"""Is every expected periodic task registered, enabled and run on time? (``/healthz/detail``, ``/metrics``)

Expected: each :data:`clea.tasks.schedules.SCHEDULES` entry. *Missing*: no enabled ``PeriodicTask`` of that name
and task (``setup_schedules`` not run: the chart runs it at every install and upgrade). *Late*: the last run (or,
never run, the registration) was followed by a due time more than :data:`GRACE` ago — beat is down, stuck, or
its schedules were disabled. Readiness never depends on this: a late reminder does not stop pages.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from django.db import DatabaseError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from clea.observability.checks import Detail, Sample
from clea.tasks.schedules import SCHEDULES, Schedule

#: A periodic task is late once its due time is this far behind (beat ticks, fan-out across tenants).
GRACE: Final = timedelta(minutes=15)


def next_due(task: PeriodicTask, after: datetime) -> datetime:
    """The first due time of ``task``'s registered schedule after ``after`` (its crontab's own time zone)."""
    schedule: Any = task.schedule  # django-celery-beat's TzAwareCrontab (or interval) as beat reads it
    if not hasattr(schedule, "remaining_delta"):  # an interval set by hand
        return after + schedule.run_every  # type: ignore[no-any-return]
    start, delta, _ = schedule.remaining_delta(after)  # delta: a timedelta or a ffwd
    due: datetime = start + delta
    return due


def schedule_state(schedule: Schedule, task: PeriodicTask | None, now: datetime) -> dict[str, Any]:
    if task is None or not task.enabled or task.task != schedule.task:
        return {"state": "missing", "task": schedule.task, "last_run_at": None}
    since = task.last_run_at or task.date_changed
    due = next_due(task, since)
    late = now > due + GRACE
    return {
        "state": "late" if late else "ok",
        "task": schedule.task,
        "last_run_at": task.last_run_at.isoformat() if task.last_run_at else None,
        "due_at": due.isoformat(),
    }


def check_schedules(now: datetime | None = None) -> Detail:
    """One entry per expected schedule: ``ok``, ``late`` or ``missing``."""
    now = now or timezone.now()
    try:
        tasks = {t.name: t for t in PeriodicTask.objects.filter(name__in=[s.name for s in SCHEDULES])}
    except DatabaseError as exc:
        return Detail(ok=False, data={"error": f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:150]}"})
    states = {s.name: schedule_state(s, tasks.get(s.name), now) for s in SCHEDULES}
    samples = tuple(
        Sample(
            f"clea_periodic_task_{problem}",
            f"1 when the expected periodic task is {problem} (clea.tasks.schedule_health)",
            {"schedule": name, "task": state["task"]},
            1.0 if state["state"] == problem else 0.0,
        )
        for name, state in states.items()
        for problem in ("missing", "late")
    )
    return Detail(ok=all(v["state"] == "ok" for v in states.values()), data=states, samples=samples)
