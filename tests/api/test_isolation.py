"""Tenant isolation: organisation B never reaches organisation A's objects, on any journey endpoint."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context
from tests.api.journey_helpers import initial_payload, open_payload, walk_to
from tests.fixtures.tenants import ORG_B_BRANCHES

from clea.prescribers.inbox.models import IncomingReferral

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Every detail route of the journey API with the methods to try as organisation B, and a body.
DETAIL_ROUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "/api/files/{id}/", {}),
    ("get", "/api/files/{id}/mastery/", {}),
    ("get", "/api/files/{id}/evidence/", {}),
    ("post", "/api/files/{id}/evidence/", {}),
    ("get", "/api/files/{id}/notes/", {}),
    ("post", "/api/files/{id}/notes/", {"text": "x"}),
    ("get", "/api/files/{id}/training-path/suggestion/", {}),
    ("get", "/api/files/{id}/evaluation-plan/", {}),  # the accredited branch's plan (R3)
    ("post", "/api/files/{id}/training-path/", {"trainer_id": 1, "training_organisation": "x"}),
    ("put", "/api/files/{id}/training-path/", {"trainer_id": 1, "sessions": []}),
    ("post", "/api/files/{id}/open/", open_payload(1)),
    ("post", "/api/files/{id}/evaluations/", initial_payload(1, [])),
    ("get", "/api/files/{id}/open-evaluation/", {}),  # sittings (R3)
    ("get", "/api/files/{id}/accommodations/", {}),
    ("post", "/api/files/{id}/accommodations/", {"kind": "extra_time"}),
    ("post", "/api/files/{id}/sittings/", {"day": "2026-01-05", "results": [{"criterion": "1.1.1", "acquired": True}]}),
    ("post", "/api/files/{id}/open-evaluation/close/", {}),
    ("get", "/api/files/{id}/evaluation-plan/saved/", {}),
    ("post", "/api/files/{id}/evaluation-plan/saved/", {}),
    ("get", "/api/files/{id}/evaluation-plan/saved/pdf/", {}),
    ("post", "/api/files/{id}/submit/", {}),
    ("post", "/api/files/{id}/withdraw/", {"reason": "moved"}),
    ("post", "/api/files/{id}/transfer/", {"target_organisation": "test-beta", "consent": True}),
    ("post", "/api/files/{id}/restart/", open_payload(1)),
    ("get", "/api/candidates/{candidate}/", {}),
    ("patch", "/api/candidates/{candidate}/", {"last_name": "Pirate"}),
    ("get", "/api/evidence/{evidence}/download/", {}),
    ("post", "/api/files/{id}/evidence/{evidence}/review/", {"decision": "accept"}),  # issue 13 §4
    # collective sessions (issue 13): tests/api/test_collective.py::test_another_organisation_never_reaches_a_session
    ("get", "/api/collective-sessions/{session_id}/", {}),
    ("post", "/api/collective-sessions/{session_id}/enrolments/", {}),
    ("post", "/api/collective-sessions/{session_id}/attendance/", {}),
    ("get", "/api/collective-sessions/{session_id}/convocations/{id}/pdf/", {}),
    ("get", "/api/candidates/{candidate}/identity/", {}),  # civil identity for certificates (R15)
    ("put", "/api/candidates/{candidate}/identity/", {"birth_name": "Pirate"}),
    ("post", "/api/referrals/{referral}/accept/", {}),  # the inbox of prescribers' referrals (issue 14)
    ("post", "/api/referrals/{referral}/decline/", {"reason": "x"}),
    ("post", "/api/referrals/{referral}/withdraw-consent/", {}),
    ("get", "/api/candidates/{candidate}/export/", {}),  # GDPR (clea.privacy)
    ("post", "/api/candidates/{candidate}/erase/", {}),
]


def _journey_route_templates() -> set[str]:
    """Every route with an object id in the tenant URL conf (to prove DETAIL_ROUTES is complete)."""
    found: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text)
            elif "<" in text or "(?P<" in text:
                found.add(text)

    walk(get_resolver("clea.urls_tenants").url_patterns, "/")
    normalised = set()
    for text in found:
        if "format" in text:
            continue
        text = re.sub(r"\(\?P<(\w+)>[^)]+\)", r"<\1>", text).replace("^", "").replace("$", "").replace("\\.", ".")
        normalised.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text))
    return normalised


def test_isolation_routes_cover_every_object_endpoint() -> None:
    tested = {re.sub(r"\{\w+\}", "{pk}", path) for _, path, _ in DETAIL_ROUTES}
    existing = {re.sub(r"\{\w+\}", "{pk}", path) for path in _journey_route_templates() if path.startswith("/api/")}
    assert existing <= tested, f"endpoints without an isolation test: {sorted(existing - tested)}"


@pytest.fixture
def file_of_a(counsellor: Any, org_a: Any) -> dict[str, Any]:
    body = walk_to(counsellor, "file_opened")
    upload = SimpleUploadedFile("preuve.pdf", PDF, content_type="application/pdf")
    evidence = counsellor.post(f"/api/files/{body['id']}/evidence/", {"content": upload, "title": "Attestation"})
    assert evidence.status_code == 201, evidence.json()
    session = counsellor.post(
        "/api/collective-sessions/",
        {
            "on": str(date.today()),
            "starts_at": "09:00",
            "ends_at": "12:00",
            "place": "Salle 1",
            "capacity": 5,
            "evaluator_ids": [counsellor.user.pk],
        },
        format="json",
    )
    assert session.status_code == 201, session.json()
    enrolled = counsellor.post(f"/api/collective-sessions/{session.json()['id']}/enrolments/", {"file_id": body["id"]})
    assert enrolled.status_code == 201, enrolled.json()
    with schema_context(org_a.schema_name):
        referral = IncomingReferral.objects.create(
            referral_uid=uuid.uuid4(),
            prescriber_name="France Travail Lyon",
            prescriber_kind="france_travail",
            first_name="Léa",
            last_name="Orientée",
            consent_wording="J'accepte d'être orientée.",
            consent_given_on=date.today(),
            referred_on=date.today(),
        )
    return {**body, "evidence_uid": evidence.json()["uid"], "session": session.json()["id"], "referral": referral.pk}


@pytest.mark.parametrize("method,template,payload", DETAIL_ROUTES)
def test_isolation_org_b_gets_404_on_org_a_objects(
    file_of_a: dict[str, Any],
    org_b: Any,
    api_client_for: Any,
    table_counts: Any,
    method: str,
    template: str,
    payload: dict[str, Any],
) -> None:
    client_b = api_client_for(org_b, "admin")
    url = template.format(
        id=file_of_a["id"],
        candidate=file_of_a["candidate"]["id"],
        evidence=file_of_a["evidence_uid"],
        session_id=file_of_a["session"],
        referral=file_of_a["referral"],
    )
    before = table_counts()
    response = getattr(client_b, method)(url, payload, format="json") if method != "get" else client_b.get(url)
    assert response.status_code == 404, (url, response.status_code)
    assert "Léa" not in response.content.decode()
    assert table_counts() == before


def test_isolation_lists_and_filters_hide_other_tenant(
    file_of_a: dict[str, Any], org_b: Any, api_client_for: Any
) -> None:
    client_b = api_client_for(org_b, "admin")
    assert client_b.get("/api/files/").json()["count"] == 0
    assert client_b.get("/api/files/", {"state": "file_opened"}).json()["count"] == 0
    assert client_b.get("/api/candidates/", {"last_name": "Martin"}).json()["count"] == 0


def test_isolation_token_of_b_refused_on_a(
    file_of_a: dict[str, Any], org_a: Any, org_b: Any, api_client_for: Any
) -> None:
    client_b = api_client_for(org_b, "admin")
    client_b.defaults["HTTP_X_CLEA_TENANT"] = org_a.slug  # B's token, A's routing
    assert client_b.get(f"/api/files/{file_of_a['id']}/").status_code == 401
    client_b.defaults.pop("HTTP_X_CLEA_TENANT")
    client_b.defaults["HTTP_HOST"] = f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}"
    assert client_b.get(f"/api/evidence/{file_of_a['evidence_uid']}/download/").status_code == 401


def test_isolation_evidence_reference_from_other_tenant_refused(
    file_of_a: dict[str, Any], org_b: Any, api_client_for: Any
) -> None:
    client_b = api_client_for(org_b, "counsellor")
    body = walk_to(client_b, "file_opened")
    payload = initial_payload(body["version"], [], modality=ORG_B_BRANCHES[0])
    payload["results"][0]["evidence"] = [file_of_a["evidence_uid"]]
    response = client_b.post(f"/api/files/{body['id']}/evaluations/", payload, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_evidence"


def test_isolation_evidence_stored_under_tenant_folder(file_of_a: dict[str, Any], org_a: Any) -> None:
    from django_tenants.utils import schema_context

    from clea.journey.models import Evidence

    with schema_context(org_a.schema_name):
        evidence = Evidence.objects.get(uid=file_of_a["evidence_uid"])
        assert str(evidence.content.name).startswith(f"tenants/{org_a.schema_name}/evidence/")
