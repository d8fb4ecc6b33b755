"""Tag each request with an id (kept from ``X-Request-ID`` when the proxy sets a sane one) and its tenant."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from clea.observability import context

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Placed right after tenant routing: every later log line of the request names both."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        context.request_id.set(request_id)
        context.tenant.set(getattr(getattr(request, "tenant", None), "schema_name", "public"))
        # Kept until the response is closed (``request_finished``), so that Django's own request log
        # line, written after the middleware returned, names them too.
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _forget_request(**_: object) -> None:
    context.request_id.set("-")
    context.tenant.set("-")
