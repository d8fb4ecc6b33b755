"""R2: a file moves between organisations with consent, as a signed bundle, and nothing else leaks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.api.journey_helpers import all_but, initial_payload, walk_to

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _transfer(client: Any, body: dict[str, Any], target: str, consent: bool = True) -> Any:
    return client.post(
        f"/api/files/{body['id']}/transfer/",
        {"version": body["version"], "target_organisation": target, "consent": consent},
        format="json",
    )


def test_r2_transfer_keeps_evaluations_evidence_and_history(
    counsellor: Any, org_a: Any, org_b: Any, api_client_for: Any
) -> None:
    body = walk_to(counsellor, "file_opened")
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    evidence = counsellor.post(
        f"/api/files/{body['id']}/evidence/", {"content": upload, "title": "Photo chantier"}
    ).json()
    body = counsellor.get(f"/api/files/{body['id']}/").json()
    payload = initial_payload(body["version"], all_but("2.1"))
    payload["results"][0]["evidence"] = [evidence["uid"]]
    body = counsellor.post(f"/api/files/{body['id']}/evaluations/", payload, format="json").json()
    assert body["state"] == "evaluated"

    response = _transfer(counsellor, body, org_b.schema_name)
    assert response.status_code == 200, response.json()
    assert response.json()["file"]["state"] == "transferred"
    bundle = response.json()["bundle"]

    client_b = api_client_for(org_b, "counsellor")
    imported = client_b.post("/api/transfers/import/", {"bundle": bundle, "consent": True}, format="json")
    assert imported.status_code == 201, imported.json()
    file_b = imported.json()
    assert file_b["state"] == "evaluated"  # resumes where it stood
    assert file_b["mastery"]["mastered_domains"] == body["mastery"]["mastered_domains"]
    assert file_b["candidate"]["last_name"] == body["candidate"]["last_name"]
    assert [e["uid"] for e in file_b["evidence"]] == [evidence["uid"]]
    assert file_b["decisions"][-1]["kind"] == "transferred_in"
    # the evaluator of organisation A stays known as such (R7 still applies in B)
    assert file_b["evaluations"][0]["evaluator"] == f"{org_a.schema_name}/user:{counsellor.user.pk}"
    download = client_b.get(file_b["evidence"][0]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG

    again = client_b.post("/api/transfers/import/", {"bundle": bundle, "consent": True}, format="json")
    assert again.status_code == 409


def test_r2_transfer_needs_consent_on_both_sides(counsellor: Any, org_b: Any, api_client_for: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    assert _transfer(counsellor, body, org_b.schema_name, consent=False).json()["rule"] == "R2"
    bundle = _transfer(counsellor, body, org_b.schema_name).json()["bundle"]
    client_b = api_client_for(org_b, "counsellor")
    response = client_b.post("/api/transfers/import/", {"bundle": bundle, "consent": False}, format="json")
    assert response.status_code == 400 and response.json()["rule"] == "R2"


def test_r2_bundle_is_addressed_and_signed(counsellor: Any, org_a: Any, org_b: Any, api_client_for: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    bundle = _transfer(counsellor, body, org_b.schema_name).json()["bundle"]
    # not for A itself
    response = counsellor.post("/api/transfers/import/", {"bundle": bundle, "consent": True}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_bundle"
    # tampered
    client_b = api_client_for(org_b, "counsellor")
    tampered = bundle[:-3] + ("AAA" if not bundle.endswith("AAA") else "BBB")
    response = client_b.post("/api/transfers/import/", {"bundle": tampered, "consent": True}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_bundle"


def test_r2_transfer_to_unknown_or_same_organisation_refused(counsellor: Any, org_a: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    assert _transfer(counsellor, body, "nowhere").json()["code"] == "unknown_organisation"
    assert _transfer(counsellor, body, org_a.schema_name).json()["code"] == "transfer_to_self"
