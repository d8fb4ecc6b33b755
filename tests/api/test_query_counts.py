"""Queries per endpoint stay bounded: they do not grow with the number of criteria or evaluations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.api.journey_helpers import ALL_CRITERIA, TODAY, initial_payload, results, walk_to

pytestmark = pytest.mark.django_db

MAX_READ_QUERIES = 12
# 20 + the audit trail's 3 per decision (lock, last entry, insert: clea.audit.trail) + 1 outbox INSERT (clea.outbox)
MAX_WRITE_QUERIES = 28  # +1 (issue 13): a one-go entry first checks that no evaluation is open in sittings;
# +2 (R14): the organisation's habilitations and their history; +1 (issue 14): a referred file's stage goes back
# to its prescriber


def _count(call: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured), response


def test_reading_a_file_does_not_grow_with_evaluations(counsellor: Any, trainer_a: Any) -> None:
    body = walk_to(counsellor, "training", missing=("3.1", "7.2"), trainer_id=trainer_a.pk)
    one_evaluation, _ = _count(lambda: counsellor.get(f"/api/files/{body['id']}/"))
    gaps = [c for o in body["current_path"]["objectives"] for c in o["criteria"]]
    final = counsellor.post(
        f"/api/files/{body['id']}/evaluations/",
        {"version": body["version"], "kind": "final", "days": [str(TODAY)], "results": results(gaps[:2], gaps)},
        format="json",
    ).json()
    assert final["state"] == "evaluated" and len(final["evaluations"]) == 2  # more training needed
    two_evaluations, response = _count(lambda: counsellor.get(f"/api/files/{body['id']}/"))
    assert response.status_code == 200
    assert two_evaluations == one_evaluation <= MAX_READ_QUERIES
    mastery, _ = _count(lambda: counsellor.get(f"/api/files/{body['id']}/mastery/"))
    assert mastery <= MAX_READ_QUERIES


def test_recording_an_evaluation_does_not_grow_with_criteria(counsellor: Any, trainer_a: Any) -> None:
    small = walk_to(counsellor, "training", missing=("7.2",), trainer_id=trainer_a.pk)
    large = walk_to(counsellor, "training", missing=("1.4", "2.1", "3.2", "7.1"), trainer_id=trainer_a.pk)
    counts = []
    for body in (small, large):
        scope = [c for o in body["current_path"]["objectives"] for c in o["criteria"]]
        count, response = _count(
            lambda body=body, scope=scope: counsellor.post(
                f"/api/files/{body['id']}/evaluations/",
                {"version": body["version"], "kind": "final", "days": [str(TODAY)], "results": results(scope, scope)},
                format="json",
            )
        )
        assert response.status_code == 201, response.json()
        counts.append((len(scope), count))
    (few, few_queries), (many, many_queries) = counts
    assert few < many and few_queries == many_queries <= MAX_WRITE_QUERIES


def test_initial_evaluation_of_every_criterion_is_bounded(counsellor: Any, django_assert_max_num_queries: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    with django_assert_max_num_queries(MAX_WRITE_QUERIES):
        response = counsellor.post(
            f"/api/files/{body['id']}/evaluations/", initial_payload(body["version"], ALL_CRITERIA), format="json"
        )
    assert response.status_code == 201 and len(response.json()["evaluations"][0]["results"]) == len(ALL_CRITERIA)


def test_listing_files_does_not_grow_with_files(counsellor: Any) -> None:
    walk_to(counsellor, "evaluated")
    few, _ = _count(lambda: counsellor.get("/api/files/"))
    for _ in range(3):
        walk_to(counsellor, "evaluated")
    many, response = _count(lambda: counsellor.get("/api/files/"))
    assert response.json()["count"] >= 4
    assert few == many <= MAX_READ_QUERIES
