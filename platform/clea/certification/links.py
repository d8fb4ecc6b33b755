"""What an organisation's pages show of a certificate: its number (from the file's jury decision) and the
federation's public verification page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from clea.certification.credentials import verification_path


def certificate_number_of(decisions: Iterable[Any]) -> str:
    """The certificate number recorded by the latest jury decision of a file (``""`` when none)."""
    number = ""
    for decision in decisions:
        if str(getattr(decision, "kind", "")) == "jury_decision":
            number = str(dict(getattr(decision, "detail", {}) or {}).get("certificate_number", "")) or number
    return number


def verification_url(number: str, request: HttpRequest | None = None) -> str:
    """``/verifier/<number>/`` on the federation's host: ``CLEA_FEDERATION_URL``, else the base domain on the
    request's scheme and port (an organisation's page at ``greta.localhost:8000`` links to ``localhost:8000``)."""
    if settings.CLEA_FEDERATION_URL:
        return settings.CLEA_FEDERATION_URL + verification_path(number)
    if request is None:
        return f"https://{settings.CLEA_BASE_DOMAIN}{verification_path(number)}"
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    host = settings.CLEA_BASE_DOMAIN + ("" if port == default else f":{port}")
    return f"{request.scheme}://{host}{verification_path(number)}"
