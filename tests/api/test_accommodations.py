"""Accommodations (R3): a structured record per file, staff only, seen on the grid and sheet, sent to the jury."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to

pytestmark = pytest.mark.django_db


def count(org: Any) -> int:
    from clea.journey.models import AccommodationRecord

    with schema_context(org.schema_name):
        return AccommodationRecord.objects.count()


def test_recorded_shown_and_sent_to_the_jury(counsellor: Any, org_a: Any) -> None:
    body = walk_to(counsellor, "ready_for_jury")
    url = f"/api/files/{body['id']}/accommodations/"
    added = counsellor.post(url, {"kind": "extra_time", "justification_seen": True}, format="json")
    assert added.status_code == 201, added.json()
    other = counsellor.post(url, {"kind": "other", "detail": "pauses toutes les heures"}, format="json")
    assert other.status_code == 201, other.json()
    listed = counsellor.get(url).json()
    assert [a["label"] for a in listed] == ["Temps supplémentaire", "Autre"]
    assert listed[0]["justification_seen"] is True and listed[0]["recorded_by_id"] == counsellor.user.pk
    submitted = counsellor.post(f"/api/files/{body['id']}/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.json()
    from clea.certification.models import JurySubmission

    snapshot = JurySubmission.objects.get(organisation=org_a, file_ref=str(body["id"])).snapshot
    assert snapshot["accommodations"] == ["Autre : pauses toutes les heures", "Temps supplémentaire"]


@pytest.mark.parametrize(
    "payload,field_or_code",
    [({"kind": "teleportation"}, "kind"), ({"kind": "other"}, "accommodation_detail"), ({}, "kind")],
)
def test_bad_input_is_400_and_nothing_stored(
    counsellor: Any, org_a: Any, payload: dict[str, Any], field_or_code: str
) -> None:
    body = walk_to(counsellor, "file_opened")
    before = count(org_a)
    response = counsellor.post(f"/api/files/{body['id']}/accommodations/", payload, format="json")
    assert response.status_code == 400
    assert field_or_code in response.json()["fields"] or response.json()["code"] == field_or_code
    assert count(org_a) == before


def test_only_staff_of_the_organisation(counsellor: Any, org_a: Any, org_b: Any, api_client_for: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    url = f"/api/files/{body['id']}/accommodations/"
    assert api_client_for(org_b, "admin").get(url).status_code == 404
    assert api_client_for(org_b, "admin").post(url, {"kind": "reader"}, format="json").status_code == 404
    assert api_client_for(org_a, "trainer").get(url).status_code == 403
    assert count(org_a) == 0
