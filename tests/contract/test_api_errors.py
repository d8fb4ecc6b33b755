"""Issue 17 §2 and §3: no 5xx on hostile input, and the JSON error body for every status under ``/api/``,
``DEBUG`` on or off, French or English — through the one input layer (``clea.api.inputs``) and the one error
middleware (``clea.api.middleware``), not endpoint by endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
ERROR_KEYS = {"code", "rule", "detail", "fields"}


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = json.loads(response.content)
    assert set(body) >= ERROR_KEYS, body
    assert isinstance(body["detail"], str) and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    return bool(request.param)


@pytest.fixture
def admin_a(org_a: Any, api_client_for: Callable[..., Any]) -> Any:
    client = api_client_for(org_a, "admin")
    client.raise_request_exception = False
    return client


@pytest.fixture
def federation(federation_client: Any) -> Any:
    federation_client.raise_request_exception = False
    return federation_client


# --- §2: zero 5xx ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/branches/modalities/?referential=a%00b",
        "/api/files/?status=a%00b",
        "/api/audit/?action=%00",
        "/api/audit/?a%00b=1",
        "/api/evidence/a%00b/download/",
    ],
)
def test_nul_bytes_in_query_and_path_are_400_naming_the_parameter(admin_a: Any, debug: bool, url: str) -> None:
    body = assert_error(admin_a.get(url), 400, "validation_error")
    assert body["fields"], body


def test_nul_byte_in_the_tenant_header_is_400(admin_a: Any) -> None:
    assert_error(admin_a.get("/api/me/", HTTP_X_CLEA_TENANT="a\x00b"), 400, "validation_error")


@pytest.mark.parametrize(
    "value",
    [
        "0098-01-01T00:00:00+16:32",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-16:32",
        "2024-01-01T00:00:00+15:00",
    ],
)
def test_out_of_range_date_times_in_audit_filters_are_400(
    admin_a: Any, federation: Any, debug: bool, value: str
) -> None:
    from urllib.parse import quote

    for client, url in ((admin_a, "/api/audit/"), (federation, "/api/federation/audit/")):
        body = assert_error(client.get(f"{url}?at__lte={quote(value)}"), 400, "validation_error")
        assert "at__lte" in body["fields"], body


def test_a_plausible_date_time_filter_still_works(admin_a: Any) -> None:
    assert admin_a.get("/api/audit/?at__lte=2026-01-01T00:00:00%2B14:00").status_code == 200


def test_nul_bytes_and_odd_values_in_json_bodies_name_the_field(admin_a: Any) -> None:
    for payload, field in (
        ({"first_name": "a\x00b", "last_name": "x"}, "first_name"),
        ({"notes": {"k\x00": "v"}}, "notes.k\\0"),
        ({"notes": ["ok", "b\x00"]}, "notes.1"),
    ):
        body = assert_error(admin_a.post("/api/candidates/", payload, format="json"), 400, "validation_error")
        assert field in body["fields"], body


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}),
        '{"first_name": NaN}',
        "{",
        '{"a": "\\ud800"}',
    ],
)
def test_deep_or_non_standard_json_is_400(admin_a: Any, debug: bool, raw: str) -> None:
    assert_error(admin_a.generic("POST", "/api/candidates/", raw, content_type="application/json"), 400)


def test_malformed_multipart_and_odd_values_are_400(federation: Any) -> None:
    member = federation.post(
        "/api/federation/jury-members/",
        {"first_name": "Anne", "last_name": "Vidal", "email": "anne@example.org", "college": "employer"},
        format="json",
    )
    assert member.status_code == 201, member.json()
    url = f"/api/federation/jury-members/{member.json()['id']}/"
    assert_error(federation.patch(url, {"first_name": "a\x00b"}, format="multipart"), 400, "validation_error")
    broken = federation.generic("PATCH", url, b"--x\r\nnot a part", content_type="multipart/form-data; boundary=x")
    assert broken.status_code in (200, 400), broken.content  # Django reads a truncated body as no part
    no_boundary = federation.generic("PATCH", url, b"a=b", content_type="multipart/form-data")
    assert no_boundary.status_code == 400, no_boundary.content
    for odd in (
        {"organisations": ""},
        {"user": ""},
        {"user": "abc"},
        {"organisations": "nowhere"},
        {"active": "peut-être"},
        {"email": "x"},
        {"college": "0"},
        {"user": "-1"},
        {"user": "99999999999999999999"},
        {"organisations": ["a", "b"]},
        {"first_name": ""},
    ):
        response = federation.patch(url, odd, format="multipart")
        assert response.status_code < 500, (odd, response.content)
        print(odd, response.status_code, response.content[:120])


def test_a_middleware_that_raises_gives_the_json_500(settings: Any, org_a: Any, api_client_for: Any) -> None:
    for debug in (False, True):
        settings.DEBUG = debug
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.contract.test_api_errors.ExplodingMiddleware"]
        client = api_client_for(org_a, "admin")
        client.raise_request_exception = False
        assert_error(client.get("/api/me/", HTTP_X_EXPLODE="1"), 500, "server_error")
        assert b"Traceback" not in client.get("/api/me/", HTTP_X_EXPLODE="1").content


class ExplodingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_X_EXPLODE"):
            raise RuntimeError("boom")
        return self.get_response(request)


# --- §3: JSON errors for every status ---------------------------------------------------------------------


def test_unknown_route_is_json_404(admin_a: Any, federation: Any, debug: bool) -> None:
    assert_error(admin_a.get("/api/nowhere/"), 404, "not_found")
    assert_error(admin_a.get("/api/files/not-an-integer/"), 404, "not_found")
    assert_error(federation.get("/api/federation/nowhere/"), 404, "not_found")


def test_method_not_allowed_is_json_405_with_allow(admin_a: Any, debug: bool) -> None:
    response = admin_a.delete("/api/me/")
    assert_error(response, 405)
    assert "GET" in response["Allow"]


def test_bodies_between_the_upload_limit_and_the_hard_limit_are_json_413(admin_a: Any, debug: bool) -> None:
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 400_000  # 3 MB: under CLEA_MAX_REQUEST_BYTES
    assert size < settings.CLEA_MAX_REQUEST_BYTES
    for content_type in ("application/json", "application/x-www-form-urlencoded", "text/plain"):
        body = "a=" + "x" * size
        assert_error(
            admin_a.generic("POST", "/api/candidates/", body, content_type=content_type), 413, "request_too_large"
        )
    too_big = "x" * (settings.CLEA_MAX_REQUEST_BYTES + 1)
    response = admin_a.generic("POST", "/api/files/", too_big, content_type="multipart/form-data; boundary=x")
    assert_error(response, 413, "request_too_large")


def test_unsupported_media_type_is_json_415(admin_a: Any) -> None:
    assert_error(admin_a.generic("POST", "/api/candidates/", "x", content_type="text/plain"), 415)


def test_csrf_failure_is_json_403(org_a: Any, api_client_for: Any, debug: bool) -> None:
    user = api_client_for(org_a, "admin").user
    client = APIClient(enforce_csrf_checks=True, HTTP_HOST=f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}")
    with schema_context(org_a.schema_name):
        client.force_login(user)
    body = assert_error(client.post("/api/candidates/", {"first_name": "a"}, format="json"), 403)
    assert "CSRF" in body["detail"]


def test_not_authenticated_is_json_401(org_a: Any) -> None:
    client = APIClient(HTTP_HOST=settings.CLEA_BASE_DOMAIN, HTTP_X_CLEA_TENANT=org_a.slug)
    assert_error(client.get("/api/files/"), 401, "not_authenticated")


def test_error_detail_in_english_when_asked(admin_a: Any) -> None:
    body = assert_error(admin_a.get("/api/nowhere/", HTTP_ACCEPT_LANGUAGE="en"), 404, "not_found")
    assert body["detail"] == "Not found."
    body = assert_error(admin_a.get("/api/nowhere/", HTTP_ACCEPT_LANGUAGE="fr"), 404, "not_found")
    assert body["detail"] == "Introuvable."


def test_pages_outside_the_api_keep_their_html(admin_a: Any) -> None:
    response = admin_a.get("/nowhere-at-all/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
