"""A certified candidate with a full civil identity (R15), for the certificate, CPF and parchment tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.api.journey_helpers import walk_to
from tests.certification.conftest import JuryFixture
from tests.certification.test_credentials import certify

from clea.certification.models import Certificate, JurySubmission

IDENTITY: dict[str, Any] = {
    "civility": "MME",
    "birth_name": "Dupont",
    "usage_name": "Martin",
    "first_names": ["Léa", "Marie"],
    "birth_date": "1990-03-14",
    "birth_postcode": "69001",
    "birth_commune_name": "Lyon",
}


def submit_with_identity(api_client_for: Callable[..., Any], org: Any, identity: dict[str, Any]) -> JurySubmission:
    client = api_client_for(org, "counsellor")
    accredited = org.accreditations.filter(revoked_at__isnull=True).select_related("branch").first()
    body = walk_to(client, "ready_for_jury", modality=accredited.branch.code)
    candidate = client.get(f"/api/files/{body['id']}/").json()["candidate"]
    candidate_id = candidate["id"] if isinstance(candidate, dict) else candidate
    saved = client.put(f"/api/candidates/{candidate_id}/identity/", identity, format="json")
    assert saved.status_code == 200, saved.json()
    version = client.get(f"/api/files/{body['id']}/").json()["version"]
    response = client.post(f"/api/files/{body['id']}/submit/", {"version": version}, format="json")
    assert response.status_code == 200, response.json()
    return JurySubmission.objects.get(organisation=org, file_ref=str(body["id"]))


def certified_with_identity(
    federation_client: Any,
    jury: JuryFixture,
    api_client_for: Callable[..., Any],
    org: Any,
    identity: dict[str, Any] | None = None,
) -> Certificate:
    (certificate,) = certify(federation_client, jury, [submit_with_identity(api_client_for, org, identity or IDENTITY)])
    return certificate
