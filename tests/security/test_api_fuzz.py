"""Property-based attack tests (schemathesis) against the OpenAPI schemas of the organisation API and of the
federation API: no 5xx, and every answer matches what the schema documents (body and content type).

Bounded and deterministic: ``MAX_EXAMPLES`` examples per operation, derandomised (a fixed seed), in-process
through the WSGI application (same database transaction as the test, rolled back afterwards).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from clea_tenants.schemas import use_public_schema

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 4
CALLS: list[tuple[str, str, int]] = []  # what was sent: the tests check the run was not empty
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
SETTINGS = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    yield WSGIHandler()
    use_public_schema()


def _run(app: WSGIHandler, host: str, token: str) -> list[str]:
    """Every operation of the schema served on ``host``; the failing ones, described."""
    # Django closes "old" connections around each request, which would close the test's transaction; the
    # Django test client switches this off per request (and back on after): do the same for the whole run.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _run_operations(app, host, token)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _property_test(op: Any, headers: dict[str, str]) -> Any:
    """The hypothesis test of one operation: generated cases, each called and checked."""

    @SETTINGS
    @given(case=op.as_strategy())
    def check(case: Any) -> None:
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            CALLS.append((op.method.upper(), op.path, response.status_code))
        finally:
            use_public_schema()

    return check


def _run_operations(app: WSGIHandler, host: str, token: str) -> list[str]:
    headers = {"Host": host, "Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers={"Host": host})
    failures: list[str] = []
    for operation in schema.get_all_operations():
        op = operation.ok()  # type: ignore[union-attr]  # an unparsable operation fails the test here
        if op.path in ("/api/auth/token/",):  # counts failed sign-ins: fuzzing it would lock the account out
            continue

        check = _property_test(op, headers)

        try:
            check()
        except Exception as exc:  # collect every failing operation, then report them all
            failures.append(f"{op.method.upper()} {op.path}: {str(exc)[:600]}")
    return failures


def test_tenant_api_against_its_schema(wsgi_app: WSGIHandler, org_a: Any, api_client_for: Any, world_a: Any) -> None:
    token = api_client_for(org_a, "admin")._credentials["HTTP_AUTHORIZATION"].split()[1]
    CALLS.clear()
    failures = _run(wsgi_app, f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}", token)
    assert failures == [], "\n\n".join(failures)
    print(sorted({(m, p, c) for m, p, c in CALLS}))
    assert len({(m, p) for m, p, _ in CALLS}) >= 30 and any(c == 200 for *_, c in CALLS)


def test_federation_api_against_its_schema(wsgi_app: WSGIHandler, federation_client: Any) -> None:
    token = federation_client._credentials["HTTP_AUTHORIZATION"].split()[1]
    failures = _run(wsgi_app, settings.CLEA_BASE_DOMAIN, token)
    assert failures == [], "\n\n".join(failures)
