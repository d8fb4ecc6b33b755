"""Health probes against real services: the project's PostgreSQL and Redis, and closed ports.

No mocks: "up" is the project's test database (``django_db``) and Redis at ``CELERY_BROKER_URL``;
"down" is a real connection attempt to a local port nobody listens on.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from pytest_django import DjangoDbBlocker, Settings

from clea.health import views
from clea.health.middleware import HealthCheckMiddleware


def closed_port() -> int:
    """A local TCP port with no listener: bound by the OS, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def body(response: HttpResponse) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json"
    data: dict[str, Any] = json.loads(response.content)
    return data


@pytest.fixture
def rf() -> RequestFactory:
    return RequestFactory()


@pytest.fixture
def unreachable_database(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The default connection, re-created on a closed port (no pool, so the failure is immediate)."""
    original = connections["default"]
    settings_dict = {**original.settings_dict, "HOST": "127.0.0.1", "PORT": str(closed_port())}
    options = {k: v for k, v in settings_dict.get("OPTIONS", {}).items() if k != "pool"}
    settings_dict["OPTIONS"] = {**options, "connect_timeout": 2}
    broken = type(original)(settings_dict, alias="default")
    connections["default"] = broken
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        broken.close()
        connections["default"] = original


@pytest.fixture
def broker_down(settings: Settings) -> str:
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_URL = url
    return url


# ---------------------------------------------------------------------------- liveness


def test_live_always_answers_ok(rf: RequestFactory, broker_down: str) -> None:
    response = views.live(rf.get("/healthz/live"))
    assert response.status_code == 200
    assert body(response) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_probes_refuse_unsafe_methods(rf: RequestFactory) -> None:
    assert views.live(rf.post("/healthz/live")).status_code == 405
    assert views.ready(rf.post("/healthz/ready")).status_code == 405


# ---------------------------------------------------------------------------- readiness


@pytest.mark.db
@pytest.mark.django_db
def test_ready_when_the_database_answers(rf: RequestFactory) -> None:
    response = views.ready(rf.get("/healthz/ready"))
    assert body(response) == {"status": "ready", "checks": {"database": "ok"}}
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.db
@pytest.mark.django_db
def test_still_ready_when_the_broker_is_down_and_the_detail_says_so(rf: RequestFactory, broker_down: str) -> None:
    # A broker outage delays follow-ups (the outbox keeps them); it must not take the pages down.
    response = views.ready(rf.get("/healthz/ready"))
    assert response.status_code == 200
    assert body(response)["checks"] == {"database": "ok"}

    detail = views.detail(rf.get("/healthz/detail"))
    assert detail.status_code == 200
    data = body(detail)
    assert data["status"] == "degraded"
    assert data["checks"]["database"] == "ok"
    assert data["checks"]["broker"].startswith("error: ")
    assert "Connection refused" in data["checks"]["broker"]
    assert "schedules" in data["checks"]  # registered by clea.tasks (clea.tasks.schedule_health)


@pytest.mark.db
def test_not_ready_when_the_database_is_down(rf: RequestFactory, unreachable_database: None) -> None:
    response = views.ready(rf.get("/healthz/ready"))
    assert response.status_code == 503
    data = body(response)
    assert data["status"] == "not_ready"
    assert data["checks"]["database"].startswith("error: OperationalError")


def test_not_ready_without_a_broker_url(settings: Settings) -> None:
    settings.CELERY_BROKER_URL = ""
    assert views.check_broker() == "error: CELERY_BROKER_URL is not set"


def test_errors_are_reported_on_one_short_line() -> None:
    long = RuntimeError("first line " + "x" * 500 + "\nsecond line")
    text = views._describe(long)
    assert text.startswith("error: RuntimeError: first line ")
    assert "\n" not in text
    assert len(text) <= views.MAX_ERROR_LENGTH


# ---------------------------------------------------------------------------- routing


def test_urls_expose_both_probes() -> None:
    assert resolve("/healthz/live", urlconf="clea.health.urls").func is views.live
    assert resolve("/healthz/ready", urlconf="clea.health.urls").func is views.ready


def _unreachable(request: HttpRequest) -> HttpResponse:
    raise AssertionError(f"{request.path} should have been answered by the middleware")


def test_middleware_answers_probes_for_any_host(rf: RequestFactory, broker_down: str) -> None:
    # The kubelet probes the pod IP: not an allowed host, not a tenant domain.
    middleware = HealthCheckMiddleware(_unreachable)
    for path in ("/healthz/live", "/healthz/live/"):
        response = middleware(rf.get(path, HTTP_HOST="10.42.0.17:8000"))
        assert response.status_code == 200
        assert body(response) == {"status": "ok"}


def test_middleware_passes_other_requests_on(rf: RequestFactory) -> None:
    passed = HttpResponse("next")
    middleware = HealthCheckMiddleware(lambda request: passed)
    for path in ("/", "/healthz", "/healthz/other", "/api/healthz/live"):
        assert middleware(rf.get(path)) is passed
