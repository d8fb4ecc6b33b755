"""Public verification without enumeration (docs/CERTIFICATES.md, "Verification without enumeration").

Certificate numbers stay human-friendly (sequential, with check digits), so they can be guessed. Therefore:

* every public look-up by number (page, API, PDF, credential) counts against a per-client budget
  (``CLEA_VERIFICATION_RATE`` look-ups per ``CLEA_VERIFICATION_WINDOW`` seconds, by client address); beyond it,
  HTTP 429 with ``Retry-After``;
* the holder's **full name** is shown only to someone who also gives the holder's **birth date** or the
  **code printed on the certificate** (an HMAC of the number, ``XXXX-XXXX``); otherwise **initials**;
* the PDF and the signed credential (which carry the full name) are served only with the printed code; the
  holder's share link carries it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from clea.certification.models import Certificate, HolderIdentity


def _key() -> bytes:
    return (settings.CLEA_VERIFICATION_CODE_KEY or settings.SECRET_KEY).encode()


def printed_code(number: str) -> str:
    """The code printed on the certificate (and in the holder's share link): 8 characters of base32."""
    digest = hmac.new(_key(), f"clea-verification:{number}".encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:8]
    return f"{text[:4]}-{text[4:]}"


def _normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def code_matches(number: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(_normalise(printed_code(number)), _normalise(given))


def birth_date_matches(certificate: Certificate, given: str) -> bool:
    try:
        day = date.fromisoformat(given.strip())
    except ValueError:
        return False
    holder = HolderIdentity.objects.filter(submission_id=certificate.submission_id).first()
    return holder is not None and holder.birth_date == day


def may_disclose(certificate: Certificate, *, code: str = "", birth_date: str = "") -> bool:
    return code_matches(certificate.number, code) or (bool(birth_date) and birth_date_matches(certificate, birth_date))


def initials(name: str) -> str:
    """« Léa Marie Martin » → « L. M. M. »."""
    parts = [p for p in name.replace("-", " ").split() if p and p[0].isalpha()]
    return " ".join(f"{p[0].upper()}." for p in parts)


def client_key(request: HttpRequest) -> str:
    """The client's address (``REMOTE_ADDR``, set from the trusted proxy's header by the deployment)."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def allow_lookup(request: HttpRequest) -> tuple[bool, int]:
    """Count one look-up for this client; ``(allowed, retry_after_seconds)``. Fixed window in the cache."""
    window = int(settings.CLEA_VERIFICATION_WINDOW)
    key = f"clea:verify:{client_key(request)}"
    if cache.add(key, 1, timeout=window):
        return True, 0
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True, 0
    return count <= int(settings.CLEA_VERIFICATION_RATE), window
