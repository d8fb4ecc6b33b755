"""Reliability: idempotency, a worker killed mid-task, retries with back-off, failed tasks and their retry."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from celery.result import AsyncResult
from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from tests.fixtures.tenants import make_user
from tests.tasks.conftest import WAIT_SECONDS, Mailbox, Worker, wait_for
from tests.tasks.helpers import new_file, staff

from clea.facts.models import JourneyFact
from clea.journey.models import DecisionRecord, Document
from clea.tasks.base import CleaTask
from clea.tasks.diagnostics import probe
from clea.tasks.documents import generate_partial_attestation
from clea.tasks.facts import publish_decision_fact
from clea.tasks.models import FailedTask, TaskExecution, TaskProbe

pytestmark = [pytest.mark.db, pytest.mark.worker]
NOTIFY = "clea.tasks.notifications.notify_decision"


def test_the_same_message_delivered_twice_has_one_effect(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any]
) -> None:
    org_a, _ = task_orgs
    token = str(uuid.uuid4())
    task_id = str(uuid.uuid4())
    with schema_context(org_a.schema_name):
        probe.apply_async(args=[token], task_id=task_id)
        probe.apply_async(args=[token], task_id=task_id)  # the very same message, twice
        again = probe.apply_async(args=[token])  # and a duplicate send under another id
    assert again.get(timeout=WAIT_SECONDS)["schema"] == org_a.schema_name
    wait_for(lambda: AsyncResult(task_id).successful(), what="the first deliveries")
    assert TaskProbe.objects.filter(token=token).count() == 1
    assert TaskExecution.objects.filter(key=f"{org_a.schema_name}:probe:{token}").count() == 1


def test_journey_tasks_sent_twice_have_one_effect(committed: None, worker: Worker, task_orgs: tuple[Any, Any]) -> None:
    org_a, _ = task_orgs
    file_id = new_file(org_a.schema_name, staff(org_a.schema_name), email="twice@example.test", state="evaluated")
    with schema_context(org_a.schema_name):
        decision = DecisionRecord.objects.filter(file_id=file_id).latest("id")
        results = [task.delay(file_id, decision.pk) for task in (publish_decision_fact, publish_decision_fact)]
        documents = [generate_partial_attestation.delay(file_id, decision.pk) for _ in range(3)]
    for result in (*results, *documents):
        result.get(timeout=WAIT_SECONDS)
    facts = JourneyFact.objects.filter(organisation=org_a.slug, file_ref=str(file_id), decision_id=decision.pk)
    assert facts.count() == 1
    with schema_context(org_a.schema_name):
        assert Document.objects.filter(file_id=file_id).count() == 1


def test_a_worker_killed_mid_task_leaves_it_to_the_next_one_exactly_once(
    committed: None, worker_factory: Any, task_orgs: tuple[Any, Any]
) -> None:
    org_a, _ = task_orgs
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-kill"
    first = worker_factory("kill-first", queues=(queue,))
    token = str(uuid.uuid4())
    with schema_context(org_a.schema_name):
        result = probe.apply_async(args=[token], kwargs={"seconds": 6.0}, queue=queue)
    wait_for(lambda: result.state == "STARTED", what="the slow task to start on the first worker")
    assert str(result.info["hostname"]).startswith("kill-first@")
    first.kill()  # SIGKILL of the whole worker, mid-task: the message was never acknowledged
    killed_at = time.monotonic()
    assert not TaskProbe.objects.filter(token=token).exists()  # its transaction died with it

    second = worker_factory("kill-second", queues=(queue,))
    assert result.get(timeout=WAIT_SECONDS)["ran"] is True  # redelivered after the visibility timeout
    # ... within the bound the settings promise: visibility timeout + one restore sweep (docs/DEPLOYMENT.md),
    # plus the second worker's start-up on a loaded machine
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    bound = options["visibility_timeout"] + options["unacked_restore_interval"] * options["unacked_restore_throttle"]
    assert time.monotonic() - killed_at < bound + 30
    rows = list(TaskProbe.objects.filter(token=token))
    assert len(rows) == 1 and rows[0].hostname.startswith("kill-second@") and rows[0].schema_name == org_a.schema_name
    second.stop()


def test_transient_failures_are_retried_with_exponential_back_off(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any]
) -> None:
    org_a, _ = task_orgs
    token = str(uuid.uuid4())
    with schema_context(org_a.schema_name):
        outcome = probe.delay(token, fail_times=2).get(timeout=WAIT_SECONDS)
    assert outcome["attempt"] == 2 and outcome["schema"] == org_a.schema_name  # two OperationalErrors, then done
    assert TaskProbe.objects.get(token=token).attempt == 2
    assert not FailedTask.objects.filter(args__0=token).exists()
    # The policy every task inherits: back-off doubling from CLEA_TASK_RETRY_BACKOFF, with jitter and a cap.
    assert probe.retry_backoff == settings.CLEA_TASK_RETRY_BACKOFF and probe.retry_jitter
    assert probe.acks_late and probe.reject_on_worker_lost and isinstance(probe, CleaTask)


def federation_admin_client() -> APIClient:
    user = make_user("public", "federation_admin")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.defaults["HTTP_HOST"] = settings.CLEA_BASE_DOMAIN
    return client


def test_failed_tasks_are_listed_and_retried_through_the_api(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any], mailbox: Mailbox
) -> None:
    org_a, _ = task_orgs
    email = f"smtp-down-{uuid.uuid4().hex[:6]}@example.test"
    mailbox.refused.add(email)  # the SMTP server answers 451 for this candidate
    file_id = new_file(org_a.schema_name, staff(org_a.schema_name), email=email, state="file_opened")
    failed = wait_for(
        lambda: FailedTask.objects.filter(task_name=NOTIFY, args__0=file_id).first(),
        what="the notification to fail for good",
    )
    assert failed.schema_name == org_a.schema_name and failed.retries == settings.CLEA_TASK_MAX_RETRIES
    assert "SMTPRecipientsRefused" in failed.exception and mailbox.to(email) == []

    client = federation_admin_client()
    listed = client.get("/api/federation/tasks/failed/")
    assert listed.status_code == 200, listed.content
    assert failed.pk in [row["id"] for row in listed.json()["results"]]

    mailbox.refused.discard(email)  # the mail server is back
    retried = client.post(f"/api/federation/tasks/failed/{failed.pk}/retry/")
    assert retried.status_code == 202 and retried.json()["retry_task_id"]
    wait_for(lambda: mailbox.to(email), what="the e-mail sent on retry")
    assert "Votre dossier CléA est ouvert" in str(mailbox.to(email)[0]["Subject"])
    assert failed.pk not in [row["id"] for row in client.get("/api/federation/tasks/failed/").json()["results"]]


def test_only_federation_admins_see_failed_tasks(committed: None, task_database: None) -> None:
    client = APIClient()
    client.defaults["HTTP_HOST"] = settings.CLEA_BASE_DOMAIN
    assert client.get("/api/federation/tasks/failed/").status_code == 401


def test_failed_tasks_command_lists_and_retries(committed: None, worker: Worker, capsys: Any) -> None:
    token = str(uuid.uuid4())
    failed = FailedTask.objects.create(
        task_id=str(uuid.uuid4()),
        task_name="clea.tasks.diagnostics.probe",
        args=[token],
        schema_name="public",
        exception="OperationalError: simulated",
    )
    call_command("failed_tasks")
    assert f"{failed.pk}\t" in capsys.readouterr().out
    call_command("failed_tasks", retry=[failed.pk])
    failed.refresh_from_db()
    assert AsyncResult(failed.retry_task_id).get(timeout=WAIT_SECONDS)["schema"] == "public"
    assert TaskProbe.objects.filter(token=token, schema_name="public").count() == 1
