"""The transactional outbox (#21): a broker that is down when a decision commits loses nothing.

The broker here is a Redis server of this test's own, on a free port, stopped and started again for real;
the worker and this process both send through it. The machine's shared Redis is never stopped.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from tests.fixtures.services import port_open, require
from tests.fixtures.tenants import make_user
from tests.tasks.conftest import Mailbox, Worker, free_port, wait_for
from tests.tasks.helpers import new_file, staff
from tests.tasks.test_reliability import federation_admin_client

from clea.celery import app
from clea.certification import sessions
from clea.certification.models import College, Jury, JuryMember, JurySession, JurySubmission
from clea.facts.models import JourneyFact
from clea.journey import services
from clea.journey.models import CandidateFileRecord, DecisionRecord, Document
from clea.outbox.models import OutboxMessage
from clea.outbox.relay import relay_due
from clea.outbox.writer import enqueue
from clea.tasks.models import TaskExecution, TaskProbe

pytestmark = [pytest.mark.db, pytest.mark.worker]


class OwnRedis:
    """A redis-server process on a free port that the test can stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="clea-outbox-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), what="the test's own Redis to listen")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        wait_for(lambda: not port_open(self.port), what="the test's own Redis to stop")


@pytest.fixture
def own_broker() -> Iterator[OwnRedis]:
    """This process sends through the test's own Redis while the test runs, through the shared one after."""
    require(shutil.which("redis-server") is not None, "redis-server is not installed (scripts/system-deps.sh)")
    broker = OwnRedis()
    broker.start()
    previous = (app.conf.broker_url, app.conf.broker_write_url)
    app.conf.broker_url, app.conf.broker_write_url = broker.url, None
    try:
        yield broker
    finally:
        app.conf.broker_url, app.conf.broker_write_url = previous
        broker.stop()
        shutil.rmtree(broker.folder, ignore_errors=True)


def _tenant_client(schema: str, slug: str, user: Any) -> APIClient:
    client = APIClient()
    with schema_context(schema):
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    client.defaults["HTTP_HOST"] = f"{slug}.{settings.CLEA_BASE_DOMAIN}"
    return client


def test_enqueue_belongs_inside_a_transaction(committed: None) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        enqueue("clea.tasks.diagnostics.probe", ["x"])


def test_a_rolled_back_change_leaves_no_follow_up(committed: None) -> None:
    marker = f"rolled-back-{uuid.uuid4().hex}"
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue("clea.tasks.diagnostics.probe", [marker], schema_name="public")
        1 / 0  # noqa: B018
    assert not OutboxMessage.objects.filter(args__0=marker).exists()


def test_a_broker_down_at_commit_delays_the_follow_ups_and_loses_none(
    committed: None, worker_factory: Any, task_orgs: tuple[Any, Any], own_broker: OwnRedis
) -> None:
    org_a, _ = task_orgs
    schema = org_a.schema_name
    people = staff(schema)
    worker: Worker = worker_factory("outbox", env={"CELERY_BROKER_URL": own_broker.url})
    file_id = new_file(schema, people, email=f"outage-{uuid.uuid4().hex[:6]}@example.test", state="evaluated")
    with schema_context(schema):
        version = CandidateFileRecord.objects.get(pk=file_id).version

    own_broker.stop()  # the broker goes down
    client = _tenant_client(schema, org_a.slug, people.counsellor)
    response = client.post(f"/api/files/{file_id}/withdraw/", {"version": version, "reason": "moved"}, format="json")
    assert response.status_code == 200, response.content  # the answer depends on the commit only

    with schema_context(schema):
        decision = DecisionRecord.objects.filter(file_id=file_id).latest("id")
    rows = OutboxMessage.objects.filter(schema_name=schema, args=[file_id, decision.pk])
    names = sorted(rows.values_list("task_name", flat=True))
    assert "clea.tasks.facts.publish_decision_fact" in names
    assert "clea.tasks.documents.generate_partial_attestation" in names
    assert all(row.pending and row.attempts == 1 and row.last_error for row in rows)  # kept, with the error

    own_broker.start()  # the broker is back: beat's next relay (called here directly) sends what waited
    outcome = relay_due() if rows.filter(next_attempt_at__lte=timezone.now()).exists() else None
    if outcome is None:  # not due yet (back-off): what an admin or the next beat tick does, now
        rows.update(next_attempt_at=timezone.now())
        outcome = relay_due()
    assert outcome.sent >= len(names)
    wait_for(
        lambda: JourneyFact.objects.filter(organisation=org_a.slug, decision_id=decision.pk).exists(),
        what="the national fact",
    )
    with schema_context(schema):
        wait_for(lambda: Document.objects.filter(file_id=file_id).exists(), what="the attestation")
        assert Document.objects.filter(file_id=file_id).count() == 1
    assert JourneyFact.objects.filter(organisation=org_a.slug, decision_id=decision.pk).count() == 1
    assert all(not row.pending for row in rows.all())

    # Relaying the same rows again (a relay killed between sending and marking) changes nothing.
    rows.update(sent_at=None)
    relay_due()
    wait_for(lambda: not rows.filter(sent_at=None).exists(), what="the second relay")
    wait_for(lambda: TaskExecution.objects.filter(key__contains=f":{decision.pk}").exists(), what="the ledger")
    with schema_context(schema):
        assert Document.objects.filter(file_id=file_id).count() == 1
    assert JourneyFact.objects.filter(organisation=org_a.slug, decision_id=decision.pk).count() == 1
    worker.stop()


