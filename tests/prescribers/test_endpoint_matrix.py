"""Every prescriber and federation-prescriber endpoint, enumerated from the federation's URL conf: who gets in.

A new endpoint missing from ``EXPECTED`` fails the test. Another prescriber's objects are 404 (see
test_referrals); here: anonymous, a federation analyst, a jury member, a prescriber, the federation admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.fixtures.tenants import TenantAPIClient
from tests.prescribers.conftest import PrescriberFixture
from tests.security.endpoints import endpoints

pytestmark = [pytest.mark.db]

ROLES = ("anonymous", "analyst", "jury_member", "prescriber", "federation_admin")
EXPECTED: dict[str, tuple[int, int, int, int, int]] = {
    #                                                      anon analyst jury presc fed-admin
    "GET /api/prescriber/organisations/": (401, 403, 403, 200, 403),
    "GET /api/prescriber/referrals/": (401, 403, 403, 200, 403),
    "POST /api/prescriber/referrals/": (401, 403, 403, 400, 403),
    "POST /api/prescriber/referrals/bulk/": (401, 403, 403, 415, 403),  # multipart only (a JSON body: 415)
    "GET /api/prescriber/referrals/{pk}/": (401, 403, 403, 404, 403),
    "POST /api/prescriber/referrals/{pk}/withdraw-consent/": (401, 403, 403, 404, 403),
    "GET /api/prescriber/cohorts/": (401, 403, 403, 200, 403),
    "POST /api/prescriber/cohorts/": (401, 403, 403, 400, 403),
    "POST /api/prescriber/cohort-registrations/": (400, 400, 400, 400, 400),  # anyone with a code (no auth)
    "GET /api/prescriber/figures/": (401, 403, 403, 200, 403),
    "GET /api/prescriber/notifications/": (401, 403, 403, 200, 403),
    "POST /api/prescriber/invitations/": (401, 403, 403, 400, 403),
    "GET /api/federation/prescribers/": (401, 403, 403, 403, 200),
    "POST /api/federation/prescribers/": (401, 403, 403, 403, 400),
    "POST /api/federation/prescribers/{pk}/approve/": (401, 403, 403, 403, 404),
}
PRESCRIBER_API = [
    e
    for e in endpoints("clea.urls_public", "/api/")
    if e.template.startswith(("/api/prescriber", "/api/federation/prescribers"))
]


def test_every_prescriber_endpoint_has_a_row() -> None:
    assert {str(e) for e in PRESCRIBER_API} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_in(
    role: str, prescriber: Callable[..., PrescriberFixture], api_client_for: Callable[..., Any]
) -> None:
    if role == "prescriber":
        client = prescriber().client
    elif role == "anonymous":
        client = TenantAPIClient()
        client.defaults["HTTP_HOST"] = "clea.test"
        client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    else:
        client = api_client_for(None, role)
    column = ROLES.index(role)
    wrong = []
    for endpoint in PRESCRIBER_API:
        url = endpoint.template.replace("{pk}", "999999")
        response = getattr(client, endpoint.method.lower())(url, {}, format="json")
        expected = EXPECTED[str(endpoint)][column]
        if response.status_code != expected:
            wrong.append(f"{endpoint}: {response.status_code}, expected {expected}")
    assert wrong == []
