"""Collective sessions through the API: a session of three candidates with one absent (R3), convocations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from tests.api.journey_helpers import TODAY, walk_to
from tests.fixtures.tenants import make_user

pytestmark = pytest.mark.django_db


def session_payload(evaluator_id: int, on: Any = TODAY, capacity: int = 3) -> dict[str, Any]:
    return {
        "on": str(on),
        "starts_at": "09:00",
        "ends_at": "12:30",
        "place": "GRETA Lyon, salle 4",
        "capacity": capacity,
        "modality": "btp",
        "evaluator_ids": [evaluator_id],
        "contact": "Mme Durand, 04 72 00 00 00",
        "what_to_bring": "Une pièce d'identité, des lunettes si besoin",
    }


def counts(org: Any) -> tuple[int, int, int]:
    from clea.collective.models import CollectiveSession, Enrolment
    from clea.journey.models import CriterionResultRecord

    with schema_context(org.schema_name):
        return CollectiveSession.objects.count(), Enrolment.objects.count(), CriterionResultRecord.objects.count()


def test_three_candidates_one_absent(counsellor: Any, org_a: Any) -> None:
    from clea.collective.models import Enrolment
    from clea.outbox.models import OutboxMessage
    from clea.tasks.collective import send_convocation, send_session_reminders

    evaluator = make_user(org_a.schema_name, "counsellor")
    created = counsellor.post("/api/collective-sessions/", session_payload(evaluator.pk), format="json")
    assert created.status_code == 201, created.json()
    session_id = created.json()["id"]
    files = []
    for name in ("Alba", "Brun", "Colin"):
        body = walk_to(counsellor, "file_opened")
        with schema_context(org_a.schema_name):
            from clea.journey.models import Candidate

            Candidate.objects.filter(pk=body["candidate"]["id"]).update(last_name=name, email=f"{name}@example.test")
        files.append(body["id"])
        enrolled = counsellor.post(
            f"/api/collective-sessions/{session_id}/enrolments/", {"file_id": body["id"]}, format="json"
        )
        assert enrolled.status_code == 201, enrolled.json()
    assert OutboxMessage.objects.filter(task_name="clea.tasks.collective.send_convocation").count() >= 3
    full = counsellor.post(
        f"/api/collective-sessions/{session_id}/enrolments/",
        {"file_id": walk_to(counsellor, "file_opened")["id"]},
        format="json",
    )
    assert full.status_code == 400 and full.json()["code"] == "session_full"
    # The convocation: e-mailed with its French PDF (the task the outbox names), once.
    with schema_context(org_a.schema_name):
        enrolment = Enrolment.objects.get(session_id=session_id, file_id=files[0])
        assert send_convocation(enrolment.pk) == 1
        assert send_convocation(enrolment.pk) == 0  # once per enrolment
    assert mail.outbox[-1].to == ["Alba@example.test"]
    assert "convocation" in mail.outbox[-1].subject.lower()
    attachment = mail.outbox[-1].attachments[0]
    assert attachment[0].endswith(".pdf") and attachment[1].startswith(b"%PDF")
    pdf = counsellor.get(f"/api/collective-sessions/{session_id}/convocations/{files[0]}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Attendance: two present, one absent; the absence records no criterion and offers another session.
    later = counsellor.post(
        "/api/collective-sessions/", session_payload(evaluator.pk, TODAY + timedelta(days=7)), format="json"
    ).json()
    before = counts(org_a)
    for file_id, value in zip(files, ("present", "present", "absent"), strict=True):
        response = counsellor.post(
            f"/api/collective-sessions/{session_id}/attendance/",
            {"file_id": file_id, "attendance": value},
            format="json",
        )
        assert response.status_code == 200, response.json()
    assert response.json()["offered"] == [later["id"]]
    assert counts(org_a) == before  # no criterion recorded by an absence (R3)
    sheet = counsellor.get(f"/api/collective-sessions/{session_id}/").json()
    assert [e["attendance"] for e in sheet["enrolments"]] == ["present", "present", "absent"]
    file = counsellor.get(f"/api/files/{files[2]}/").json()
    assert file["state"] == "file_opened" and file["evaluations"] == []
    # Attendance before the day is refused; the reminder goes out the day before.
    early = counsellor.post(
        f"/api/collective-sessions/{later['id']}/attendance/",
        {"file_id": files[2], "attendance": "present"},
        format="json",
    )
    assert early.status_code == 400 and early.json()["code"] == "not_enrolled"
    assert (
        counsellor.post(
            f"/api/collective-sessions/{later['id']}/enrolments/", {"file_id": files[2]}, format="json"
        ).status_code
        == 201
    )
    early = counsellor.post(
        f"/api/collective-sessions/{later['id']}/attendance/",
        {"file_id": files[2], "attendance": "present"},
        format="json",
    )
    assert early.status_code == 400 and early.json()["code"] == "attendance_too_early"
    with schema_context(org_a.schema_name):
        assert send_session_reminders(str(TODAY + timedelta(days=5))) == 0
        assert send_session_reminders(str(TODAY + timedelta(days=6))) == 1
        assert send_session_reminders(str(TODAY + timedelta(days=6))) == 0
    assert mail.outbox[-1].subject.startswith("Rappel")


@pytest.mark.parametrize(
    "change,field",
    [
        ({"on": "demain"}, "on"),
        ({"capacity": 0}, "capacity"),
        ({"evaluator_ids": []}, "evaluator_ids"),
        ({"video_link": "pas un lien"}, "video_link"),
        ({"starts_at": "25:00"}, "starts_at"),
    ],
)
def test_bad_input_is_400_with_field_messages_and_nothing_stored(
    counsellor: Any, org_a: Any, change: dict[str, Any], field: str
) -> None:
    evaluator = make_user(org_a.schema_name, "counsellor")
    before = counts(org_a)
    response = counsellor.post("/api/collective-sessions/", session_payload(evaluator.pk) | change, format="json")
    assert response.status_code == 400 and field in response.json()["fields"], response.json()
    assert counts(org_a) == before


@pytest.mark.parametrize(
    "change,code",
    [
        ({"on": str(TODAY - timedelta(days=1))}, "session_in_past"),
        ({"ends_at": "08:00"}, "session_times"),
        ({"place": ""}, "session_place"),
        ({"evaluator_ids": [999999]}, "unknown_evaluator"),
    ],
)
def test_rule_refusals(counsellor: Any, org_a: Any, change: dict[str, Any], code: str) -> None:
    evaluator = make_user(org_a.schema_name, "counsellor")
    before = counts(org_a)
    response = counsellor.post("/api/collective-sessions/", session_payload(evaluator.pk) | change, format="json")
    assert response.status_code == 400 and response.json()["code"] == code, response.json()
    assert counts(org_a) == before


def test_the_candidates_trainer_cannot_be_the_sessions_evaluator(counsellor: Any, org_a: Any) -> None:
    coach = make_user(org_a.schema_name, "counsellor")
    body = walk_to(counsellor, "training", trainer_id=coach.pk)
    session = counsellor.post("/api/collective-sessions/", session_payload(coach.pk), format="json").json()
    response = counsellor.post(
        f"/api/collective-sessions/{session['id']}/enrolments/", {"file_id": body["id"]}, format="json"
    )
    assert response.status_code == 400 and (response.json()["code"], response.json()["rule"]) == (
        "trainer_is_evaluator",
        "R7",
    )


def test_another_organisation_never_reaches_a_session(
    counsellor: Any, org_a: Any, org_b: Any, api_client_for: Any
) -> None:
    evaluator = make_user(org_a.schema_name, "counsellor")
    session = counsellor.post("/api/collective-sessions/", session_payload(evaluator.pk), format="json").json()
    file_id = walk_to(counsellor, "file_opened")["id"]
    counsellor.post(f"/api/collective-sessions/{session['id']}/enrolments/", {"file_id": file_id}, format="json")
    intruder = api_client_for(org_b, "admin")
    base = f"/api/collective-sessions/{session['id']}/"
    before = counts(org_a)
    assert intruder.get("/api/collective-sessions/").json() == []
    assert intruder.get(base).status_code == 404
    assert intruder.post(base + "enrolments/", {"file_id": file_id}, format="json").status_code == 404
    assert (
        intruder.post(base + "attendance/", {"file_id": file_id, "attendance": "absent"}, format="json").status_code
        == 404
    )
    assert intruder.get(base + f"convocations/{file_id}/pdf/").status_code == 404
    assert counts(org_a) == before
    trainer = api_client_for(org_a, "trainer")
    assert trainer.get("/api/collective-sessions/").status_code == 403
