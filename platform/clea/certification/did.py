"""The federation as a ``did:web`` issuer: its DID, the DID URLs of its keys, its DID document and OB3 Profile.

* DID (did:web method, W3C CCG spec): the federation's host, ``:`` percent-encoded (``localhost%3A8000``), then
  its path segments joined by ``:``. ``did:web:clea.example`` resolves to
  ``https://clea.example/.well-known/did.json``.
* Every signing key, active and retired, is a ``JsonWebKey2020`` verification method ``<did>#<thumbprint>``
  listed in ``assertionMethod``: a credential signed by a retired key still resolves.
* The DID document also carries the issuer's Open Badges 3.0 ``Profile`` members (``type``, ``name``, ``url``),
  so that resolving ``issuer.id`` gives the Profile as JSON (docs/CERTIFICATES.md, "Issuer and keys").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings

from clea.certification.models import SigningKey

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER_NAME = "Fédération CléA — certificateur national"
PUBLIC_JWK_MEMBERS = ("kty", "crv", "x")


def federation_url(path: str = "/") -> str:
    """An absolute URL on the federation's host (``CLEA_FEDERATION_URL``, else ``https://<base domain>``)."""
    base = settings.CLEA_FEDERATION_URL or f"https://{settings.CLEA_BASE_DOMAIN}"
    return base.rstrip("/") + path


def did_of_url(base_url: str) -> str:
    """``https://host:port/some/path`` → ``did:web:host%3Aport:some:path`` (the did:web method's rule)."""
    parts = urlsplit(base_url)
    host = quote(parts.netloc.lower(), safe="")
    segments = [quote(s, safe="") for s in parts.path.strip("/").split("/") if s]
    return ":".join(["did", "web", host, *segments])


def url_of_did(did: str, *, scheme: str = "https") -> str:
    """Where a did:web DID's document is: ``did:web:host`` → ``https://host/.well-known/did.json``, a path →
    ``https://host/path/did.json``. ``scheme`` is ``https`` by the method; ``http`` only for a local demo."""
    if not did.startswith("did:web:"):
        raise ValueError(f"not a did:web DID: {did!r}")
    host, *segments = did.removeprefix("did:web:").split(":")
    path = "/".join(unquote(s) for s in segments) + "/did.json" if segments else ".well-known/did.json"
    return f"{scheme}://{unquote(host)}/{path}"


def federation_did() -> str:
    return did_of_url(federation_url("/"))


def key_url(kid: str) -> str:
    """The DID URL of a key (the JWS ``kid``): ``<did>#<thumbprint>``."""
    return f"{federation_did()}#{kid}"


def thumbprint_of_kid(kid: str) -> str:
    """A JWS ``kid`` (DID URL, or a bare thumbprint in credentials signed before the DID) → the key's thumbprint."""
    if "#" in kid:
        did, fragment = kid.split("#", 1)
        return fragment if did == federation_did() else ""
    return kid


def issuer_profile() -> dict[str, Any]:
    """The issuer as an OB 3.0 ``Profile`` (what a credential's ``issuer`` holds)."""
    return {"id": federation_did(), "type": ["Profile"], "name": ISSUER_NAME, "url": federation_url("/")}


def _ordered_keys() -> list[SigningKey]:
    return sorted(SigningKey.objects.all(), key=lambda k: (not k.active, -k.pk))


def did_document() -> dict[str, Any]:
    """The DID document: every key (active first) as a verification method, plus the OB3 Profile members."""
    did = federation_did()
    methods = [
        {
            "id": f"{did}#{key.kid}",
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": {m: key.public_jwk[m] for m in PUBLIC_JWK_MEMBERS},
        }
        for key in _ordered_keys()
    ]
    ids = [m["id"] for m in methods]
    profile = issuer_profile()
    return {
        "@context": [DID_CONTEXT, JWS_2020_CONTEXT, OB_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids[:1],
        "type": profile["type"],
        "name": profile["name"],
        "url": profile["url"],
    }


def profile_document() -> dict[str, Any]:
    """The issuer's OB 3.0 Profile on its own (served at its ``url`` to clients asking for JSON)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB_CONTEXT],
        **issuer_profile(),
        "description": "Certificateur national du certificat CléA (socle de connaissances et de compétences).",
        "otherIdentifier": [
            {"type": "IdentifierEntry", "identifier": federation_url("/"), "identifierType": "identifier"}
        ],
    }
