"""The API's error body, ``{code, rule, detail, fields}``, shared by every layer that answers HTTP.

The DRF exception handler (:mod:`clea.api.errors`) builds it for API views; the tenant routing middleware,
the lockout answer and the URL confs' 404 build it outside DRF. Both import it from here, below them all,
so that neither the middleware nor the accounts app imports the API layer.
"""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

ErrorFields = dict[str, list[str]]


def error_payload(
    code: str, detail: str, *, rule: str | None = None, fields: ErrorFields | None = None
) -> dict[str, Any]:
    return {"code": code, "rule": rule, "detail": detail, "fields": fields or {}}


def error_response(status_code: int, code: str, detail: str, *, rule: str | None = None) -> JsonResponse:
    """A plain Django JSON response in the API error format (for middleware, outside DRF)."""
    return JsonResponse(error_payload(code, detail, rule=rule), status=status_code)
