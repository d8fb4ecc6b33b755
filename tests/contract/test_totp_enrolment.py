"""Issue 17 §7: a TOTP enrolment secret belongs to the sign-in that created it, and expires.

Two sign-ins of the same account during a pending enrolment (the owner and someone who has the password):
each is shown its own secret; once one confirms, the other's secret no longer works and is deleted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.fixtures.tenants import ADMIN_PASSWORD, make_user

pytestmark = pytest.mark.django_db
PAGE = "/connexion/double-authentification/"


def _code(device: Any) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _signed_in_halfway(username: str) -> Client:
    client = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    response = client.post("/connexion/", {"username": username, "password": ADMIN_PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith(PAGE)
    return client


def _device_of(client: Client) -> Any:
    for value in client.session.values():
        if isinstance(value, dict) and isinstance(value.get("enrolment"), dict):
            return TOTPDevice.objects.get(pk=value["enrolment"]["device"])
    raise AssertionError("no enrolment in the session")


def _key_shown(page: bytes) -> str:
    found = re.findall(rb"[A-Z2-7]{4}(?: [A-Z2-7]{4}){5,}", page)
    assert found, "no manual key on the page"
    return str(found[0].decode())


def test_two_sign_ins_get_their_own_secret_and_the_loser_keeps_none() -> None:
    user = make_user("public", "jury_member")
    owner, intruder = _signed_in_halfway(user.username), _signed_in_halfway(user.username)
    owner_key = _key_shown(owner.get(PAGE).content)
    intruder_key = _key_shown(intruder.get(PAGE).content)
    assert owner_key != intruder_key
    assert _key_shown(owner.get(PAGE).content) == owner_key  # stable for its own sign-in
    owner_device, intruder_device = _device_of(owner), _device_of(intruder)

    done = owner.post(PAGE, {"code": _code(owner_device)})
    assert done.status_code == 302 and owner.session.get("_auth_user_id") == str(user.pk)
    assert not TOTPDevice.objects.filter(pk=intruder_device.pk).exists()  # deleted with the confirmation
    refused = intruder.post(PAGE, {"code": _code(intruder_device)})
    assert refused.status_code == 200 and "_auth_user_id" not in intruder.session
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(owner_device.pk, True)]


def test_a_pending_enrolment_expires(settings: Any) -> None:
    settings.CLEA_TOTP_ENROLMENT_SECONDS = -1  # already expired when shown
    user = make_user("public", "federation_admin")
    client = _signed_in_halfway(user.username)
    first = _key_shown(client.get(PAGE).content)
    second = _key_shown(client.get(PAGE).content)
    assert first != second  # a new secret each time: the old one is gone
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1