def test_rows_given_up_are_listed_for_federation_admins_and_sent_again(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any]
) -> None:
    org_a, _ = task_orgs
    token = f"given-up-{uuid.uuid4().hex}"
    row = OutboxMessage.objects.create(
        task_name="clea.tasks.diagnostics.probe",
        args=[token],
        schema_name=org_a.schema_name,
        attempts=settings.CLEA_OUTBOX_MAX_ATTEMPTS,
        failed_at=timezone.now(),
        last_error="OperationalError: broker unreachable",
    )
    client = federation_admin_client()
    listed = client.get("/api/federation/tasks/outbox/")
    assert listed.status_code == 200, listed.content
    assert row.pk in [item["id"] for item in listed.json()["results"]]
    assert APIClient().get("/api/federation/tasks/outbox/", HTTP_HOST=settings.CLEA_BASE_DOMAIN).status_code == 401

    resent = client.post(f"/api/federation/tasks/outbox/{row.pk}/resend/")
    assert resent.status_code == 202 and resent.json()["sent_at"] is not None
    with schema_context(org_a.schema_name):
        wait_for(lambda: TaskProbe.objects.filter(token=token).exists(), what="the resent probe")
    assert row.pk not in [item["id"] for item in client.get("/api/federation/tasks/outbox/").json()["results"]]


def _all_sent(rows: Any) -> bool:
    return not rows.filter(sent_at=None).exists()


def test_a_worker_killed_while_it_relays_loses_nothing_and_runs_nothing_twice(
    committed: None, worker: Worker, worker_factory: Any, task_orgs: tuple[Any, Any]
) -> None:
    """A worker relays at start (``worker_ready``) and is SIGKILLed mid-relay: the batch it was sending is
    published but never marked sent; the next relay sends it again and the ledger keeps one effect each."""
    org_a, _ = task_orgs
    for _attempt in range(3):  # the kill must land inside a batch; it nearly always does on the first try
        tokens = [f"relay-kill-{uuid.uuid4().hex}" for _ in range(1200)]
        rows = OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(task_name="clea.tasks.diagnostics.probe", args=[t], schema_name=org_a.schema_name)
                for t in tokens
            ]
        )
        ours = OutboxMessage.objects.filter(pk__in=[row.pk for row in rows])
        probes = TaskProbe.objects.filter(token__in=tokens)
        # relays at start, consumes nothing: the session's worker runs what it publishes
        relaying = worker_factory("relay-killed", queues=("clea-test-nothing",))
        wait_for(probes.exists, what="the first relayed probe to run")
        relaying.kill()
        unmarked = [row.args[0] for row in ours.filter(sent_at=None)]
        unmarked_but_run = probes.filter(token__in=unmarked).count()
        if unmarked_but_run:
            break
        wait_for(partial(_all_sent, ours), what="the uninterrupted relay")
    assert unmarked_but_run, "the worker was never killed inside a batch"

    worker_factory("relay-next", queues=("clea-test-nothing",))  # the next relay: another worker starting
    wait_for(partial(_all_sent, ours), what="every row relayed")
    wait_for(lambda: probes.count() == len(tokens), timeout=180, what="every probe run")
    assert probes.values("token").distinct().count() == len(tokens)  # each once, though some were sent twice
    keys = [f"{org_a.schema_name}:probe:{t}" for t in tokens]
    assert TaskExecution.objects.filter(key__in=keys).count() == len(tokens)


