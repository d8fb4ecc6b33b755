"""One access log line per request (logger ``clea.access``), JSON in production through the usual formatter.

Fields: method, path (never the query string: searches carry names and e-mail addresses), status, bytes,
duration in milliseconds, and, through :class:`clea.observability.logs.ContextFilter`, the tenant and the
request id. No client address either (personal data; the ingress keeps its own log if needed).
Placed first in ``MIDDLEWARE``, so static files and probes are logged too (tenant ``-`` before routing).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("clea.access")
#: Probes and scrapes (every few seconds per pod) would drown the log.
QUIET_PREFIXES = ("/healthz/", "/metrics")


class AccessLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        if request.path.startswith(QUIET_PREFIXES):
            return response
        size = None if response.streaming else len(response.content)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "bytes": size,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response
