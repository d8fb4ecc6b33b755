"""The federation's signing key is a secret of its own: rotating SECRET_KEY never breaks signing, and rotating the
signing key keeps every credential signed before verifiable (docs/DEPLOYMENT.md, "Secrets and rotation")."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from joserfc import jwt
from joserfc.jwk import KeySet
from rest_framework.test import APIClient
from tests.certification.conftest import JuryFixture
from tests.certification.test_credentials import certify

from clea.certification import signing
from clea.certification.models import JurySubmission, SigningKey

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


def public_client() -> APIClient:
    client = APIClient()
    client.defaults["HTTP_HOST"] = settings.CLEA_BASE_DOMAIN
    return client


def new_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode("ascii")
    )


def keys() -> KeySet:
    return KeySet.import_key_set(public_client().get("/.well-known/jwks.json").json())


def status_list_kid() -> str:
    """The thumbprint of the key that signs the status list (its ``kid`` is a DID URL ending in it)."""
    response = public_client().get("/api/public/status-list/")
    assert response.status_code == 200
    token = response.content.decode()
    return str(jwt.decode(token, keys(), algorithms=["EdDSA"]).header["kid"]).rpartition("#")[2]


def test_a_stored_key_survives_a_secret_key_rotation_through_the_fallbacks(
    settings: Any, federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    settings.CLEA_SIGNING_KEY_PEM = ""
    settings.CLEA_SIGNING_KEY_PASSPHRASE = ""  # the old behaviour: stored with SECRET_KEY
    SigningKey.objects.all().delete()
    settings.SECRET_KEY = "before-rotation-" + "a" * 40
    (before,) = certify(federation_client, jury, [submit_file(org_a, "Avant")])

    settings.SECRET_KEY = "after-rotation-" + "b" * 40
    settings.SECRET_KEY_FALLBACKS = ["before-rotation-" + "a" * 40]
    assert status_list_kid() == before.signing_kid  # was 500: "Incorrect password, could not decrypt key"
    (after,) = certify(federation_client, jury, [submit_file(org_a, "Après")])
    assert after.signing_kid == before.signing_kid

    settings.SECRET_KEY_FALLBACKS = []  # no fallback left: a readable failure, never another key silently
    with pytest.raises(signing.SignatureInvalid, match="decrypts with none"):
        signing.private_key_of(signing.active_key())


def test_a_key_stored_with_its_own_passphrase_ignores_secret_key(
    settings: Any, federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    settings.CLEA_SIGNING_KEY_PEM = ""
    settings.CLEA_SIGNING_KEY_PASSPHRASE = "signing-only-" + "p" * 30
    SigningKey.objects.all().delete()
    (before,) = certify(federation_client, jury, [submit_file(org_a, "Avant")])
    settings.SECRET_KEY = "rotated-" + "c" * 50
    settings.SECRET_KEY_FALLBACKS = []
    assert status_list_kid() == before.signing_kid
    (after,) = certify(federation_client, jury, [submit_file(org_a, "Après")])
    assert after.signing_kid == before.signing_kid


def test_rotating_the_environment_key_keeps_earlier_credentials_verifiable(
    settings: Any, federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    SigningKey.objects.all().delete()
    settings.CLEA_SIGNING_KEY_PEM = new_pem()
    (old,) = certify(federation_client, jury, [submit_file(org_a, "Ancienne")])
    assert SigningKey.objects.get(kid=old.signing_kid).private_key_pem == ""  # never stored

    settings.CLEA_SIGNING_KEY_PEM = new_pem()  # the Secret now holds the new key; SECRET_KEY rotated too
    settings.SECRET_KEY = "rotated-" + "d" * 50
    (new,) = certify(federation_client, jury, [submit_file(org_a, "Nouvelle")])
    assert new.signing_kid != old.signing_kid
    assert status_list_kid() == new.signing_kid
    assert SigningKey.objects.get(kid=old.signing_kid).retired_at is not None

    published = keys()
    for certificate in (old, new):
        decoded = jwt.decode(certificate.credential_jwt, published, algorithms=["EdDSA"])
        assert decoded.header["kid"].rpartition("#")[2] == certificate.signing_kid
        answer = public_client().get(f"/api/public/certificates/{certificate.number}/").json()
        assert answer["authentic"] is True and answer["signature_valid"] is True


@pytest.mark.parametrize(
    ("extra", "ok"),
    [({}, False), ({"CLEA_SIGNING_KEY_PASSPHRASE": "own-passphrase"}, True), ({"CLEA_SIGNING_KEY_PEM": "x"}, True)],
)
def test_production_settings_require_a_signing_key_of_its_own(extra: dict[str, str], ok: bool) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CLEA_SIGNING_KEY_PEM", "CLEA_SIGNING_KEY_PASSPHRASE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {"SECRET_KEY": "k" * 60, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", **extra},
        DJANGO_SETTINGS_MODULE="clea.settings.production",
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path += ['platform', 'tenants', 'plugins']; {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode == 0) is ok, result.stderr[-2000:]
    if not ok:
        assert "CLEA_SIGNING_KEY_PEM (or CLEA_SIGNING_KEY_PASSPHRASE) must be set in production" in result.stderr
