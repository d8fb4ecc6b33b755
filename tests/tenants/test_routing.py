"""Host and header routing, isolation between organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from clea_tenants.models import Organisation

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_header_routing(api_client_for: Any, org_a: Organisation) -> None:
    client = api_client_for(org_a, "counsellor", via="header")
    response = client.get("/api/me/")
    assert response.status_code == 200, response.content
    assert response.json()["organisation"] == org_a.slug and response.json()["role"] == "counsellor"


def test_host_routing(api_client_for: Any, org_b: Organisation) -> None:
    client = api_client_for(org_b, "trainer", via="host")
    assert client.get("/api/me/").json()["organisation"] == org_b.slug


def test_bare_base_domain_is_the_federation(federation_client: Any) -> None:
    response = federation_client.get("/api/me/")
    assert response.status_code == 200 and response.json()["organisation"] is None
    assert federation_client.get("/api/federation/organisations/").status_code == 200


def test_federation_urls_are_not_served_to_tenants(api_client_for: Any, org_a: Organisation) -> None:
    client = api_client_for(org_a, "admin")
    assert client.get("/api/federation/organisations/").status_code == 404


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_HOST": f"nobody.{settings.CLEA_BASE_DOMAIN}"},
        {"HTTP_HOST": settings.CLEA_BASE_DOMAIN, "HTTP_X_CLEA_TENANT": "nobody"},
    ],
)
def test_unknown_tenant_is_a_json_404(extra: dict[str, Any]) -> None:
    response = APIClient().get("/api/me/", **extra)
    assert response.status_code == 404
    assert response.json() == {
        "code": "tenant_not_found",
        "rule": None,
        "detail": response.json()["detail"],
        "fields": {},
    }


def test_header_contradicting_host_is_refused(org_a: Organisation, org_b: Organisation) -> None:
    response = APIClient().get(
        "/api/me/", HTTP_HOST=f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}", HTTP_X_CLEA_TENANT=org_b.slug
    )
    assert response.status_code == 400 and response.json()["code"] == "tenant_mismatch"


@pytest.mark.parametrize("via", ["header", "host"])
def test_token_of_org_b_is_unknown_in_org_a(
    api_client_for: Any, org_a: Organisation, org_b: Organisation, via: str
) -> None:
    client_b = api_client_for(org_b, "admin", via=via)
    assert client_b.get("/api/me/").status_code == 200
    if via == "header":
        client_b.defaults["HTTP_X_CLEA_TENANT"] = org_a.slug
    else:
        client_b.defaults["HTTP_HOST"] = f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}"
    response = client_b.get("/api/me/")
    assert response.status_code in (401, 404)
    assert response.json()["code"] in ("authentication_failed", "not_authenticated")


def test_token_endpoint_issues_a_token_valid_in_its_schema_only(org_a: Organisation, org_b: Organisation) -> None:
    client = APIClient()
    login = {"username": f"admin@{org_a.slug}.example", "password": "admin-password-for-tests"}
    response = client.post(
        "/api/auth/token/", login, HTTP_HOST=settings.CLEA_BASE_DOMAIN, HTTP_X_CLEA_TENANT=org_a.slug, format="json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    refused = client.post(
        "/api/auth/token/", login, HTTP_HOST=settings.CLEA_BASE_DOMAIN, HTTP_X_CLEA_TENANT=org_b.slug, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "validation_error"
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/me/", HTTP_HOST=f"{org_b.slug}.{settings.CLEA_BASE_DOMAIN}").status_code == 401


def test_openapi_schemas_differ_between_federation_and_tenants(
    federation_client: Any, api_client_for: Any, org_a: Organisation
) -> None:
    public = federation_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    tenant = api_client_for(org_a, "admin").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert public.status_code == 200 and tenant.status_code == 200
    assert any(p.startswith("/api/federation/") for p in public.json()["paths"])
    assert not any(p.startswith("/api/federation/") for p in tenant.json()["paths"])
