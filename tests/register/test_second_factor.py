"""Second factor of federation people (#15 §3): single-use backup codes, and a device reset by an admin."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.certification.test_web_pages import signed_in
from tests.fixtures.tenants import ADMIN_PASSWORD, make_user

from clea.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
BASE = settings.CLEA_BASE_DOMAIN
URL = "/federation/registre/securite/"


def sign_in(username: str, code: str) -> Client:
    client = Client(HTTP_HOST=BASE)
    response = client.post("/connexion/", {"username": username, "password": ADMIN_PASSWORD})
    assert response["Location"].endswith("/connexion/double-authentification/")
    client.post("/connexion/double-authentification/", {"code": code})
    return client


def unthrottle(user: object) -> None:
    for device in StaticDevice.objects.filter(user=user):
        device.throttle_reset()


def test_a_backup_code_signs_in_once_when_the_phone_is_lost() -> None:
    member = signed_in("jury_member")
    page = member.post(URL, {"form": "codes"})
    assert page.status_code == 200
    codes = page.context["codes"]
    assert len(codes) == 10 and all(len(c) == 10 and c.isdigit() for c in codes)
    user = page.context["user"]
    assert AuditEntry.objects.filter(action="otp.backup_codes_issued", object_ref=f"user:{user.pk}").exists()
    assert codes[0] not in str(AuditEntry.objects.filter(action="otp.backup_codes_issued").values_list("detail"))

    first = sign_in(user.username, codes[0])
    assert first.session.get("_auth_user_id") == str(user.pk)
    again = sign_in(user.username, codes[0])  # used up
    assert again.session.get("_auth_user_id") is None
    unthrottle(user)  # django-otp slows down the next attempt after a failure
    other = sign_in(user.username, codes[1])
    assert other.session.get("_auth_user_id") == str(user.pk)
    assert member.get(URL).context["remaining"] == 8

    renewed = member.post(URL, {"form": "codes"}).context["codes"]
    assert sign_in(user.username, codes[2]).session.get("_auth_user_id") is None  # the old ones are void
    unthrottle(user)
    assert sign_in(user.username, renewed[0]).session.get("_auth_user_id") == str(user.pk)


def test_an_admin_resets_a_lost_device_with_a_reason_and_an_analyst_cannot() -> None:
    person = make_user("public", "jury_member")
    TOTPDevice.objects.create(user=person, name="téléphone perdu", confirmed=True)
    StaticDevice.objects.create(user=person, name="codes de secours", confirmed=True)
    admin = signed_in("federation_admin")
    without_reason = admin.post(URL, {"form": "reset", "user": person.pk, "reason": ""})
    assert without_reason.status_code == 200 and "Ce champ est obligatoire" in without_reason.content.decode()
    assert TOTPDevice.objects.filter(user=person).exists()
    done = admin.post(URL, {"form": "reset", "user": person.pk, "reason": "Identité vérifiée par visio"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action="otp.reset", object_ref=f"user:{person.pk}")
    assert entry.detail["reason"] == "Identité vérifiée par visio" and entry.detail["devices_removed"] == 2
    # the next sign-in enrols a new authenticator
    client = Client(HTTP_HOST=BASE)
    client.post("/connexion/", {"username": person.username, "password": ADMIN_PASSWORD})
    assert b"data:image/svg+xml;base64," in client.get("/connexion/double-authentification/").content

    analyst = signed_in("analyst")
    assert analyst.post(URL, {"form": "reset", "user": person.pk, "reason": "x"}).status_code == 403


def test_the_api_token_accepts_a_backup_code_once() -> None:
    from tests.fixtures.tenants import TenantAPIClient

    from clea.accounts import backup_codes

    user = make_user("public", "federation_admin")
    TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    code = backup_codes.issue(user)[0]
    client = TenantAPIClient(HTTP_HOST=BASE)
    body = {"username": user.username, "password": ADMIN_PASSWORD, "otp": code}
    assert client.post("/api/auth/token/", body, format="json").status_code == 200
    unthrottle(user)
    assert client.post("/api/auth/token/", body, format="json").status_code in (401, 403)
