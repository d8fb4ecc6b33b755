"""The journey's asynchronous work, through a real worker: R8 reminders and expiry, jury outcomes flowing back,
national facts, documents, provisioning."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from tests.fixtures.tenants import organisation_details
from tests.tasks.conftest import WAIT_SECONDS, Mailbox, Worker, wait_for
from tests.tasks.helpers import new_file, staff
from tests.tasks.test_reliability import federation_admin_client

from clea.certification.models import JurySubmission, SubmissionStatus
from clea.facts.models import JourneyFact
from clea.journey import services
from clea.journey.models import Candidate, CandidateFileRecord, DecisionRecord, Document
from clea.tasks.jury import record_jury_decision
from clea.tasks.reminders import expire_overdue_files, send_due_reminders
from clea_tenants.models import ProvisioningJob

pytestmark = [pytest.mark.db, pytest.mark.worker]


def in_schema(schema: str, task: Any, **kwargs: Any) -> Any:
    with schema_context(schema):
        return task.apply_async(kwargs=kwargs).get(timeout=WAIT_SECONDS)


def test_r8_reminders_then_expiry_with_an_injected_date(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any], mailbox: Mailbox
) -> None:
    org_a, org_b = task_orgs
    schema = org_a.schema_name
    email = f"r8-{uuid.uuid4().hex[:6]}@example.test"
    file_id = new_file(schema, staff(schema), email=email, state="evaluated")
    with schema_context(schema):
        deadline = CandidateFileRecord.objects.get(pk=file_id).deadline
    assert deadline is not None

    # 29 days before the deadline the 180-, 90- and 30-day reminders are due: one e-mail (the closest) is sent
    day = str(deadline - timedelta(days=29))
    assert in_schema(schema, send_due_reminders, today=day) >= 1
    wait_for(lambda: any("Rappel" in str(m["Subject"]) for m in mailbox.to(email)), what="the R8 reminder")
    reminders = [m for m in mailbox.to(email) if "Rappel" in str(m["Subject"])]
    assert len(reminders) == 1 and f"{deadline:%d/%m/%Y}" in str(reminders[0]["Subject"])
    with schema_context(schema):
        assert CandidateFileRecord.objects.get(pk=file_id).reminders_sent == [180, 90, 30]

    in_schema(schema, send_due_reminders, today=day)  # the next day's run, or a redelivery: nothing more
    assert len([m for m in mailbox.to(email) if "Rappel" in str(m["Subject"])]) == 1

    # nothing expires before the deadline; the day after, the system expires the file (R8)
    assert in_schema(schema, expire_overdue_files, today=str(deadline)) == 0
    assert in_schema(schema, expire_overdue_files, today=str(deadline + timedelta(days=1))) >= 1
    with schema_context(schema):
        record = CandidateFileRecord.objects.get(pk=file_id)
        assert record.state == "expired"
        decision = DecisionRecord.objects.filter(file=record).latest("id")
        assert (decision.kind, decision.actor_ref, decision.actor_role) == ("expired", "system:r8", "system")
    assert in_schema(schema, expire_overdue_files, today=str(deadline + timedelta(days=1))) == 0
    # expiry follows the journey's seam: a fact, an e-mail, and the attestation of what is acquired
    facts = JourneyFact.objects.filter(organisation=org_a.slug, file_ref=str(file_id))
    wait_for(lambda: facts.filter(kind="expired").exists(), what="the fact of the expiry")
    with schema_context(schema):
        wait_for(lambda: Document.objects.filter(file_id=file_id).exists(), what="the attestation")
    # B's files are B's: the same run there expires none of A's
    with schema_context(org_b.schema_name):
        b_states = sorted(CandidateFileRecord.objects.values_list("pk", "state"))
    in_schema(org_b.schema_name, send_due_reminders, today=day)
    with schema_context(schema):
        assert CandidateFileRecord.objects.get(pk=file_id).state == "expired"
    with schema_context(org_b.schema_name):
        assert sorted(CandidateFileRecord.objects.values_list("pk", "state")) == b_states


def test_jury_decision_flows_back_to_the_file(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any], mailbox: Mailbox
) -> None:
    org_a, _ = task_orgs
    schema = org_a.schema_name
    people = staff(schema)
    email = f"jury-{uuid.uuid4().hex[:6]}@example.test"
    file_id = new_file(schema, people, email=email, state="ready_for_jury")
    with tenant_context(org_a):  # receive_submission reads the organisation from the connection
        services.do_submit(file_id, None, people.counsellor)
    submission = JurySubmission.objects.get(organisation=org_a, file_ref=str(file_id))

    assert record_jury_decision.delay(submission.pk).get(timeout=WAIT_SECONDS) == "pending"  # not decided yet
    # the federation's jury decides, in the public schema
    JurySubmission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.CERTIFIED, decided_at=timezone.now(), certificate_number="CLEA-2026-000042"
    )
    first = record_jury_decision.delay(submission.pk)
    second = record_jury_decision.delay(submission.pk)  # sent twice: recorded once
    assert sorted([first.get(timeout=WAIT_SECONDS), second.get(timeout=WAIT_SECONDS)]) == [
        "already recorded",
        "certified",
    ]
    with schema_context(schema):
        assert CandidateFileRecord.objects.get(pk=file_id).state == "certified"
        decisions = DecisionRecord.objects.filter(file_id=file_id, kind="jury_decision")
        assert decisions.count() == 1 and decisions.get().detail["certificate_number"] == "CLEA-2026-000042"
    wait_for(lambda: any("certifié" in str(m["Subject"]) for m in mailbox.to(email)), what="the good news")


def test_facts_are_published_without_personal_data(committed: None, worker: Worker, task_orgs: tuple[Any, Any]) -> None:
    org_a, _ = task_orgs
    schema = org_a.schema_name
    last_name = f"Zébulon{uuid.uuid4().hex[:6]}"
    email = f"{last_name.lower()}@example.test"
    file_id = new_file(schema, staff(schema), email=email, state="evaluated", last_name=last_name)
    facts = JourneyFact.objects.filter(organisation=org_a.slug, file_ref=str(file_id))
    wait_for(lambda: facts.count() == 3, what="the three facts")
    with schema_context(schema):
        candidate = Candidate.objects.get(email=email)
    assert {f.kind for f in facts} == {"welcomed", "file_opened", "initial_evaluation"}
    for fact in facts:
        assert fact.candidate == candidate.pseudonym and fact.region == org_a.region
        assert fact.prescriber_type == "france_travail" and fact.referential_id
        flat = repr(JourneyFact.objects.filter(pk=fact.pk).values().get())
        for personal in (last_name, "Léa", email, "Agence Lyon Part-Dieu", "user:", "Certification CléA"):
            assert personal not in flat, (personal, flat)


def test_withdrawal_gives_an_attestation_pdf_stored_in_the_tenant(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any], media_root: Path
) -> None:
    org_a, _ = task_orgs
    schema = org_a.schema_name
    people = staff(schema)
    file_id = new_file(schema, people, email="pdf@example.test", state="evaluated")
    with schema_context(schema):
        services.do_withdraw(file_id, None, "moved", people.counsellor)
        document = wait_for(lambda: Document.objects.filter(file_id=file_id).first(), what="the attestation")
    assert document.kind == "partial_attestation" and document.content.name.startswith(f"tenants/{schema}/documents/")
    path = Path(settings.MEDIA_ROOT) / document.content.name
    content = path.read_bytes()
    assert content.startswith(b"%PDF") and len(content) == document.size
    assert str(path).startswith(str(media_root))


def test_provisioning_through_the_api_runs_on_a_worker(committed: None, worker: Worker) -> None:
    client = federation_admin_client()
    slug = f"tasks-{uuid.uuid4().hex[:6]}"
    payload = organisation_details(slug, "6666666600001", region="84")
    response = client.post("/api/federation/organisations/", payload, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["status"] in ("pending", "running")
    status_url = response.json()["status_url"]
    body = wait_for(
        lambda: (lambda b: b if b["status"] in ("ready", "failed") else None)(client.get(status_url).json()),
        what="provisioning to finish",
    )
    assert body["status"] == "ready", body
    assert body["organisation"]["slug"] == slug
    assert ProvisioningJob.objects.get(slug=slug).admin_password_hash == ""


def test_schedules_are_registered_idempotently_and_fan_out_to_every_active_tenant(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any]
) -> None:
    import json

    from django_celery_beat.models import PeriodicTask

    from clea.celery import app
    from clea.tasks.models import TaskProbe
    from clea.tasks.scheduler import CleaDatabaseScheduler
    from clea.tasks.schedules import SCHEDULES, Schedule, setup_schedules

    setup_schedules()
    assert [created for _, created in setup_schedules()] == [False] * len(SCHEDULES)
    assert PeriodicTask.objects.filter(name__in=[s.name for s in SCHEDULES]).count() == len(SCHEDULES)
    fan_out = {s.name: s.all_tenants for s in SCHEDULES}
    assert fan_out["clea: outbox relay"] is False  # one relay for every tenant's rows, in the public schema
    for periodic in PeriodicTask.objects.filter(name__in=[s.name for s in SCHEDULES]):
        assert json.loads(periodic.headers) == ({"_all_tenants_only": True} if fan_out[periodic.name] else {})

    token = str(uuid.uuid4())
    probe_schedule = Schedule("clea: test probe", "clea.tasks.diagnostics.probe", 3, 0, True, "test")
    setup_schedules((probe_schedule,))
    PeriodicTask.objects.filter(name=probe_schedule.name).update(args=json.dumps([token]))
    scheduler = CleaDatabaseScheduler(app=app, lazy=True)
    entry = scheduler.Entry(PeriodicTask.objects.get(name=probe_schedule.name), app=app)
    scheduler.apply_entry(entry)
    org_a, org_b = task_orgs
    rows = TaskProbe.objects.filter(token=token)
    wait_for(lambda: {org_a.schema_name, org_b.schema_name} <= set(rows.values_list("schema_name", flat=True)))
    assert "public" not in set(rows.values_list("schema_name", flat=True))  # tenants only
    PeriodicTask.objects.filter(name=probe_schedule.name).delete()
