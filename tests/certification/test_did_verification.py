"""A standard verifier given nothing but the credential: jwcrypto (the platform signs with PyJWT; the other tests
use joserfc) finds the key from the JWS ``kid`` alone (DID URL → did:web document → verification method), checks
the signature, follows ``credentialStatus`` to the status list (verified the same way), and rejects a tampered or
revoked credential. The did:web rule is re-implemented here from the method's text, not imported."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from jwcrypto import jwk, jws
from tests.certification.conftest import JuryFixture
from tests.certification.test_credentials import certify

from clea.certification import signing
from clea.certification.disclosure import printed_code
from clea.certification.models import JurySubmission

pytestmark = [pytest.mark.db]


class Unverifiable(Exception):
    pass


def fetch(url: str, accept: str = "application/json") -> Any:
    """GET ``url`` on this platform as an outside client would (host and scheme from the URL)."""
    parts = urlsplit(url)
    response = Client().get(
        parts.path or "/", HTTP_HOST=parts.netloc, HTTP_ACCEPT=accept, secure=parts.scheme == "https"
    )
    return response


def did_web_document_url(did: str) -> str:
    """did:web method: method-specific id, ':' → '/', percent-decode, https, default path /.well-known/did.json."""
    assert did.startswith("did:web:")
    host, *path = did[len("did:web:") :].split(":")
    return "https://" + unquote(host) + ("/" + "/".join(map(unquote, path)) if path else "/.well-known") + "/did.json"


def resolve_key(kid: str) -> jwk.JWK:
    """DID URL → DID document → the verification method named by the URL, authorised for assertions."""
    did, _, fragment = kid.partition("#")
    if not did.startswith("did:web:") or not fragment:
        raise Unverifiable(f"kid is not a did:web DID URL: {kid!r}")
    response = fetch(did_web_document_url(did))
    if response.status_code != 200:
        raise Unverifiable(f"DID document: HTTP {response.status_code}")
    document = json.loads(response.content)
    if document.get("id") != did:
        raise Unverifiable("the DID document is not this DID's")
    if kid not in document.get("assertionMethod", []):
        raise Unverifiable("the key may not sign credentials")
    (method,) = [m for m in document["verificationMethod"] if m["id"] == kid]
    assert method["controller"] == did
    return jwk.JWK(**method["publicKeyJwk"])


def verify(token: str) -> dict[str, Any]:
    """The credential's claims once its signature checks out with the key its own header points to."""
    envelope = jws.JWS()
    envelope.deserialize(token)
    header = envelope.jose_header
    assert isinstance(header, dict)
    if header.get("alg") != "EdDSA" or header.get("typ", "JWT") != "JWT":  # OB 3.0 §8.2: typ, if present, JWT
        raise Unverifiable(f"unexpected header {header}")
    key = resolve_key(str(header["kid"]))
    try:
        envelope.verify(key, alg="EdDSA")
    except jws.InvalidJWSSignature as exc:
        raise Unverifiable("bad signature") from exc
    claims: dict[str, Any] = json.loads(envelope.payload)
    issuer = claims["issuer"]["id"] if isinstance(claims["issuer"], dict) else claims["issuer"]
    if claims.get("iss") != issuer or str(header["kid"]).split("#")[0] != issuer:
        raise Unverifiable("the signing key is not the issuer's")
    return claims


def is_revoked(credential: dict[str, Any]) -> bool:
    """Bitstring Status List: fetch the list the credential names, verify it, read its bit."""
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    response = fetch(status["statusListCredential"], accept="application/vc+jwt")
    assert response.status_code == 200
    status_list = verify(response.content.decode())
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    index = int(status["statusListIndex"])
    return bool((bits[index // 8] >> (7 - index % 8)) & 1)


def tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_credential_verifies_from_itself_alone_and_revocation_is_seen(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    kept, revoked = certify(federation_client, jury, [submit_file(org_a, "Résolue"), submit_file(org_a, "Retirée")])
    public = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    token = public.get(
        f"/api/public/certificates/{kept.number}/credential/", {"code": printed_code(kept.number)}
    ).content.decode()

    credential = verify(token)
    assert credential["credentialSubject"]["licenseNumber"] == kept.number
    assert credential["issuer"]["id"] == f"did:web:{settings.CLEA_BASE_DOMAIN}"
    assert is_revoked(credential) is False

    with pytest.raises(Unverifiable, match="bad signature"):
        verify(tamper(token))

    response = federation_client.post(
        f"/api/federation/certificates/{revoked.number}/revoke/", {"reason": "Fraude"}, format="json"
    )
    assert response.status_code == 200
    assert is_revoked(verify(revoked.credential_jwt)) is True
    assert is_revoked(verify(token)) is False


def test_every_url_in_a_credential_resolves(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    (certificate,) = certify(federation_client, jury, [submit_file(org_a, "Liens")])
    credential = verify(certificate.credential_jwt)

    # issuer.id (the DID) resolves to a JSON document that is also the issuer's OB 3.0 Profile
    issuer_doc = json.loads(fetch(did_web_document_url(credential["issuer"]["id"])).content)
    assert "Profile" in issuer_doc["type"] and issuer_doc["name"] == credential["issuer"]["name"]
    # issuer.url: the Profile as JSON to a JSON client, the French home page to a browser
    did_json = fetch(did_web_document_url(credential["issuer"]["id"]), accept="application/did+json")
    assert did_json.status_code == 200 and did_json["Content-Type"] == "application/did+json"
    as_json = fetch(credential["issuer"]["url"])
    assert as_json["Content-Type"].startswith("application/json")
    assert json.loads(as_json.content)["id"] == credential["issuer"]["id"]
    as_html = fetch(credential["issuer"]["url"], accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert as_html.status_code == 200 and as_html["Content-Type"].startswith("text/html")
    # the achievement, the credential's own id (verification page), the status list
    achievement = json.loads(fetch(credential["credentialSubject"]["achievement"]["id"]).content)
    assert achievement["name"] == "Certificat CléA" and "Achievement" in achievement["type"]
    assert fetch(credential["id"], accept="text/html").status_code == 200
    assert fetch(credential["credentialStatus"]["statusListCredential"]).status_code == 200


def test_previous_keys_stay_in_the_did_document(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    (old,) = certify(federation_client, jury, [submit_file(org_a, "Ancienne")])
    signing.rotate()
    (new,) = certify(federation_client, jury, [submit_file(org_a, "Nouvelle")])
    document = json.loads(fetch(did_web_document_url(f"did:web:{settings.CLEA_BASE_DOMAIN}")).content)
    assert len(document["verificationMethod"]) == 2
    assert all("d" not in m["publicKeyJwk"] for m in document["verificationMethod"])  # never a private part
    assert verify(old.credential_jwt)["credentialSubject"]["licenseNumber"] == old.number
    assert verify(new.credential_jwt)["credentialSubject"]["licenseNumber"] == new.number


def test_did_web_identifiers() -> None:
    from clea.certification.did import did_of_url, url_of_did

    assert did_of_url("http://localhost:8000") == "did:web:localhost%3A8000"
    assert did_of_url("https://clea.example/federation/") == "did:web:clea.example:federation"
    assert url_of_did("did:web:clea.example") == "https://clea.example/.well-known/did.json"
    assert url_of_did("did:web:clea.example:federation") == "https://clea.example/federation/did.json"
    assert url_of_did("did:web:localhost%3A8000", scheme="http") == "http://localhost:8000/.well-known/did.json"
    assert did_web_document_url("did:web:localhost%3A8000") == "https://localhost:8000/.well-known/did.json"
