"""Liveness and readiness views.

``live`` says the process serves HTTP and touches nothing else, so a database or broker outage never
makes Kubernetes restart healthy web pods. ``ready`` checks what a web pod needs to answer pages (the
database) and answers 503 while it is unreachable, so the pod leaves the Service endpoints until it comes
back. The broker is **not** a readiness check: a broker outage delays asynchronous follow-ups (they wait in
the outbox), it must not take every page down. ``detail`` reports everything (database, broker and the checks
apps register, e.g. late or missing periodic tasks) and always answers 200: it is for people and alerts,
never for probes.

The views need no authentication, tenant or session, and read nothing from the request: they can be
mounted in the public and the tenant URL confs alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu.connection import Connection

from clea.observability.checks import registered_checks

#: Seconds the broker check may spend connecting; the readiness probe's own timeout must be larger.
BROKER_TIMEOUT_SECONDS: Final = 2.0
#: An error is reported by exception class and first line of its message, cut to this length.
MAX_ERROR_LENGTH: Final = 200

OK: Final = "ok"


def _describe(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    message = lines[0] if lines else ""
    text = f"error: {type(exc).__name__}: {message}" if message else f"error: {type(exc).__name__}"
    return text[:MAX_ERROR_LENGTH]


def check_database() -> str:
    """Run ``SELECT 1`` on the default connection; ``"ok"`` or ``"error: …"``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return _describe(exc)
    return OK


def check_broker() -> str:
    """Open (and close) a connection to ``settings.CELERY_BROKER_URL``; ``"ok"`` or ``"error: …"``."""
    url: str | None = getattr(settings, "CELERY_BROKER_URL", None)
    if not url:
        return "error: CELERY_BROKER_URL is not set"
    transport_options: dict[str, Any] = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    use_ssl: Any = getattr(settings, "CELERY_BROKER_USE_SSL", None) or False
    try:
        with Connection(  # type: ignore[no-untyped-call]  # kombu's __init__ is unannotated
            url,
            ssl=use_ssl,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options=transport_options,
        ) as broker:
            # One attempt, no back-off sleep: a probe must answer quickly.
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:
        return _describe(exc)
    return OK


#: Name → check, in the order they run and are reported: only what answering a page needs.
READINESS_CHECKS: Final[dict[str, Callable[[], str]]] = {
    "database": check_database,
}


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Always 200."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every check is ``"ok"``, else 503 naming the failing ones."""
    checks = {name: check() for name, check in READINESS_CHECKS.items()}
    if all(result == OK for result in checks.values()):
        return JsonResponse({"status": "ready", "checks": checks})
    return JsonResponse({"status": "not_ready", "checks": checks}, status=503)


@never_cache
@require_safe
def detail(request: HttpRequest) -> JsonResponse:
    """Every check, readiness-independent: ``ok`` or ``degraded`` (always 200), each check's findings."""
    checks: dict[str, Any] = {"database": check_database(), "broker": check_broker()}
    healthy = all(value == OK for value in checks.values())
    for name, check in registered_checks().items():
        try:
            found = check()
        except Exception as exc:  # a broken check is reported, never a 500
            checks[name] = {"ok": False, "error": _describe(exc)}
            healthy = False
            continue
        checks[name] = {"ok": found.ok, **found.data}
        healthy = healthy and found.ok
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks})
