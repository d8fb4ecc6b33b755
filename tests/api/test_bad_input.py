"""Bad input gets 400 (fields) or 409 (conflicts) and leaves the database exactly as it was."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.journey_helpers import TODAY, initial_payload, open_payload, refer_payload, results, walk_to

pytestmark = pytest.mark.django_db


def _assert_unchanged(table_counts: Any, before: dict[str, int]) -> None:
    assert table_counts() == before


@pytest.mark.parametrize(
    "payload,field",
    [
        ({}, "candidate"),
        ({"candidate": {"first_name": "A"}}, "candidate.last_name"),
        ({"candidate": {"first_name": "A", "last_name": "B", "email": "not-an-email"}}, "candidate.email"),
        ({"candidate_id": "abc"}, "candidate_id"),
        ({"candidate_id": 999999}, "candidate_id"),
        (
            {
                **refer_payload(),
                "referral": {"prescriber_type": "astrologer", "prescriber_name": "x", "referred_on": "2026-01-01"},
            },
            "referral.prescriber_type",
        ),
        (
            {
                **refer_payload(),
                "referral": {"prescriber_type": "employer", "prescriber_name": "x", "referred_on": "yesterday"},
            },
            "referral.referred_on",
        ),
    ],
)
def test_refer_bad_input(counsellor: Any, table_counts: Any, payload: dict[str, Any], field: str) -> None:
    before = table_counts()
    response = counsellor.post("/api/files/", payload, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "validation_error" and field in body["fields"], body
    _assert_unchanged(table_counts, before)


@pytest.mark.parametrize(
    "mutate,expected_status,expected",
    [
        (lambda p: p.pop("kind"), 400, "kind"),
        (lambda p: p.update(kind="medium"), 400, "kind"),
        (lambda p: p.update(days=[]), 400, "days"),
        (lambda p: p.update(days=["not a date"]), 400, "days.0"),
        (lambda p: p.update(results=[]), 400, "results"),
        (lambda p: p["results"][0].update(acquired="peut-être"), 400, "results.0.acquired"),
        (lambda p: p["results"][0].pop("criterion"), 400, "results.0.criterion"),
        (lambda p: p["results"][0].update(criterion="9.9.9"), 400, "unknown_criterion"),
        (lambda p: p["results"].append(dict(p["results"][0])), 400, "duplicate_criterion"),
        (lambda p: p["results"].pop(), 400, "initial_evaluation_incomplete"),
        (lambda p: p.update(days=["2999-01-01"]), 400, "evaluation_in_future"),
        (lambda p: p.update(kind="final"), 409, "state_conflict"),  # a final evaluation needs a path
        (lambda p: p.update(version="x"), 400, "version"),
        (lambda p: p.update(version=99), 409, "version_conflict"),
        (lambda p: p.update(evaluator_id=999999), 400, "evaluator_id"),
        (lambda p: p["results"][0].update(evidence=["00000000-0000-0000-0000-000000000000"]), 400, "unknown_evidence"),
    ],
)
def test_evaluation_bad_input(
    counsellor: Any, table_counts: Any, mutate: Any, expected_status: int, expected: str
) -> None:
    body = walk_to(counsellor, "file_opened")
    payload = initial_payload(body["version"], [])
    mutate(payload)
    before = table_counts()
    response = counsellor.post(f"/api/files/{body['id']}/evaluations/", payload, format="json")
    assert response.status_code == expected_status, response.json()
    error = response.json()
    assert expected in error["fields"] or error["code"] == expected, error
    assert error["detail"]
    _assert_unchanged(table_counts, before)


def test_transition_out_of_order_is_409(counsellor: Any, table_counts: Any) -> None:
    body = walk_to(counsellor, "referred")  # not opened yet
    before = table_counts()
    response = counsellor.post(
        f"/api/files/{body['id']}/evaluations/", initial_payload(body["version"], []), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"
    response = counsellor.post(f"/api/files/{body['id']}/submit/", {"version": body["version"]}, format="json")
    assert response.status_code == 409
    _assert_unchanged(table_counts, before)


def test_training_path_bad_calendar_refused(counsellor: Any, trainer_a: Any, table_counts: Any) -> None:
    body = walk_to(counsellor, "evaluated")
    before = table_counts()
    for sessions, code in [
        ([{"starts_on": str(TODAY), "ends_on": str(TODAY), "subdomains": ["3.1"]}], "calendar_incomplete"),
        ([{"starts_on": "2020-01-01", "ends_on": "2020-01-02", "subdomains": ["3.1", "7.2"]}], "calendar_in_past"),
        ([{"starts_on": str(TODAY), "ends_on": "2040-01-01", "subdomains": ["3.1", "7.2"]}], "calendar_after_deadline"),
        (
            [{"starts_on": str(TODAY), "ends_on": str(TODAY), "subdomains": ["3.1", "7.2", "1.1"]}],
            "calendar_outside_objectives",
        ),
    ]:
        response = counsellor.post(
            f"/api/files/{body['id']}/training-path/",
            {
                "version": body["version"],
                "trainer_id": trainer_a.pk,
                "training_organisation": "CF",
                "sessions": sessions,
            },
            format="json",
        )
        assert response.status_code == 400 and response.json()["code"] == code, response.json()
    response = counsellor.post(
        f"/api/files/{body['id']}/training-path/",
        {"version": body["version"], "trainer_id": "abc", "training_organisation": ""},
        format="json",
    )
    assert response.status_code == 400 and {"trainer_id", "training_organisation"} <= set(response.json()["fields"])
    _assert_unchanged(table_counts, before)


def test_concurrent_edit_second_writer_gets_409(
    counsellor: Any, org_a: Any, api_client_for: Any, table_counts: Any
) -> None:
    other = api_client_for(org_a, "counsellor")
    body = walk_to(counsellor, "file_opened")
    etag = counsellor.get(f"/api/files/{body['id']}/").headers["ETag"]
    first = other.post(f"/api/files/{body['id']}/withdraw/", {"reason": "moved"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    before = table_counts()
    second = counsellor.post(
        f"/api/files/{body['id']}/evaluations/", initial_payload(body["version"], []), format="json"
    )
    assert second.status_code == 409 and second.json()["code"] == "version_conflict"
    stale = counsellor.post(
        f"/api/files/{body['id']}/withdraw/", {"reason": "moved"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 409
    _assert_unchanged(table_counts, before)


def test_bad_if_match_header(counsellor: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    response = counsellor.post(
        f"/api/files/{body['id']}/withdraw/", {"reason": "moved"}, format="json", HTTP_IF_MATCH="nonsense"
    )
    assert response.status_code == 400 and "If-Match" in response.json()["fields"]


def test_unknown_ids_are_404(counsellor: Any) -> None:
    assert counsellor.get("/api/files/999999/").status_code == 404
    assert counsellor.get("/api/files/abc/").status_code == 404
    assert counsellor.get("/api/evidence/not-a-uuid/download/").status_code == 404
    assert counsellor.post("/api/files/999999/open/", open_payload(1), format="json").status_code == 404


def test_final_results_on_evaluated_only(counsellor: Any) -> None:
    body = walk_to(counsellor, "evaluated")
    response = counsellor.post(
        f"/api/files/{body['id']}/evaluations/",
        {"version": body["version"], "kind": "final", "days": [str(TODAY)], "results": results([], ["3.1.1"])},
        format="json",
    )
    assert response.status_code == 409
