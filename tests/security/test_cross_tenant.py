"""Organisation B against organisation A, on EVERY endpoint of the tenant URL conf (enumerated, so a new
endpoint is covered without editing this file):

* B's token on A's host → 401 (users and tokens are per schema), for the API;
* B's token on B's host with A's ids → 404 (nothing leaks, not even existence), for every endpoint with an id;
* B's signed-in session on A's host → sent to A's login page; on B's host with A's ids → 404, for the web pages;
* and no row of A changed (journey, privacy, audit trail, users, tokens, sign-in attempts).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from tests.security.conftest import rows_of
from tests.security.endpoints import Endpoint, endpoints
from tests.web.conftest import TenantClient

from clea.collective.models import CollectiveSession
from clea.journey.models import Candidate, CandidateFileRecord

pytestmark = pytest.mark.django_db

# Endpoints anyone may call without signing in (their answer does not depend on the organisation's data).
ANONYMOUS_WEB = {
    "/connexion/",
    "/connexion/double-authentification/",
    "/deconnexion/",
    "/langue/setlang/",
    "/mot-de-passe/oubli/",
    "/mot-de-passe/oubli/envoye/",
    "/mot-de-passe/nouveau/termine/",
    "/mot-de-passe/nouveau/{uidb64}/{token}/",
}
# token endpoint: no Authorization needed
ANONYMOUS_API = {"/api/schema/", "/api/docs/", "/api/redoc/", "/api/auth/token/"}


def substitute(endpoint: Endpoint, ids: dict[str, Any]) -> str:
    """The URL of ``endpoint`` with organisation A's object ids."""
    values: dict[str, Any] = {}
    for name in endpoint.params:
        if name == "pk":
            values[name] = ids["candidate"] if "/candidates/" in endpoint.template else ids["file"]
        elif name == "file_id":
            values[name] = ids["file"]
        elif name == "session_id":
            values[name] = ids["session"]
        elif name == "enrolment_id":
            values[name] = ids["enrolment"]
        elif name == "uid":
            values[name] = ids["evidence"]
        elif name in ("uidb64", "token"):
            values[name] = "x"
        else:
            raise AssertionError(f"{endpoint}: say which id of organisation A to put in {{{name}}}")
    return endpoint.template.format(**values)


def call(client: Any, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    return (
        getattr(client, method.lower())(url, {}, format="json")
        if hasattr(client, "credentials")
        else (getattr(client, method.lower())(url, {}))
    )


@pytest.fixture
def ids_of_a(world_a: dict[str, Any], org_b: Any) -> dict[str, Any]:
    """A's ids, checked not to exist in B (a 404 must come from isolation, not from an empty table)."""
    with schema_context(org_b.schema_name):
        assert not CandidateFileRecord.objects.filter(pk=world_a["file"]).exists()
        assert not Candidate.objects.filter(pk=world_a["candidate"]).exists()
        assert not CollectiveSession.objects.filter(pk=world_a["session"]).exists()
    return world_a


API = endpoints("clea.urls_tenants", "/api/")
WEB = [e for e in endpoints("clea.urls_tenants") if not e.template.startswith("/api/")]


def test_every_tenant_endpoint_is_enumerated() -> None:
    assert len(API) >= 35 and len(WEB) >= 30  # the enumeration itself works (routers, viewsets, views)


def test_token_of_b_is_refused_on_a_everywhere(
    ids_of_a: dict[str, Any], org_a: Any, org_b: Any, api_client_for: Any
) -> None:
    client = api_client_for(org_b, "admin", via="host")
    client.defaults["HTTP_HOST"] = f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}"  # B's token, A's host
    before = rows_of(org_a.schema_name)
    wrong = []
    for endpoint in API:
        response = call(client, endpoint.method, substitute(endpoint, ids_of_a))
        if response.status_code != 401:
            wrong.append((str(endpoint), response.status_code))
    assert wrong == [], f"B's token accepted (or not refused with 401) on A: {wrong}"
    assert rows_of(org_a.schema_name) == before


def test_b_on_its_own_host_never_reaches_a_ids(
    ids_of_a: dict[str, Any], org_a: Any, org_b: Any, api_client_for: Any
) -> None:
    client = api_client_for(org_b, "admin", via="host")
    before = rows_of(org_a.schema_name)
    wrong = []
    for endpoint in API:
        url = substitute(endpoint, ids_of_a)
        response = call(client, endpoint.method, url)
        body = response.content.decode(errors="replace")
        if endpoint.params and response.status_code != 404:
            wrong.append((str(endpoint), response.status_code))
        assert response.status_code < 500, (str(endpoint), response.status_code, body[:300])
        assert "Léa" not in body and ids_of_a["evidence"] not in body, f"A's data in B's answer: {endpoint}"
    assert wrong == [], f"A's ids not answered 404 on B: {wrong}"
    assert rows_of(org_a.schema_name) == before


def test_session_of_b_is_unknown_on_a_and_a_ids_are_404_on_b(ids_of_a: dict[str, Any], org_a: Any, org_b: Any) -> None:
    from tests.fixtures.tenants import make_user

    admin_b = make_user(org_b.schema_name, "admin")
    client = TenantClient(HTTP_HOST=f"{org_b.slug}.{settings.CLEA_BASE_DOMAIN}")
    with schema_context(org_b.schema_name):
        client.force_login(admin_b)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    before = rows_of(org_a.schema_name)
    wrong = []
    for endpoint in WEB:
        if endpoint.template in ANONYMOUS_WEB or endpoint.template == "/deconnexion/":
            continue
        url = substitute(endpoint, ids_of_a)
        on_b = call(client, endpoint.method, url)
        # 405: a POST-only page refuses GET before looking anything up (function views are tried with both)
        if endpoint.params and on_b.status_code not in (404, 405):
            wrong.append(("B host", str(endpoint), on_b.status_code))
        assert "Léa" not in on_b.content.decode(errors="replace")
        on_a = client.generic(endpoint.method, url, HTTP_HOST=f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}")
        # A does not know the session and clears the cookie; a browser keeps host-only cookies apart (B's
        # cookie never reaches A's host), the test client has one jar: put B's cookie back.
        client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
        if not (on_a.status_code == 302 and "/connexion/" in on_a["Location"]):
            wrong.append(("A host", str(endpoint), on_a.status_code))
    assert wrong == [], wrong
    assert rows_of(org_a.schema_name) == before
