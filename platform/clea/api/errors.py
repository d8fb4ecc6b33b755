"""One error format for every endpoint.

    {"code": "validation_error" | "<domain code>", "rule": "R7" | null,
     "detail": "...", "fields": {"field": ["message"]}}

* DRF validation errors   -> 400, code ``validation_error``, ``fields`` filled (nested keys dotted);
* kernel ``DomainError``  -> 400, or 409 when its code ends with ``conflict``; ``rule`` set; a branch rule
  refusal (code ``branch_rule``) adds ``branch`` and ``issues`` (the plugin's messages);
* ``clea_plugins.PluginError`` (a branch plugin raised inside a hook) -> 502, code ``plugin_error``, with
  ``plugin`` and ``hook``; the service's transaction was rolled back, nothing was written;
* other API exceptions    -> their status, their DRF code (``not_authenticated``, ``not_found``...).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from clea.api.middleware import json_error
from clea.error_body import ErrorFields, error_payload
from clea.kernel.errors import DomainError
from clea_plugins.errors import PluginError

logger = logging.getLogger(__name__)


def flatten_fields(detail: Any, prefix: str = "") -> ErrorFields:
    """``{"a": {"b": ["x"]}, "c": [{"d": ["y"]}]}`` -> ``{"a.b": ["x"], "c.0.d": ["y"]}``."""
    key = prefix or "non_field_errors"
    if isinstance(detail, Mapping):
        out: ErrorFields = {}
        for name, value in detail.items():
            nested = prefix if prefix and name == "non_field_errors" else (f"{prefix}.{name}" if prefix else str(name))
            out.update(flatten_fields(value, nested))
        return out
    if isinstance(detail, Sequence) and not isinstance(detail, str):
        if any(isinstance(item, Mapping | list) for item in detail):
            out = {}
            for index, item in enumerate(detail):
                if item:
                    out.update(flatten_fields(item, f"{prefix}.{index}" if prefix else str(index)))
            return out
        return {key: [str(item) for item in detail]}
    return {key: [str(detail)]}


def _domain_error_response(exc: DomainError) -> Response:
    code = exc.code
    english = (get_language() or "fr").startswith("en")
    message = (exc.message_en if english else exc.message_fr) or str(exc)
    http_status = status.HTTP_409_CONFLICT if code.endswith("conflict") else status.HTTP_400_BAD_REQUEST
    payload = error_payload(code, message, rule=exc.rule)
    extra = getattr(exc, "extra_payload", None)
    if callable(extra):
        payload.update(extra())
    return Response(payload, status=http_status)


def _plugin_error_response(exc: Any) -> Response:
    """A branch plugin failed inside a hook: 502 naming it (no traceback in the body; it goes to the logs)."""
    logger.error("%s", exc, exc_info=exc)
    english = (get_language() or "fr").startswith("en")
    body = exc.as_dict()
    payload = error_payload("plugin_error", body["detail_en"] if english else body["detail"])
    payload.update(plugin=body["plugin"], hook=body["hook"])
    return Response(payload, status=status.HTTP_502_BAD_GATEWAY)


def clea_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: every API error leaves in the format above."""

    if isinstance(exc, PluginError):
        return _plugin_error_response(exc)
    if isinstance(exc, DomainError):
        return _domain_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))  # keeps each message's code (invalid_siret…)
    if isinstance(exc, Http404):  # get_object_or_404: same format as every other error (code "not_found")
        exc = exceptions.NotFound(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_payload(
            "validation_error", _("Les données envoyées sont invalides."), fields=flatten_fields(exc.detail)
        )
        # Machine-readable reasons beside the messages, same keys (e.g. "does_not_exist", "max_length").
        response.data["codes"] = flatten_fields(exc.get_codes())
        return response
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_payload(str(code), str(exc.detail), rule=getattr(exc, "rule", None))
    return response


class ConflictError(exceptions.APIException):
    """409 raised by the API layer itself (e.g. deleting an organisation that was never exported)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "Conflit."

    def __init__(self, detail: str, code: str = "conflict", rule: str | None = None) -> None:
        super().__init__(detail, code)
        self.rule = rule


def not_found(request: Any, exception: Exception | None = None) -> Any:
    """``handler404`` of both URL confs: under ``/api/`` a URL that matches no route (e.g. a negative id where
    the route takes ``<int:pk>``) answers in the API's error format, not with the HTML page."""
    if request.path.startswith("/api/"):
        return json_error(request, status.HTTP_404_NOT_FOUND, "not_found")

    return page_not_found(request, exception or Exception())
