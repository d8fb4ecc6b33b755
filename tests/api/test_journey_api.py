"""Whole journeys through the API against real PostgreSQL schemas (R1–R10, R13)."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.api.journey_helpers import (
    ALL_CRITERIA,
    REFERENTIAL,
    TODAY,
    all_but,
    initial_payload,
    open_payload,
    refer_payload,
    results,
    sessions_for,
    walk_to,
)

pytestmark = pytest.mark.django_db


def test_r1_to_r10_whole_journey_with_training_path(counsellor: Any, trainer_a: Any, org_a: Any) -> None:
    created = counsellor.post("/api/files/", refer_payload(), format="json")
    assert created.status_code == 201, created.json()
    file = created.json()
    assert file["state"] == "referred"
    assert file["referral"]["prescriber_type"] == "france_travail"  # R1: recorded on the file
    assert file["decisions"][0]["kind"] == "welcomed"

    opened = counsellor.post(f"/api/files/{file['id']}/open/", open_payload(file["version"]), format="json").json()
    assert opened["state"] == "file_opened" and opened["consent_given_on"] == str(TODAY)

    evaluated = counsellor.post(
        f"/api/files/{file['id']}/evaluations/",
        initial_payload(opened["version"], all_but("3.1", "7.2")),
        format="json",
    )
    assert evaluated.status_code == 201, evaluated.json()
    body = evaluated.json()
    assert body["state"] == "evaluated"
    assert body["mastery"]["ready_for_jury"] is False
    assert set(body["mastery"]["mastered_domains"]) == {"1", "2", "4", "5", "6"}
    assert body["deadline"] == str(TODAY.replace(year=TODAY.year + 5))  # R8

    suggestion = counsellor.get(f"/api/files/{file['id']}/training-path/suggestion/").json()
    assert [s["subdomains"] for s in suggestion] == [["3.1"], ["7.2"]]  # R6: exactly the gaps

    path = counsellor.post(
        f"/api/files/{file['id']}/training-path/",
        {"version": body["version"], "trainer_id": trainer_a.pk, "training_organisation": "Centre de formation"},
        format="json",
    )
    assert path.status_code == 201, path.json()
    body = path.json()
    assert body["state"] == "training"
    gaps = sorted(c for c in ALL_CRITERIA if REFERENTIAL.subdomain_of_criterion[c] in ("3.1", "7.2"))
    assert sorted(c for o in body["current_path"]["objectives"] for c in o["criteria"]) == gaps

    final = counsellor.post(
        f"/api/files/{file['id']}/evaluations/",
        {"version": body["version"], "kind": "final", "days": [str(TODAY)], "results": results(gaps, gaps)},
        format="json",
    )
    assert final.status_code == 201, final.json()
    body = final.json()
    assert body["state"] == "ready_for_jury" and body["mastery"]["ready_for_jury"] is True

    submitted = counsellor.post(f"/api/files/{file['id']}/submit/", {"version": body["version"]}, format="json")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"

    from clea.certification.models import JurySubmission

    submission = JurySubmission.objects.get(organisation=org_a, file_ref=str(file["id"]))
    assert set(submission.snapshot["domains_mastered"]) == {"1", "2", "3", "4", "5", "6", "7"}
    assert "email" not in str(submission.snapshot)  # what the jury needs, no more

    decisions = submitted.json()["decisions"]  # R13: who, when, which referential version
    assert [d["kind"] for d in decisions] == [
        "welcomed",
        "file_opened",
        "initial_evaluation",
        "training_path",
        "final_evaluation",
        "submitted",
    ]
    assert all(d["actor"].startswith("user:") and d["referential_id"] == REFERENTIAL.identity for d in decisions)


def test_r5_all_mastered_goes_straight_to_jury(counsellor: Any) -> None:
    body = walk_to(counsellor, "ready_for_jury")
    assert body["state"] == "ready_for_jury" and body["current_path"] is None


def test_r7_evaluator_cannot_become_trainer(counsellor: Any, table_counts: Any) -> None:
    body = walk_to(counsellor, "evaluated")
    before = table_counts()
    response = counsellor.post(
        f"/api/files/{body['id']}/training-path/",
        {"version": body["version"], "trainer_id": counsellor.user.pk, "training_organisation": "Interne"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R7" and response.json()["code"] == "trainer_is_evaluator"
    assert table_counts() == before


def test_r7_trainer_cannot_run_final_evaluation(counsellor: Any, org_a: Any, api_client_for: Any) -> None:
    trainer_client = api_client_for(org_a, "counsellor")  # a counsellor who trains this candidate
    body = walk_to(counsellor, "training", trainer_id=trainer_client.user.pk)
    gaps = [c for o in body["current_path"]["objectives"] for c in o["criteria"]]
    response = trainer_client.post(
        f"/api/files/{body['id']}/evaluations/",
        {"version": body["version"], "kind": "final", "days": [str(TODAY)], "results": results(gaps, gaps)},
        format="json",
    )
    assert response.status_code == 400 and response.json()["rule"] == "R7"


def test_r9_final_evaluation_outside_objectives_refused(counsellor: Any, trainer_a: Any, table_counts: Any) -> None:
    body = walk_to(counsellor, "training", trainer_id=trainer_a.pk)
    before = table_counts()
    response = counsellor.post(
        f"/api/files/{body['id']}/evaluations/",
        {"version": body["version"], "kind": "final", "days": [str(TODAY)], "results": results(["1.1.1"], ["1.1.1"])},
        format="json",
    )
    assert response.status_code == 400 and response.json()["rule"] == "R9"
    assert table_counts() == before


def test_r10_submit_refused_before_mastery(counsellor: Any) -> None:
    body = walk_to(counsellor, "evaluated")
    response = counsellor.post(f"/api/files/{body['id']}/submit/", {"version": body["version"]}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


def test_r2_open_without_consent_refused(counsellor: Any, table_counts: Any) -> None:
    body = walk_to(counsellor, "referred")
    before = table_counts()
    response = counsellor.post(
        f"/api/files/{body['id']}/open/", {**open_payload(body["version"]), "consent": False}, format="json"
    )
    assert response.status_code == 400 and response.json()["rule"] == "R2"
    assert table_counts() == before


def test_withdraw_records_reason(counsellor: Any) -> None:
    body = walk_to(counsellor, "evaluated")
    response = counsellor.post(
        f"/api/files/{body['id']}/withdraw/", {"version": body["version"], "reason": "moved"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert response.json()["decisions"][-1]["detail"]["reason_code"] == "moved"


def test_adjust_training_path_changes_calendar(counsellor: Any, trainer_a: Any) -> None:
    body = walk_to(counsellor, "training", trainer_id=trainer_a.pk)
    sessions = sessions_for(["7.2", "3.1"])
    response = counsellor.put(
        f"/api/files/{body['id']}/training-path/",
        {"version": body["version"], "trainer_id": trainer_a.pk, "sessions": sessions},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [s["subdomains"] for s in response.json()["current_path"]["sessions"]] == [["7.2"], ["3.1"]]


def test_trainer_sees_only_files_they_train(counsellor: Any, org_a: Any, api_client_for: Any) -> None:
    trainer_client = api_client_for(org_a, "trainer")
    trained = walk_to(counsellor, "training", trainer_id=trainer_client.user.pk)
    other = walk_to(counsellor, "evaluated")
    ids = [f["id"] for f in trainer_client.get("/api/files/").json()["results"]]
    assert trained["id"] in ids and other["id"] not in ids
    assert trainer_client.get(f"/api/files/{other['id']}/").status_code == 404
    note = trainer_client.post(
        f"/api/files/{trained['id']}/notes/", {"text": "Bonne progression", "subdomain": "3.1"}, format="json"
    )
    assert note.status_code == 201, note.json()
    # a trainer cannot change the file
    response = trainer_client.post(f"/api/files/{trained['id']}/withdraw/", {"reason": "moved"}, format="json")
    assert response.status_code == 403


def test_candidate_portal_shows_only_own_file(counsellor: Any, org_a: Any) -> None:
    from tests.fixtures.tenants import make_user, token_for

    from clea.journey.models import Candidate

    mine = walk_to(counsellor, "evaluated")
    walk_to(counsellor, "evaluated")
    user = make_user(org_a.schema_name, "candidate")
    with schema_context(org_a.schema_name):
        Candidate.objects.filter(pk=mine["candidate"]["id"]).update(user=user)
    from tests.fixtures.tenants import TenantAPIClient

    client = TenantAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(org_a.schema_name, user)}", HTTP_X_CLEA_TENANT=org_a.slug)
    files = client.get("/api/me/files/").json()
    assert [f["id"] for f in files] == [mine["id"]]
    assert client.get("/api/files/").json()["count"] == 1
    assert client.post(f"/api/files/{mine['id']}/withdraw/", {"reason": "moved"}, format="json").status_code == 403
