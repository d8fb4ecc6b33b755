"""Every answer under ``/api/`` is JSON in the documented error format, whatever produced it (issue 17, §3).

:class:`ApiErrorMiddleware` sits first in ``MIDDLEWARE``, so it sees every response of every layer below
it — DRF views (already in the format), Django's own 400/403/404/405/500 pages, CSRF failures, a middleware
that raised, the debug pages when ``DEBUG`` is on — and turns any non-JSON error into
``{code, rule, detail, fields}`` with a French or English ``detail`` (``Accept-Language``). Before the
request goes down, it refuses what no layer below can store or parse:

* a NUL character in the path, a query parameter (name or value) or the ``X-Clea-Tenant`` header: 400
  ``validation_error`` naming the parameter (PostgreSQL text cannot hold NUL);
* a non-multipart body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB): 413 ``request_too_large``
  (Django would raise ``RequestDataTooBig`` later, as an HTML 400); multipart uploads keep the larger
  ``CLEA_MAX_REQUEST_BYTES`` of :class:`clea.accounts.security.RequestSizeLimitMiddleware`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.views.csrf import csrf_failure as django_csrf_failure

from clea.api.inputs import current_method
from clea.error_body import error_payload

# status -> (code, French detail, English detail)
STATUS_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "Requête invalide.", "Bad request."),
    401: ("not_authenticated", "Authentification requise.", "Authentication required."),
    403: ("permission_denied", "Accès refusé.", "Permission denied."),
    404: ("not_found", "Introuvable.", "Not found."),
    405: ("method_not_allowed", "Méthode non autorisée.", "Method not allowed."),
    406: ("not_acceptable", "Format de réponse non disponible.", "Not acceptable."),
    409: ("conflict", "Conflit.", "Conflict."),
    413: ("request_too_large", "Requête trop volumineuse.", "Request body too large."),
    415: ("unsupported_media_type", "Type de contenu non pris en charge.", "Unsupported media type."),
    423: ("locked", "Ressource verrouillée.", "Locked."),
    429: ("throttled", "Trop de requêtes : réessayez plus tard.", "Too many requests: try again later."),
    500: ("server_error", "Erreur interne du serveur.", "Internal server error."),
    502: ("bad_gateway", "Erreur d'un composant.", "Bad gateway."),
    503: ("unavailable", "Service indisponible.", "Service unavailable."),
}
CSRF_DETAIL = ("Jeton CSRF absent ou invalide.", "CSRF token missing or incorrect.")
NUL_DETAIL = ("Le caractère nul (U+0000) n'est pas accepté.", "The NUL character (U+0000) is not accepted.")
INVALID = ("Les données envoyées sont invalides.", "The data sent is invalid.")
KEEP_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _english(request: HttpRequest) -> bool:
    language = translation.get_language_from_request(request) or settings.LANGUAGE_CODE
    return language.startswith("en")


def _pick(request: HttpRequest, pair: tuple[str, str]) -> str:
    return pair[1] if _english(request) else pair[0]


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def json_error(
    request: HttpRequest,
    status: int,
    code: str | None = None,
    detail: str | None = None,
    fields: dict[str, list[str]] | None = None,
) -> JsonResponse:
    default_code, french, english = STATUS_ERRORS.get(status, STATUS_ERRORS[500 if status >= 500 else 400])
    body = error_payload(code or default_code, detail or (english if _english(request) else french), fields=fields)
    response = JsonResponse(body, status=status)
    response["Content-Language"] = "en" if _english(request) else "fr"
    return response


def nul_parameters(request: HttpRequest) -> dict[str, list[str]]:
    """Query parameters (and the path, the tenant header) holding a NUL character."""
    message = _pick(request, NUL_DETAIL)
    found: dict[str, list[str]] = {}
    if "\x00" in request.path_info:
        found["path"] = [message]
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            found[key.replace("\x00", "\\0")] = [message]
    if "\x00" in request.META.get("HTTP_X_CLEA_TENANT", ""):
        found["X-Clea-Tenant"] = [message]
    return found


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        refused = self.refuse_early(request)
        if refused is not None:
            return refused
        token = current_method.set(request.method)  # clea.api.inputs: bodies only for unknown-field refusals
        try:
            response = self.get_response(request)
        finally:
            current_method.reset(token)
        if response.status_code < 400 or _is_json(response):
            return response
        return self.as_json(request, response)

    def refuse_early(self, request: HttpRequest) -> HttpResponse | None:
        nul = nul_parameters(request)
        if nul:
            return json_error(request, 400, "validation_error", _pick(request, INVALID), fields=nul)
        content_type = request.META.get("CONTENT_TYPE", "")
        limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        length = _declared_length(request)
        if limit and length > limit and not content_type.startswith("multipart/"):
            detail = _pick(
                request,
                (
                    f"Requête trop volumineuse ({length} octets ; maximum {limit}).",
                    f"Request body too large ({length} bytes; at most {limit}).",
                ),
            )
            return json_error(request, 413, "request_too_large", detail)
        return None

    def as_json(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        status = response.status_code
        code: str | None = None
        detail: str | None = None
        if status == 400 and getattr(request, "_post_parse_error", False):  # RequestDataTooBig & co.
            status = 413 if _declared_length(request) > int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) else 400
        converted = json_error(request, status, code, detail)
        for header in KEEP_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith(("application/json", "application/problem+json"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: under ``/api/`` the JSON error; elsewhere Django's page."""
    if is_api(request):
        return json_error(request, 403, "csrf_failed", _pick(request, CSRF_DETAIL))
    return django_csrf_failure(request, reason)
