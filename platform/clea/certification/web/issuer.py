"""What a credential points to, as JSON for verifiers: the issuer's OB 3.0 Profile at its ``url`` (the
federation's root, when the client asks for JSON; the home page otherwise) and the achievement
(``/certificat-clea/``). The DID document is :class:`clea.certification.api.issuer.DIDDocumentView`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from clea.certification import credentials, did
from clea.certification.web import views as web_views

JSON_TYPES = ("application/json", "application/ld+json", "application/did+json")


def wants_json(request: HttpRequest) -> bool:
    """The client prefers JSON over HTML (``Accept``), e.g. a verifier dereferencing the issuer."""
    accepted = request.headers.get("Accept", "")
    if not accepted:
        return False
    json_q = max((_quality(accepted, t) for t in JSON_TYPES), default=0.0)
    return json_q > 0 and json_q >= _quality(accepted, "text/html")


def _quality(accept: str, media_type: str) -> float:
    best = 0.0
    for item in accept.split(","):
        name, *params = (p.strip() for p in item.split(";"))
        if name.lower() != media_type:
            continue
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        best = max(best, q)
    return best


def json_document(document: dict[str, Any], content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(document, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"  # browser-based verifiers and wallets resolve it too
    response["Vary"] = "Accept"
    return response


def issuer_home(request: HttpRequest) -> HttpResponse:
    """The federation's root (the issuer's ``url``): its OB 3.0 Profile for JSON clients, else the home page."""
    if request.method == "GET" and wants_json(request):
        return json_document(did.profile_document())
    return web_views.home(request)


def achievement(request: HttpRequest) -> JsonResponse:
    """The achievement "Certificat CléA" (the ``achievement.id`` of every certificate credential)."""
    return json_document(
        {
            "@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT],
            **credentials.achievement(),
            "creator": credentials.issuer(),
        }
    )
