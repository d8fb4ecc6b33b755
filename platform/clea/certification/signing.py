"""The federation's Ed25519 signing keys, its JWKS, and compact JWS signing/verification (PyJWT).

* One key is **active**: it signs new credentials and status lists. It is stored under its RFC 7638 thumbprint;
  the JWS ``kid`` is its DID URL ``did:web:<federation>#<thumbprint>`` (:mod:`clea.certification.did`).
* JOSE header: ``{"alg": "EdDSA", "kid": <DID URL>}``, no ``typ``/``cty``: OB 3.0 allows only ``typ: JWT``,
  VC-JOSE-COSE recommends ``vc+jwt`` when present; leaving both out satisfies both (docs/CERTIFICATES.md).
* **Rotation** (:func:`rotate`, ``manage.py rotate_signing_key``): a new key becomes active; the old one is
  retired but stays in ``/.well-known/jwks.json``, so what it signed still verifies.
* Where the private key comes from: ``CLEA_SIGNING_KEY_PEM`` (an environment secret of its own, never stored;
  production requires it or a passphrase of its own), else a key generated on first use and stored encrypted
  (PKCS#8, ``CLEA_SIGNING_KEY_PASSPHRASE``, or ``SECRET_KEY`` in dev and tests; a key stored with ``SECRET_KEY``
  still decrypts with ``SECRET_KEY_FALLBACKS`` once ``SECRET_KEY`` is rotated).
* **Rotation of an environment key** (docs/DEPLOYMENT.md): put the new PEM in the Secret and roll the pods; the
  first signature with it stores its public part and retires the previous one, which stays in the JWKS, so
  every credential signed before still verifies.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clea.certification import did
from clea.certification.models import SigningKey

ALGORITHM = "EdDSA"


class SignatureInvalid(Exception):
    """The token's signature, key or form does not check out."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk_of(public_key: Ed25519PublicKey) -> dict[str, str]:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, without whitespace."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def _passphrase() -> bytes:
    """The passphrase new stored keys are encrypted with: the signing key's own, else (dev, tests) SECRET_KEY."""
    return (settings.CLEA_SIGNING_KEY_PASSPHRASE or settings.SECRET_KEY).encode()


def _passphrases() -> list[bytes]:
    """Every passphrase a stored key may have been encrypted with, current first.

    Keys stored before the signing key had a passphrase of its own were encrypted with ``SECRET_KEY``: after a
    ``SECRET_KEY`` rotation they still decrypt with the previous key, listed in ``SECRET_KEY_FALLBACKS``.
    """
    candidates = [
        settings.CLEA_SIGNING_KEY_PASSPHRASE,
        settings.SECRET_KEY,
        *getattr(settings, "SECRET_KEY_FALLBACKS", []),
    ]
    return list(dict.fromkeys(c.encode() for c in candidates if c))


def _load_stored(pem: str) -> Ed25519PrivateKey:
    for passphrase in _passphrases():
        try:
            loaded = serialization.load_pem_private_key(pem.encode(), password=passphrase)
        except ValueError:  # "Incorrect password, could not decrypt key"
            continue
        if not isinstance(loaded, Ed25519PrivateKey):
            raise SignatureInvalid("a stored signing key is not Ed25519")
        return loaded
    raise SignatureInvalid(
        "the stored signing key decrypts with none of CLEA_SIGNING_KEY_PASSPHRASE, SECRET_KEY, SECRET_KEY_FALLBACKS"
    )


def _store(private_key: Ed25519PrivateKey, *, from_environment: bool) -> SigningKey:
    jwk = public_jwk_of(private_key.public_key())
    kid = thumbprint(jwk)
    pem = (
        ""
        if from_environment
        else private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(_passphrase()),
        ).decode("ascii")
    )
    SigningKey.objects.filter(active=True).exclude(kid=kid).update(active=False, retired_at=timezone.now())
    key, _ = SigningKey.objects.update_or_create(
        kid=kid,
        defaults={
            "public_jwk": {**jwk, "kid": kid, "alg": ALGORITHM, "use": "sig"},
            "private_key_pem": pem,
            "from_environment": from_environment,
            "active": True,
            "retired_at": None,
        },
    )
    return key


def _environment_key() -> Ed25519PrivateKey | None:
    pem = settings.CLEA_SIGNING_KEY_PEM.strip()
    if not pem:
        return None
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("CLEA_SIGNING_KEY_PEM must be an Ed25519 private key (PKCS#8 PEM)")
    return key


def active_key() -> SigningKey:
    """The key that signs now: the environment's when given, else the stored one, generated on first use."""
    environment = _environment_key()
    with transaction.atomic():
        if environment is not None:
            kid = thumbprint(public_jwk_of(environment.public_key()))
            current = SigningKey.objects.select_for_update().filter(active=True).first()
            return current if current is not None and current.kid == kid else _store(environment, from_environment=True)
        current = SigningKey.objects.select_for_update().filter(active=True).first()
        return current if current is not None else _store(Ed25519PrivateKey.generate(), from_environment=False)


def rotate() -> SigningKey:
    """A new stored key becomes active; the previous one is retired and stays published (JWKS)."""
    with transaction.atomic():
        list(SigningKey.objects.select_for_update().filter(active=True))
        return _store(Ed25519PrivateKey.generate(), from_environment=False)


def private_key_of(key: SigningKey) -> Ed25519PrivateKey:
    if key.from_environment:
        environment = _environment_key()
        if environment is None or thumbprint(public_jwk_of(environment.public_key())) != key.kid:
            raise SignatureInvalid(f"the private key of {key.kid} is not in CLEA_SIGNING_KEY_PEM")
        return environment
    return _load_stored(key.private_key_pem)


def jwks() -> dict[str, Any]:
    """Every key's public part, active first: what a verifier needs, for old credentials too."""
    keys = sorted(SigningKey.objects.all(), key=lambda k: (not k.active, -k.pk))
    return {"keys": [{**k.public_jwk, "kid": did.key_url(k.kid)} for k in keys]}  # kid as in the JWS headers


def sign(payload: dict[str, Any]) -> tuple[str, str]:
    """A compact JWS (``alg: EdDSA``, ``kid`` = the key's DID URL) of ``payload`` with the active key;
    ``(token, thumbprint)``. PyJWT's default ``typ: JWT`` is removed (``typ: None``): see the module's note."""
    key = active_key()
    token = jwt.encode(
        payload, private_key_of(key), algorithm=ALGORITHM, headers={"kid": did.key_url(key.kid), "typ": None}
    )
    return token, key.kid


def verify(token: str) -> dict[str, Any]:
    """The payload of ``token`` once its signature checks out with the published key named by its ``kid``."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise SignatureInvalid(str(exc)) from exc
    if header.get("alg") != ALGORITHM:
        raise SignatureInvalid(f"unexpected alg {header.get('alg')!r}")
    thumb = did.thumbprint_of_kid(str(header.get("kid", "")))
    key = SigningKey.objects.filter(kid=thumb).first() if thumb else None
    if key is None:
        raise SignatureInvalid("unknown kid")
    public = jwt.PyJWK({k: v for k, v in key.public_jwk.items() if k in ("kty", "crv", "x")}, ALGORITHM)
    try:
        payload: dict[str, Any] = jwt.decode(
            token, public.key, algorithms=[ALGORITHM], options={"verify_aud": False, "require": ["iss", "iat"]}
        )
    except jwt.PyJWTError as exc:
        raise SignatureInvalid(str(exc)) from exc
    return payload
