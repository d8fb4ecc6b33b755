"""Issue 17 §7: password reset throttled per address and per client, with the same answer every time."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from tests.fixtures.tenants import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def test_reset_per_address_then_per_client_same_answer(org_a: Any, web_client_for: Any, settings: Any) -> None:
    settings.CLEA_PASSWORD_RESET_PER_ADDRESS = 3
    settings.CLEA_PASSWORD_RESET_PER_CLIENT = 6
    user = make_user(org_a.schema_name, "counsellor")
    client = web_client_for(org_a)
    answers = set()
    for _ in range(12):  # the 12 requests in a row: 3 e-mails, not 12
        response = client.post("/mot-de-passe/oubli/", {"email": user.email}, REMOTE_ADDR="10.0.0.1")
        answers.add((response.status_code, response["Location"]))
    assert len(mail.outbox) == 3
    assert answers == {(302, "/mot-de-passe/oubli/envoye/")}
    unknown = client.post("/mot-de-passe/oubli/", {"email": "personne@example.org"}, REMOTE_ADDR="10.0.0.2")
    assert (unknown.status_code, unknown["Location"]) == (302, "/mot-de-passe/oubli/envoye/")

    mail.outbox.clear()
    others = [make_user(org_a.schema_name, "counsellor") for _ in range(8)]
    for other in others:  # one client, many addresses: stopped by the per-client limit
        response = client.post("/mot-de-passe/oubli/", {"email": other.email}, REMOTE_ADDR="10.0.0.3")
        assert (response.status_code, response["Location"]) == (302, "/mot-de-passe/oubli/envoye/")
    assert len(mail.outbox) == 6
    fresh = client.post("/mot-de-passe/oubli/", {"email": others[-1].email}, REMOTE_ADDR="10.0.0.4")
    assert fresh.status_code == 302 and len(mail.outbox) == 7  # another client still gets its e-mail
