"""Expected periodic tasks: missing, late or on time (clea.tasks.schedule_health), on the real beat tables."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from clea.observability.checks import registered_checks
from clea.tasks.schedule_health import GRACE, check_schedules
from clea.tasks.schedules import SCHEDULES, setup_schedules

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def states() -> dict[str, str]:
    return {name: value["state"] for name, value in check_schedules().data.items()}


def test_nothing_registered_is_missing_everything() -> None:
    PeriodicTask.objects.filter(name__in=[s.name for s in SCHEDULES]).delete()
    detail = check_schedules()
    assert not detail.ok and set(states().values()) == {"missing"}
    missing = {s.labels["schedule"]: s.value for s in detail.samples if s.name == "clea_periodic_task_missing"}
    assert missing == {s.name: 1.0 for s in SCHEDULES}
    assert registered_checks()["schedules"] is check_schedules


def test_registered_and_run_on_time_is_ok_then_late_once_a_due_time_passes_unrun() -> None:
    setup_schedules()
    now = timezone.now()
    PeriodicTask.objects.filter(name__in=[s.name for s in SCHEDULES]).update(last_run_at=now)
    assert set(states().values()) == {"ok"} and check_schedules().ok

    daily = next(s for s in SCHEDULES if s.hour != "*")
    PeriodicTask.objects.filter(name=daily.name).update(last_run_at=now - timedelta(days=2))
    found = states()
    assert found[daily.name] == "late"
    assert all(state == "ok" for name, state in found.items() if name != daily.name)
    late = {s.labels["schedule"]: s.value for s in check_schedules().samples if s.name == "clea_periodic_task_late"}
    assert late[daily.name] == 1.0 and sum(late.values()) == 1.0

    minute = next(s for s in SCHEDULES if s.minute == "*")  # the outbox relay: every minute
    PeriodicTask.objects.filter(name=minute.name).update(last_run_at=now - GRACE + timedelta(minutes=1))
    assert states()[minute.name] == "ok"  # within the grace period
    PeriodicTask.objects.filter(name=minute.name).update(last_run_at=now - GRACE - timedelta(minutes=2))
    assert states()[minute.name] == "late"


def test_a_disabled_schedule_counts_as_missing() -> None:
    setup_schedules()
    PeriodicTask.objects.filter(name=SCHEDULES[0].name).update(enabled=False, last_run_at=timezone.now())
    assert states()[SCHEDULES[0].name] == "missing"
