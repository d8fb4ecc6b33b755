"""Role matrix of the organisation API: every role × every endpoint → the expected status.

The endpoints are enumerated from the URL conf: one missing from ``EXPECTED`` fails the test, so a new
endpoint must state who may call it. Calls are made on a file in training (counsellor, trainer and candidate
are this file's), with empty bodies: an allowed role gets its answer (200) or a validation/state refusal
(400/409) that proves it got past the permission check; nothing is changed.

Columns: anonymous, admin, counsellor (the file's), trainer (the file's), candidate (the file's person).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from tests.security.conftest import rows_of
from tests.security.endpoints import endpoints
from tests.security.test_cross_tenant import call, substitute

from clea_tenants.schemas import use_public_schema

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "admin", "counsellor", "trainer", "candidate")
R = tuple[int, int, int, int, int]

EXPECTED: dict[str, R] = {
    #                                                anon admin couns trainer cand
    "GET /api/": (401, 200, 200, 200, 200),
    "GET /api/audit/": (401, 200, 403, 403, 403),
    "POST /api/auth/token/": (400, 400, 400, 400, 400),  # empty body: username and password required
    "GET /api/branches/modalities/": (401, 200, 200, 200, 403),  # trainers plan evaluations too
    "GET /api/dashboard/": (401, 200, 403, 403, 403),  # the organisation's indicators (clea.dashboards)
    "GET /api/fees/statement/": (401, 200, 403, 403, 403),  # its own statement of acts (clea.publishing)
    "GET /api/fees/statement/csv/": (401, 200, 403, 403, 403),
    "GET /api/fees/statement/pdf/": (401, 200, 403, 403, 403),
    "GET /api/candidates/": (401, 200, 200, 403, 403),
    "GET /api/collective-sessions/": (401, 200, 200, 403, 403),  # issue 13: staff only
    "POST /api/collective-sessions/": (401, 400, 400, 403, 403),
    "GET /api/collective-sessions/{session_id}/": (401, 200, 200, 403, 403),
    "POST /api/collective-sessions/{session_id}/attendance/": (401, 400, 400, 403, 403),
    "GET /api/collective-sessions/{session_id}/convocations/{file_id}/pdf/": (401, 200, 200, 403, 403),
    "POST /api/collective-sessions/{session_id}/enrolments/": (401, 400, 400, 403, 403),
    "POST /api/candidates/": (401, 400, 400, 403, 403),
    "GET /api/candidates/{pk}/": (401, 200, 200, 403, 403),
    "PATCH /api/candidates/{pk}/": (401, 200, 200, 403, 403),
    "PUT /api/candidates/{pk}/": (401, 400, 400, 403, 403),
    "POST /api/candidates/{pk}/erase/": (401, 409, 403, 403, 403),  # active file: withdraw first
    "GET /api/candidates/{pk}/export/": (401, 200, 200, 403, 403),
    "GET /api/candidates/{pk}/identity/": (401, 404, 404, 403, 403),  # R15: none recorded yet
    "PUT /api/candidates/{pk}/identity/": (401, 400, 400, 403, 403),
    "GET /api/geography/communes/": (401, 400, 400, 403, 403),  # neither postcode nor name
    "GET /api/docs/": (401, 200, 200, 200, 200),  # anonymous: 401 only because a bad token is sent
    "GET /api/redoc/": (401, 200, 200, 200, 200),  # same as /api/docs/
    "GET /api/staff/": (401, 200, 200, 403, 403),  # staff directory (evaluator_id, trainer_id): staff only
    "GET /api/evidence/{uid}/download/": (401, 200, 200, 200, 200),
    "GET /api/files/": (401, 200, 200, 200, 200),  # each role sees its own scope
    "POST /api/files/": (401, 400, 400, 403, 403),
    "GET /api/files/{pk}/": (401, 200, 200, 200, 200),
    "POST /api/files/{pk}/evaluations/": (401, 400, 400, 403, 403),
    "GET /api/files/{pk}/evidence/": (401, 200, 200, 200, 200),
    "POST /api/files/{pk}/evidence/": (401, 400, 400, 400, 400),  # trainer and candidate add (issue 13 §4)
    "POST /api/files/{pk}/evidence/{uid}/review/": (401, 400, 400, 403, 403),  # staff review candidate uploads
    "GET /api/files/{pk}/mastery/": (401, 200, 200, 200, 200),
    "GET /api/files/{pk}/evaluation-plan/": (401, 200, 200, 403, 403),  # R3 planning, staff only
    "GET /api/files/{pk}/evaluation-plan/saved/": (401, 200, 200, 403, 403),  # the plan kept on the file
    "POST /api/files/{pk}/evaluation-plan/saved/": (401, 409, 409, 403, 403),  # a file in training: no plan
    "GET /api/files/{pk}/evaluation-plan/saved/pdf/": (401, 404, 404, 403, 403),  # none saved yet
    "GET /api/files/{pk}/notes/": (401, 200, 200, 200, 200),
    "GET /api/files/{pk}/accommodations/": (401, 200, 200, 403, 403),  # details: staff only (issue 13 §3)
    "POST /api/files/{pk}/accommodations/": (401, 400, 400, 403, 403),
    "GET /api/files/{pk}/open-evaluation/": (401, 200, 200, 403, 403),  # sittings (R3): staff only
    "POST /api/files/{pk}/open-evaluation/close/": (401, 400, 400, 403, 403),  # none open on this file
    "POST /api/files/{pk}/sittings/": (401, 400, 400, 403, 403),
    "POST /api/files/{pk}/notes/": (401, 400, 400, 400, 403),  # journey/notes.py: trainer and staff only
    "POST /api/files/{pk}/open/": (401, 400, 400, 403, 403),
    "POST /api/files/{pk}/restart/": (401, 400, 400, 403, 403),
    "POST /api/files/{pk}/submit/": (401, 409, 409, 403, 403),  # no body needed; a file in training: R10
    "POST /api/files/{pk}/training-path/": (401, 400, 400, 403, 403),
    "PUT /api/files/{pk}/training-path/": (401, 400, 400, 403, 403),
    "GET /api/files/{pk}/training-path/suggestion/": (401, 200, 200, 403, 403),
    "POST /api/files/{pk}/transfer/": (401, 400, 400, 403, 403),
    "POST /api/files/{pk}/withdraw/": (401, 400, 400, 403, 403),
    "GET /api/me/": (401, 200, 200, 200, 200),
    "GET /api/me/export/": (401, 403, 403, 403, 200),
    "GET /api/me/files/": (401, 403, 403, 403, 200),
    "GET /api/privacy/retention/": (401, 200, 200, 403, 403),
    "PUT /api/privacy/retention/": (401, 200, 403, 403, 403),
    "GET /api/referrals/": (401, 200, 200, 403, 403),  # the referral inbox (clea.prescribers), staff only
    "POST /api/referrals/{pk}/accept/": (401, 404, 404, 403, 403),  # {pk} is a file id: no such referral
    "POST /api/referrals/{pk}/decline/": (401, 404, 404, 403, 403),
    "POST /api/referrals/{pk}/withdraw-consent/": (401, 404, 404, 403, 403),
    "GET /api/schema/": (401, 200, 200, 200, 200),
    "POST /api/transfers/import/": (401, 400, 400, 403, 403),
}

API = endpoints("clea.urls_tenants", "/api/")


def test_every_endpoint_has_a_row() -> None:
    listed = set(EXPECTED)
    existing = {str(e) for e in API}
    assert existing - listed == set(), f"endpoints missing from the role matrix: {sorted(existing - listed)}"
    assert listed - existing == set(), f"rows for endpoints that no longer exist: {sorted(listed - existing)}"


def _client(role: str, world: dict[str, Any], org: Any, api_client_for: Any) -> Any:
    from django_tenants.utils import schema_context
    from rest_framework.authtoken.models import Token
    from tests.fixtures.tenants import TenantAPIClient

    if role == "admin":
        return api_client_for(org, "admin", via="host")
    client = TenantAPIClient()
    client.defaults["HTTP_HOST"] = f"{org.slug}.{settings.CLEA_BASE_DOMAIN}"
    if role == "anonymous":
        client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
        return client
    user = world[{"counsellor": "counsellor_user", "trainer": "trainer_user", "candidate": "candidate_user"}[role]]
    with schema_context(org.schema_name):
        key = Token.objects.get_or_create(user=user)[0].key
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role: str, world_a: dict[str, Any], org_a: Any, api_client_for: Any) -> None:
    client = _client(role, world_a, org_a, api_client_for)
    column = ROLES.index(role)
    before = rows_of(org_a.schema_name)
    wrong = []
    for endpoint in API:
        expected = EXPECTED.get(str(endpoint))
        if expected is None:
            continue  # reported by test_every_endpoint_has_a_row
        if role == "anonymous" and endpoint.template == "/api/auth/token/":
            client.credentials()  # the token endpoint is called without credentials
        response = call(client, endpoint.method, substitute(endpoint, world_a))
        use_public_schema()
        if role == "anonymous":
            client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
        if response.status_code != expected[column]:
            wrong.append(f"{endpoint}: expected {expected[column]}, got {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    after = rows_of(org_a.schema_name)
    for label in ("audit.AuditEntry", "authtoken.Token", "privacy.RetentionPolicy", "accounts.User"):
        before.pop(label, None), after.pop(label, None)  # reads are audited; tokens are issued; PUT defaults
    assert after == before
