"""Public verification without enumeration: look-ups counted per client (429 beyond the budget), the holder's
full name only with the birth date or the printed code (else initials), PDF and credential only with the code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from tests.certification.conftest import JuryFixture
from tests.certification.holders import certified_with_identity

from clea.certification.disclosure import initials, printed_code

pytestmark = [pytest.mark.db]


def client(address: str) -> Client:
    return Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN, REMOTE_ADDR=address)


def test_full_name_only_with_birth_date_or_printed_code(
    federation_client: Any, jury: JuryFixture, api_client_for: Callable[..., Any], org_a: Any
) -> None:
    certificate = certified_with_identity(federation_client, jury, api_client_for, org_a)
    public = client("198.51.100.7")
    url = f"/api/public/certificates/{certificate.number}/"
    full = certificate.candidate_name

    anonymous = public.get(url).json()
    assert anonymous["candidate_name"] == initials(full) != full and anonymous["name_disclosed"] is False
    assert anonymous["authentic"] is True  # authenticity is public, the name is not
    assert public.get(url, {"birth_date": "1990-03-15"}).json()["candidate_name"] == initials(full)
    assert public.get(url, {"birth_date": "1990-03-14"}).json()["candidate_name"] == full
    assert public.get(url, {"code": "AAAA-AAAA"}).json()["name_disclosed"] is False
    code = printed_code(certificate.number)
    assert public.get(url, {"code": code.lower().replace("-", "")}).json()["candidate_name"] == full

    page = public.get(f"/verifier/{certificate.number}/").content.decode()
    assert initials(full) in page and full not in page
    assert full in public.get(f"/verifier/{certificate.number}/", {"naissance": "1990-03-14"}).content.decode()

    for path in (f"{url}pdf/", f"{url}credential/", f"/verifier/{certificate.number}/certificat.pdf"):
        assert public.get(path).status_code == 403, path
        assert public.get(path, {"code": code}).status_code == 200, path


def test_look_ups_are_rate_limited_per_client(
    settings: Any, federation_client: Any, jury: JuryFixture, api_client_for: Callable[..., Any], org_a: Any
) -> None:
    certificate = certified_with_identity(federation_client, jury, api_client_for, org_a)
    settings.CLEA_VERIFICATION_RATE = 5
    cache.clear()
    guesser = client("203.0.113.9")
    answers = [guesser.get(f"/api/public/certificates/CLEA-2026-{n:06d}-00/").status_code for n in range(5)]
    assert 429 not in answers
    blocked = guesser.get(f"/api/public/certificates/{certificate.number}/")
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert blocked.json()["detail"]
    assert guesser.get(f"/verifier/{certificate.number}/").status_code == 429  # the page shares the budget
    assert client("203.0.113.10").get(f"/api/public/certificates/{certificate.number}/").status_code == 200
