"""Issue 13 §4: the candidate uploads evidence from the portal; a counsellor accepts it or rejects it with a
reason; only accepted pieces may be cited by an evaluation (and so reach the jury)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from tests.api.journey_helpers import ALL_CRITERIA, TODAY, initial_payload, walk_to
from tests.fixtures.tenants import TenantAPIClient, make_user, token_for

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


@pytest.fixture
def candidate_client(counsellor: Any, org_a: Any) -> tuple[Any, dict[str, Any]]:
    """A candidate of org A with an opened file (consent given), signed in to the API."""
    from clea.journey.models import Candidate

    body = walk_to(counsellor, "file_opened")
    user = make_user(org_a.schema_name, "candidate")
    with schema_context(org_a.schema_name):
        Candidate.objects.filter(pk=body["candidate"]["id"]).update(user=user)
    client = TenantAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(org_a.schema_name, user)}", HTTP_X_CLEA_TENANT=org_a.slug)
    return client, body


def _upload(client: Any, file_id: int, title: str = "Photo attestation") -> Any:
    return client.post(
        f"/api/files/{file_id}/evidence/",
        {"content": SimpleUploadedFile("photo.jpg", JPEG), "title": title, "criterion": "1.1.1"},
    )


def test_a_candidate_upload_accepted(candidate_client: Any, counsellor: Any, org_a: Any) -> None:
    client, body = candidate_client
    added = _upload(client, body["id"])
    assert added.status_code == 201, added.json()
    assert added.json()["review_status"] == "to_review"
    uid = added.json()["uid"]
    # waiting for review: it may not be cited yet
    payload = initial_payload(body["version"], ALL_CRITERIA)
    payload["results"][0]["evidence"] = [uid]
    refused = counsellor.post(f"/api/files/{body['id']}/evaluations/", payload, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "evidence_not_accepted", refused.json()
    reviewed = counsellor.post(f"/api/files/{body['id']}/evidence/{uid}/review/", {"decision": "accept"})
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["review_status"] == "accepted" and reviewed.json()["reviewed_by"] is not None
    seen = client.get(f"/api/files/{body['id']}/evidence/").json()
    assert [(e["uid"], e["review_status"]) for e in seen] == [(uid, "accepted")]
    cited = counsellor.post(f"/api/files/{body['id']}/evaluations/", payload, format="json")
    assert cited.status_code in (200, 201), cited.json()
    again = counsellor.post(f"/api/files/{body['id']}/evidence/{uid}/review/", {"decision": "reject", "reason": "x"})
    assert again.status_code == 400 and again.json()["code"] == "already_reviewed"


def test_a_candidate_upload_rejected_is_refused_when_cited(candidate_client: Any, counsellor: Any) -> None:
    client, body = candidate_client
    uid = _upload(client, body["id"]).json()["uid"]
    no_reason = counsellor.post(f"/api/files/{body['id']}/evidence/{uid}/review/", {"decision": "reject"})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    rejected = counsellor.post(
        f"/api/files/{body['id']}/evidence/{uid}/review/", {"decision": "reject", "reason": "Photo illisible"}
    )
    assert rejected.status_code == 200, rejected.json()
    seen = client.get(f"/api/files/{body['id']}/evidence/").json()
    assert (seen[0]["review_status"], seen[0]["review_reason"]) == ("rejected", "Photo illisible")
    payload = initial_payload(body["version"], ALL_CRITERIA)
    payload["results"][0]["evidence"] = [uid]
    refused = counsellor.post(f"/api/files/{body['id']}/evaluations/", payload, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "evidence_not_accepted", refused.json()
    assert refused.json()["rule"] == "R6"
    sitting = counsellor.post(  # a sitting citing it is refused too (issue 13 §1 and §4)
        f"/api/files/{body['id']}/sittings/",
        {"day": str(TODAY), "results": [{"criterion": "1.1.1", "acquired": True, "evidence": [uid]}]},
        format="json",
    )
    assert sitting.status_code == 400 and sitting.json()["code"] == "evidence_not_accepted", sitting.json()


def test_staff_uploads_are_accepted_and_only_staff_review(candidate_client: Any, counsellor: Any) -> None:
    client, body = candidate_client
    staff_piece = counsellor.post(
        f"/api/files/{body['id']}/evidence/", {"content": SimpleUploadedFile("a.jpg", JPEG), "title": "A"}
    )
    assert staff_piece.json()["review_status"] == "accepted"
    uid = _upload(client, body["id"]).json()["uid"]
    own = client.post(f"/api/files/{body['id']}/evidence/{uid}/review/", {"decision": "accept"})
    assert own.status_code == 403  # the candidate never reviews their own piece


def test_bad_review_input_is_400_and_nothing_changes(candidate_client: Any, counsellor: Any, org_a: Any) -> None:
    from clea.journey.models import Evidence

    client, body = candidate_client
    uid = _upload(client, body["id"]).json()["uid"]
    for data in ({"decision": "maybe"}, {}, {"decision": "reject", "reason": "x" * 501}):
        response = counsellor.post(f"/api/files/{body['id']}/evidence/{uid}/review/", data)
        assert response.status_code == 400, (data, response.json())
        assert response.json().get("errors") or response.json().get("fields") or response.json()["detail"]
    assert counsellor.post(f"/api/files/{body['id']}/evidence/nope/review/", {"decision": "accept"}).status_code == 404
    with schema_context(org_a.schema_name):
        piece = Evidence.objects.get(uid=uid)
        assert (piece.review_status, piece.reviewed_by_id, piece.review_reason) == ("to_review", None, "")


def test_a_bad_candidate_upload_stores_nothing(candidate_client: Any, table_counts: Any) -> None:
    client, body = candidate_client
    before = table_counts()
    response = client.post(
        f"/api/files/{body['id']}/evidence/", {"content": SimpleUploadedFile("x.jpg", b"\x00\x01\x02" * 10)}
    )
    assert response.status_code == 400 and response.json()["code"] == "evidence_type_refused"
    assert table_counts() == before