def _jury_member(college: str, last_name: str) -> tuple[Any, APIClient]:
    user = make_user("public", "jury_member")
    member = JuryMember.objects.create(user=user, first_name="Membre", last_name=last_name, college=college)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.defaults["HTTP_HOST"] = settings.CLEA_BASE_DOMAIN
    return member, client


def test_a_broker_down_during_a_jury_decision_delays_its_flow_back_and_loses_nothing(
    committed: None, worker_factory: Any, task_orgs: tuple[Any, Any], own_broker: OwnRedis, mailbox: Mailbox
) -> None:
    org_a, _ = task_orgs
    schema = org_a.schema_name
    people = staff(schema)
    tag = uuid.uuid4().hex[:6]
    emails = {"certified": f"jury-ok-{tag}@example.test", "refused": f"jury-no-{tag}@example.test"}
    files = {
        outcome: new_file(schema, people, email=email, state="ready_for_jury") for outcome, email in emails.items()
    }
    with tenant_context(org_a):  # receive_submission reads the organisation from the connection
        for file_id in files.values():
            services.do_submit(file_id, None, people.counsellor)
    submissions = {o: JurySubmission.objects.get(organisation=org_a, file_ref=str(f)) for o, f in files.items()}
    jury = Jury.objects.create(name=f"Jury paritaire {tag}", region="84")
    members = [
        _jury_member(college, f"{college}-{i}") for college in (College.EMPLOYER, College.EMPLOYEE) for i in (1, 2)
    ]
    jury.members.add(*(member for member, _ in members))
    session = JurySession.objects.create(jury=jury, starts_at=timezone.now() + timedelta(hours=1), place="Lyon")
    sessions.convene(session, [member.pk for member, _ in members])
    sessions.assign(session, [s.pk for s in submissions.values()])
    worker = worker_factory("outbox-jury", env={"CELERY_BROKER_URL": own_broker.url})

    own_broker.stop()  # the broker goes down just before the deliberation
    response = members[0][1].post(
        f"/api/federation/jury-sessions/{session.pk}/deliberate/",
        {
            "present": [member.pk for member, _ in members],
            "decisions": [
                {"submission": submissions["certified"].pk, "outcome": "certified"},
                {"submission": submissions["refused"].pk, "outcome": "refused", "reasons": "Preuves absentes."},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content  # answered from the commit alone
    sent_back = OutboxMessage.objects.filter(task_name="clea.tasks.jury.record_jury_decision", sent_at=None)
    assert sorted(m.args[0] for m in sent_back) == sorted(s.pk for s in submissions.values())
    with schema_context(schema):  # nothing reached the organisation yet
        assert set(CandidateFileRecord.objects.filter(pk__in=files.values()).values_list("state", flat=True)) == {
            "submitted"
        }

    own_broker.start()  # back: the next relay (beat's, run here directly) sends them, then their own follow-ups
    OutboxMessage.objects.filter(sent_at=None, failed_at=None).update(next_attempt_at=timezone.now())
    relay_due()
    with schema_context(schema):
        wait_for(
            lambda: (
                CandidateFileRecord.objects.get(pk=files["certified"]).state == "certified"
                and CandidateFileRecord.objects.get(pk=files["refused"]).state == "refused"
            ),
            what="both decisions back in the organisation's files",
        )
        wait_for(lambda: Document.objects.filter(file_id=files["refused"]).exists(), what="the attestation (R12)")
    wait_for(lambda: all(mailbox.to(email) for email in emails.values()), what="the candidates' e-mails")
    facts = JourneyFact.objects.filter(organisation=org_a.slug, kind="jury_decision")
    wait_for(
        lambda: facts.filter(file_ref__in=[str(f) for f in files.values()]).count() == 2,
        what="the national facts of the decisions",
    )

    # exactly once, even when every row is relayed a second time (a relay killed before it marked them)
    OutboxMessage.objects.filter(schema_name__in=[schema, "public"]).update(sent_at=None, failed_at=None)
    relay_due()
    wait_for(lambda: not OutboxMessage.objects.filter(sent_at=None, failed_at=None).exists(), what="the resend")
    with schema_context(schema):
        for file_id in files.values():
            assert DecisionRecord.objects.filter(file_id=file_id, kind="jury_decision").count() == 1
        assert Document.objects.filter(file_id=files["refused"]).count() == 1
    for file_id in files.values():
        facts = JourneyFact.objects.filter(organisation=org_a.slug, file_ref=str(file_id), kind="jury_decision")
        assert facts.count() == 1
    worker.stop()
    assert {email: len(mailbox.to(email)) for email in emails.values()} == {email: 1 for email in emails.values()}
