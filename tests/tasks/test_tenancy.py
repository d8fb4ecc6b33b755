"""Tasks run in the schema they were sent for, and in no other."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.tasks.conftest import WAIT_SECONDS, Mailbox, Worker, wait_for
from tests.tasks.helpers import new_file, staff

from clea.facts.models import JourneyFact
from clea.journey import models as journey
from clea.tasks.diagnostics import probe
from clea.tasks.models import TaskProbe

pytestmark = [pytest.mark.db, pytest.mark.worker]

TENANT_TABLES = (
    journey.Candidate,
    journey.CandidateFileRecord,
    journey.DecisionRecord,
    journey.EvaluationRecord,
    journey.Document,
    journey.TrainingPathRecord,
)


def snapshot(schema: str) -> dict[str, Any]:
    """Every row of B's journey tables (ids and versions), to prove a task for A left them alone."""
    with schema_context(schema):
        rows: dict[str, Any] = {
            model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in TENANT_TABLES
        }
        rows["versions"] = sorted(journey.CandidateFileRecord.objects.values_list("pk", "version", "state"))
        return rows


def test_probe_sent_from_a_tenant_runs_in_its_schema(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any]
) -> None:
    org_a, _ = task_orgs
    token = str(uuid.uuid4())
    with schema_context(org_a.schema_name):
        result = probe.delay(token)
    assert result.get(timeout=WAIT_SECONDS)["schema"] == org_a.schema_name
    assert list(TaskProbe.objects.filter(token=token).values_list("schema_name", flat=True)) == [org_a.schema_name]


def test_journey_tasks_for_a_touch_only_a(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any], mailbox: Mailbox
) -> None:
    org_a, org_b = task_orgs
    people_b = staff(org_b.schema_name)
    new_file(org_b.schema_name, people_b, email="b-before@example.test")  # B has data of its own
    before = snapshot(org_b.schema_name)

    email = f"lea-{uuid.uuid4().hex[:6]}@example.test"
    file_id = new_file(org_a.schema_name, staff(org_a.schema_name), email=email, state="evaluated")

    # refer + open + initial evaluation: three decisions, three facts of A; e-mails for the last two
    wait_for(
        lambda: JourneyFact.objects.filter(organisation=org_a.slug, file_ref=str(file_id)).count() == 3,
        what="three facts of A",
    )
    wait_for(lambda: len(mailbox.to(email)) == 2, what="two e-mails to the candidate")
    assert snapshot(org_b.schema_name) == before
    with schema_context(org_b.schema_name):
        assert not journey.Candidate.objects.filter(email=email).exists()


def test_nothing_is_sent_when_the_transaction_rolls_back(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any]
) -> None:
    from django.db import transaction

    from clea.journey import services
    from clea.kernel.journey import Consent

    org_a, _ = task_orgs
    people = staff(org_a.schema_name)
    file_id = new_file(org_a.schema_name, people, email="rollback@example.test", state="referred")
    with schema_context(org_a.schema_name):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.do_open_file(file_id, None, Consent("Certification CléA", date.today()), people.counsellor)
            raise RuntimeError("rolled back")
        services.do_withdraw(file_id, None, "moved", people.counsellor)
    facts = JourneyFact.objects.filter(organisation=org_a.slug, file_ref=str(file_id))
    wait_for(lambda: facts.filter(kind="withdrawn").exists(), what="the fact of the withdrawal")
    assert sorted(facts.values_list("kind", flat=True)) == ["welcomed", "withdrawn"]
