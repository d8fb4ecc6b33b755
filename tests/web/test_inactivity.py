"""Issue 13 §7: idle files flagged on the staff home and the daily reminder sweep (injected date), once per level."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.web.helpers import file_at

from clea.journey import inactivity
from clea.outbox.models import OutboxMessage
from clea.tasks.inactivity import REMINDER_TASK, remind_inactive_files, send_inactivity_reminder
from clea.tasks.schedules import SCHEDULES

pytestmark = pytest.mark.db

Clients = Callable[..., Any]


def _queued(schema: str) -> list[list[int]]:
    with schema_context(schema):
        return [list(m.args) for m in OutboxMessage.objects.filter(task_name=REMINDER_TASK).order_by("id")]


def test_the_sweep_is_scheduled_daily_in_every_organisation() -> None:
    sweep = next(s for s in SCHEDULES if s.task == "clea.tasks.inactivity.remind_inactive_files")
    assert sweep.all_tenants and isinstance(sweep.hour, int)


def test_idle_levels_and_one_reminder_per_level(db: None, org_a: Any, org_b: Any) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    with schema_context(schema):
        counsellor.email = "conseil-idle@example.test"
        counsellor.save(update_fields=["email"])
    file_id = file_at(schema, "training", counsellor, name=("Isolde", "Quenneville"))
    today = timezone.localdate()
    with schema_context(schema):
        assert inactivity.idle_files(today + timedelta(days=59), counsellor) == []
        [idle] = inactivity.idle_files(today + timedelta(days=60), counsellor)
        assert (idle.file_id, idle.level, idle.idle_days) == (file_id, 1, 60)
        assert remind_inactive_files(today=str(today + timedelta(days=61))) == 1
        assert remind_inactive_files(today=str(today + timedelta(days=62))) == 0  # same level: nothing more
        assert remind_inactive_files(today=str(today + timedelta(days=170))) == 1  # level 2
        assert remind_inactive_files(today=str(today + timedelta(days=181))) == 1  # level 3
        assert remind_inactive_files(today=str(today + timedelta(days=400))) == 0
    assert _queued(schema) == [[file_id, 1, 61], [file_id, 2, 170], [file_id, 3, 181]]
    with schema_context(org_b.schema_name):  # B's sweep sees none of A's files
        names = {i.candidate_name for i in inactivity.idle_files(today + timedelta(days=400))}
        assert "Isolde Quenneville" not in names
    with schema_context(schema):
        assert send_inactivity_reminder(file_id, 3, 181) == 1
    [message] = [m for m in mail.outbox if "conseil-idle@example.test" in m.to]
    assert "sans activité" in message.subject and "181 jours" in message.body


def test_settings_move_the_thresholds_and_are_checked(db: None, org_a: Any) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "evaluated", counsellor)
    today = timezone.localdate()
    with schema_context(schema):
        assert [i.file_id for i in inactivity.idle_files(today + timedelta(days=70), counsellor)] == [file_id]
        with override_settings(CLEA_INACTIVITY_DAYS=(10, 20, 30)):
            [idle] = inactivity.idle_files(today + timedelta(days=25), counsellor)
            assert idle.level == 2
        with override_settings(CLEA_INACTIVITY_DAYS=(30, 10)), pytest.raises(Exception, match="increasing"):
            inactivity.idle_files(today, counsellor)


def test_the_counsellor_home_flags_idle_files_with_their_level(org_a: Any, web_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "training", counsellor, name=("Oriane", "Delacourt"))
    web = web_client_for(org_a, user=counsellor)
    fresh = web.get("/").content.decode()
    assert "Dossiers sans activité" in fresh and "Aucun dossier sans activité." in fresh
    with override_settings(CLEA_INACTIVITY_DAYS=(0 + 1, 2, 3)):
        with schema_context(schema):
            from clea.journey.models import DecisionRecord

            DecisionRecord.objects.filter(file_id=file_id).update(at=timezone.now() - timedelta(days=2))
            from clea.journey.models import CandidateFileRecord

            CandidateFileRecord.objects.filter(pk=file_id).update(created_at=timezone.now() - timedelta(days=2))
        page = web.get("/").content.decode()
    assert "Oriane Delacourt" in page and "Niveau 2" in page
    trainer_home = web_client_for(org_a, "trainer").get("/")
    assert "Dossiers sans activité" not in trainer_home.content.decode()
