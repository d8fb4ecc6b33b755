"""Sittings through the API (R3, R7, R8): a préalable over three sittings, three days, two evaluators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.api.journey_helpers import ALL_CRITERIA, MODALITY, TODAY, all_but, walk_to
from tests.fixtures.tenants import make_user, token_for

pytestmark = pytest.mark.django_db


def backdate_consent(org: Any, file_id: int, days: int) -> None:
    """The person consented ``days`` ago (the API records consent on the day it is given)."""
    from clea.journey.models import CandidateFileRecord

    with schema_context(org.schema_name):
        CandidateFileRecord.objects.filter(pk=file_id).update(consent_given_on=TODAY - timedelta(days=days))


def client_of(org: Any, user: Any, api_client_for: Any) -> Any:
    client = api_client_for(org, "admin")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(org.schema_name, user)}")
    return client


def entries(codes: list[str], acquired: set[str]) -> list[dict[str, Any]]:
    return [{"criterion": c, "acquired": c in acquired, "comment": ""} for c in codes]


def sitting_counts(org: Any) -> tuple[int, int, int, int]:
    from clea.journey.models import EvaluationRecord, OpenEvaluationRecord, SittingEntryRecord, SittingRecord

    with schema_context(org.schema_name):
        return (
            OpenEvaluationRecord.objects.count(),
            SittingRecord.objects.count(),
            SittingEntryRecord.objects.count(),
            EvaluationRecord.objects.count(),
        )


def test_three_sittings_three_days_two_evaluators_then_close(counsellor: Any, org_a: Any, api_client_for: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    file_id = body["id"]
    backdate_consent(org_a, file_id, 10)
    second = client_of(org_a, make_user(org_a.schema_name, "counsellor"), api_client_for)
    acquired = all_but("3.1")
    third = len(ALL_CRITERIA) // 3
    parts = [ALL_CRITERIA[:third], ALL_CRITERIA[third : 2 * third], ALL_CRITERIA[2 * third :]]
    days = [TODAY - timedelta(days=6), TODAY - timedelta(days=3), TODAY]
    clients = [counsellor, second, counsellor]
    for index, (part, day, client) in enumerate(zip(parts, days, clients, strict=True)):
        # Another evaluator resumes: reads what was saved so far, from the server.
        before = client.get(f"/api/files/{file_id}/open-evaluation/")
        assert before.status_code == 200
        if index:
            assert before.json()["entered"] == sum(len(p) for p in parts[:index])
        response = client.post(
            f"/api/files/{file_id}/sittings/",
            {"day": str(day), "modality": MODALITY, "results": entries(part, acquired)},
            format="json",
            HTTP_IF_MATCH=before["ETag"],
        )
        assert response.status_code == 201, response.json()
        state = counsellor.get(f"/api/files/{file_id}/").json()["state"]
        assert state == "file_opened"  # mastery changes nothing until the close
        if index < 2:
            refused = client.post(f"/api/files/{file_id}/open-evaluation/close/", {}, format="json")
            assert refused.status_code == 400 and refused.json()["code"] == "evaluation_incomplete"
    opened = counsellor.get(f"/api/files/{file_id}/open-evaluation/").json()
    assert opened["days"] == [str(d) for d in days]
    assert len({s["evaluator_id"] for s in opened["sittings"]}) == 2
    assert opened["can_close"] is True and opened["missing"] == []
    # A correction while open: the history keeps both entries.
    corrected = parts[0][0]
    response = second.post(
        f"/api/files/{file_id}/sittings/",
        {"day": str(TODAY), "results": [{"criterion": corrected, "acquired": False, "comment": "revu"}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [h["acquired"] for h in response.json()["corrections"][corrected]] == [True, False]
    closed = second.post(f"/api/files/{file_id}/open-evaluation/close/", {}, format="json")
    assert closed.status_code == 200, closed.json()
    file = closed.json()
    assert file["state"] == "evaluated"
    assert file["deadline"] == str(days[0].replace(year=days[0].year + 5))  # R8: from the first day
    assert counsellor.get(f"/api/files/{file_id}/open-evaluation/").json()["id"] is None
    from clea.journey.models import CriterionResultRecord

    with schema_context(org_a.schema_name):
        row = CriterionResultRecord.objects.get(evaluation__file_id=file_id, criterion=corrected)
        assert row.acquired is False and row.evaluated_on == TODAY
        assert CriterionResultRecord.objects.filter(evaluation__file_id=file_id).count() == len(ALL_CRITERIA)


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"results": [{"criterion": "1.1.1", "acquired": True}]}, "day"),
        ({"day": "pas-une-date", "results": [{"criterion": "1.1.1", "acquired": True}]}, "day"),
        ({"day": str(TODAY), "results": []}, "results"),
        ({"day": str(TODAY), "results": [{"criterion": "1.1.1"}]}, "results"),
        (
            {"day": str(TODAY), "evaluator_id": 999999, "results": [{"criterion": "1.1.1", "acquired": True}]},
            "evaluator_id",
        ),
    ],
)
def test_bad_input_is_400_with_field_messages_and_nothing_stored(
    counsellor: Any, org_a: Any, payload: dict[str, Any], field: str
) -> None:
    body = walk_to(counsellor, "file_opened")
    before = sitting_counts(org_a)
    response = counsellor.post(f"/api/files/{body['id']}/sittings/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert any(key.startswith(field) for key in response.json()["fields"]), response.json()
    assert sitting_counts(org_a) == before


@pytest.mark.parametrize(
    "offset,code,rule",
    [(1, "evaluation_in_future", "R8"), (-20, "day_before_consent", "R8")],
)
def test_date_refusals(counsellor: Any, org_a: Any, offset: int, code: str, rule: str) -> None:
    body = walk_to(counsellor, "file_opened")
    backdate_consent(org_a, body["id"], 10)
    before = sitting_counts(org_a)
    response = counsellor.post(
        f"/api/files/{body['id']}/sittings/",
        {
            "day": str(TODAY + timedelta(days=offset)),
            "modality": MODALITY,
            "results": [{"criterion": ALL_CRITERIA[0], "acquired": True}],
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert (response.json()["code"], response.json()["rule"]) == (code, rule)
    assert "ne peut" in response.json()["detail"] or "précède" in response.json()["detail"]
    assert sitting_counts(org_a) == before


def test_span_refusal_is_a_setting(counsellor: Any, org_a: Any, settings: Any) -> None:
    settings.CLEA_EVALUATION_MAX_SPAN_DAYS = 5
    body = walk_to(counsellor, "file_opened")
    backdate_consent(org_a, body["id"], 30)
    url = f"/api/files/{body['id']}/sittings/"
    first = {
        "day": str(TODAY - timedelta(days=10)),
        "modality": MODALITY,
        "results": [{"criterion": ALL_CRITERIA[0], "acquired": True}],
    }
    assert counsellor.post(url, first, format="json").status_code == 201
    late = {"day": str(TODAY), "results": [{"criterion": ALL_CRITERIA[1], "acquired": True}]}
    response = counsellor.post(url, late, format="json")
    assert response.status_code == 400 and (response.json()["code"], response.json()["rule"]) == (
        "evaluation_span",
        "R3",
    )


def test_stale_version_is_409(counsellor: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    url = f"/api/files/{body['id']}/sittings/"
    payload = {
        "version": body["version"],
        "day": str(TODAY),
        "modality": MODALITY,
        "results": [{"criterion": ALL_CRITERIA[0], "acquired": True}],
    }
    assert counsellor.post(url, payload, format="json").status_code == 201
    payload["results"] = [{"criterion": ALL_CRITERIA[1], "acquired": True}]
    response = counsellor.post(url, payload, format="json")
    assert response.status_code == 409 and response.json()["code"] == "version_conflict"


def test_the_candidates_trainer_cannot_resume(counsellor: Any, org_a: Any, api_client_for: Any) -> None:
    """R7: a counsellor who trains the candidate cannot record a sitting of the final evaluation."""
    coach = make_user(org_a.schema_name, "counsellor")
    body = walk_to(counsellor, "training", trainer_id=coach.pk)
    objectives = sorted(c for o in body["current_path"]["objectives"] for c in o["criteria"])
    response = counsellor.post(
        f"/api/files/{body['id']}/sittings/",
        {"day": str(TODAY), "evaluator_id": coach.pk, "modality": MODALITY, "results": entries(objectives, set())},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert (response.json()["code"], response.json()["rule"]) == ("trainer_is_evaluator", "R7")


def test_trainer_and_candidate_are_refused(counsellor: Any, org_a: Any, api_client_for: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    trainer = api_client_for(org_a, "trainer")
    response = trainer.post(
        f"/api/files/{body['id']}/sittings/",
        {"day": str(TODAY), "results": [{"criterion": ALL_CRITERIA[0], "acquired": True}]},
        format="json",
    )
    assert response.status_code == 403


def test_the_plan_is_saved_on_the_file_and_printed(counsellor: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    url = f"/api/files/{body['id']}/evaluation-plan/saved/"
    assert counsellor.get(url).json()["id"] is None
    assert counsellor.get(url + "pdf/").status_code == 404
    bad = counsellor.post(url, {"max_minutes_per_day": 5, "start": "hier"}, format="json")
    assert bad.status_code == 400 and {"max_minutes_per_day", "start"} <= set(bad.json()["fields"])
    assert counsellor.get(url).json()["id"] is None  # nothing stored
    saved = counsellor.post(url, {"branch": MODALITY, "max_minutes_per_day": 120}, format="json")
    assert saved.status_code == 201, saved.json()
    days = [day["on"] for day in saved.json()["plan"]["days"]]
    assert len(days) > 1
    pdf = counsellor.get(url + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
