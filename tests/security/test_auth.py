"""Authentication hardening: Argon2, lockout (web and API, per schema), TOTP for federation roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from tests.fixtures.tenants import ADMIN_PASSWORD, TenantAPIClient, make_user
from tests.web.conftest import TenantClient

pytestmark = pytest.mark.django_db
BASE = settings.CLEA_BASE_DOMAIN


def test_argon2_hashes_new_passwords() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from clea.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"  # (tests use MD5: speed)
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("correct horse", hasher.salt())
    assert encoded.startswith("argon2$argon2id$") and hasher.verify("correct horse", encoded)
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def _token(client: Any, username: str, password: str, **extra: str) -> Any:
    return client.post("/api/auth/token/", {"username": username, "password": password, **extra}, format="json")


def test_token_endpoint_locks_out_after_repeated_failures_in_that_schema_only(org_a: Any, org_b: Any) -> None:
    user_a = make_user(org_a.schema_name, "counsellor")
    with schema_context(org_b.schema_name):  # the same username exists in B (users are per schema)
        from django.contrib.auth import get_user_model

        twin = get_user_model()(username=user_a.username, role="counsellor")
        twin.set_password(ADMIN_PASSWORD)
        twin.save()
    client_a = TenantAPIClient(HTTP_HOST=f"{org_a.slug}.{BASE}")
    client_b = TenantAPIClient(HTTP_HOST=f"{org_b.slug}.{BASE}")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _token(client_a, user_a.username, "wrong-password").status_code == 400
    locked = _token(client_a, user_a.username, "wrong-password")  # the limit is reached: locked out
    assert locked.status_code == 429 and locked.json()["code"] == "too_many_attempts"
    assert _token(client_a, user_a.username, ADMIN_PASSWORD).status_code == 429  # even the right password
    assert _token(client_b, user_a.username, ADMIN_PASSWORD).status_code == 200  # B counts its own attempts


def test_web_login_locks_out(org_a: Any) -> None:
    user = make_user(org_a.schema_name, "counsellor")
    client = TenantClient(HTTP_HOST=f"{org_a.slug}.{BASE}")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/connexion/", {"username": user.username, "password": "wrong-password"})
    response = client.post("/connexion/", {"username": user.username, "password": ADMIN_PASSWORD})
    assert response.status_code == 429 and "temporairement bloquée" in response.content.decode()
    with schema_context(org_a.schema_name):
        from clea.audit.models import AuditEntry

        assert AuditEntry.objects.filter(action="auth.lockout").exists()


def _device(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def _code(device: Any) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.parametrize("role", ["federation_admin", "jury_member"])
def test_federation_token_needs_the_second_factor(role: str) -> None:
    user = make_user("public", role)
    client = TenantAPIClient(HTTP_HOST=BASE)
    refused = _token(client, user.username, ADMIN_PASSWORD)
    assert refused.status_code == 403 and refused.json()["code"] == "second_factor_enrolment_required"
    device = _device(user)
    assert _token(client, user.username, ADMIN_PASSWORD).json()["code"] == "second_factor_required"
    assert _token(client, user.username, ADMIN_PASSWORD, otp="000000").status_code == 401
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    assert _token(client, user.username, ADMIN_PASSWORD, otp=_code(device)).status_code == 200


def test_analyst_token_needs_no_second_factor() -> None:
    user = make_user("public", "analyst")
    assert _token(TenantAPIClient(HTTP_HOST=BASE), user.username, ADMIN_PASSWORD).status_code == 200


def test_federation_web_login_enrols_then_asks_for_the_code() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("public", "jury_member")
    client = Client(HTTP_HOST=BASE)
    response = client.post("/connexion/", {"username": user.username, "password": ADMIN_PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith("/connexion/double-authentification/")
    assert "_auth_user_id" not in client.session  # not signed in yet
    page = client.get("/connexion/double-authentification/")
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content  # the QR code
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/connexion/double-authentification/", {"code": "123456"}).status_code == 200  # wrong
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    done = client.post("/connexion/double-authentification/", {"code": _code(device)})
    assert done.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)
    device.refresh_from_db()
    assert device.confirmed


def test_a_federation_session_without_second_factor_is_closed() -> None:
    user = make_user("public", "federation_admin")
    client = Client(HTTP_HOST=BASE)
    client.force_login(user)  # a session opened without the second factor (e.g. another code path)
    response = client.get("/api/me/")
    assert response.status_code == 401 and response.json()["code"] == "second_factor_required"
    assert "_auth_user_id" not in client.session


def test_federation_lockout_page_uses_the_federation_layout() -> None:
    user = make_user("public", "jury_member")
    client = Client(HTTP_HOST=BASE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/connexion/", {"username": user.username, "password": "wrong-password"})
    assert response.status_code == 429 and "temporairement bloquée" in response.content.decode()


def test_the_test_helper_opens_a_verified_federation_session() -> None:
    from tests.fixtures.otp import force_login_verified

    user = make_user("public", "federation_admin")
    client = Client(HTTP_HOST=BASE)
    force_login_verified(client, user)
    assert client.get("/api/me/").json()["role"] == "federation_admin"
