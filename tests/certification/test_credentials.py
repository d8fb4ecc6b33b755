"""Certificates as verifiable credentials, checked by an independent implementation (joserfc; the platform signs
with PyJWT), the Bitstring Status List, revocation, key rotation, and the PDFs (text extracted with pypdf)."""

from __future__ import annotations

import base64
import gzip
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet
from pypdf import PdfReader
from rest_framework.test import APIClient
from tests.certification.conftest import JuryFixture, plan_session

from clea.certification import signing
from clea.certification.disclosure import printed_code
from clea.certification.models import Certificate, JurySubmission, SigningKey

pytestmark = [
    pytest.mark.db,
    # RFC 9864 prefers the fully-specified "Ed25519"; VC-JOSE and today's verifiers use "EdDSA" (docs/CERTIFICATES.md)
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated"),
]


def public_client() -> APIClient:
    """Anyone, not signed in, on the federation's host."""
    client = APIClient()
    client.defaults["HTTP_HOST"] = settings.CLEA_BASE_DOMAIN
    return client


def certify(federation_client: Any, jury: JuryFixture, submissions: list[JurySubmission]) -> list[Certificate]:
    session = plan_session(federation_client, jury)
    federation_client.post(
        f"/api/federation/jury-sessions/{session.pk}/assign/",
        {"submissions": [s.pk for s in submissions]},
        format="json",
    )
    response = jury.client(jury.employers[0]).post(
        f"/api/federation/jury-sessions/{session.pk}/deliberate/",
        {
            "present": [jury.employers[0].pk, jury.employees[0].pk],
            "decisions": [{"submission": s.pk, "outcome": "certified"} for s in submissions],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    return [Certificate.objects.get(number=d["certificate_number"]) for d in response.json()]


def published_keys() -> KeySet:
    jwks = public_client().get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert all("d" not in key for key in jwks.json()["keys"])  # never a private part
    return KeySet.import_key_set(jwks.json())


def decode_status_list(token: str, keys: KeySet) -> bytes:
    claims = jwt.decode(token, keys, algorithms=["EdDSA"]).claims
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = claims["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit(bitstring: bytes, index: int) -> int:
    return (bitstring[index // 8] >> (7 - index % 8)) & 1


def test_credential_verified_by_an_independent_implementation(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    (certificate,) = certify(federation_client, jury, [submit_file(org_a, "Vérifiée")])
    code = printed_code(certificate.number)
    token = public_client().get(f"/api/public/certificates/{certificate.number}/credential/", {"code": code})
    assert token.status_code == 200
    assert token["Content-Type"] == "application/vc+jwt"

    keys = published_keys()
    decoded = jwt.decode(token.content.decode(), keys, algorithms=["EdDSA"])
    assert decoded.header["alg"] == "EdDSA"
    assert decoded.header["kid"] == f"did:web:{settings.CLEA_BASE_DOMAIN}#{certificate.signing_kid}"
    assert "typ" not in decoded.header and "cty" not in decoded.header  # OB 3.0 and VC-JOSE-COSE both accept
    vc = decoded.claims
    assert vc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"]["id"] == vc["iss"] == f"did:web:{settings.CLEA_BASE_DOMAIN}"
    assert vc["issuer"]["url"] == f"https://{settings.CLEA_BASE_DOMAIN}/"
    assert "Profile" in vc["issuer"]["type"]
    subject = vc["credentialSubject"]
    assert subject["achievement"]["name"] == "Certificat CléA"
    assert subject["licenseNumber"] == certificate.number
    assert subject["identifier"][0]["identityHash"] == "Léa Vérifiée"
    status = vc["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"].endswith("/api/public/status-list/")
    assert status["statusListIndex"] == str(certificate.status_list_index)

    # the public API confirms it (signature checked server-side)
    answer = public_client().get(f"/api/public/certificates/{certificate.number}/", {"code": code})
    assert answer.status_code == 200
    assert answer.json()["authentic"] is True
    assert answer.json()["status"] == "valid"
    assert answer.json()["candidate_name"] == "Léa Vérifiée"
    assert public_client().get("/api/public/certificates/CLEA-2026-999999-00/").status_code == 404


def test_a_tampered_credential_is_rejected(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    (certificate,) = certify(federation_client, jury, [submit_file(org_a)])
    header, payload, signature = certificate.credential_jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{header}.{forged_payload}.{signature}"

    with pytest.raises(BadSignatureError):
        jwt.decode(forged, published_keys(), algorithms=["EdDSA"])

    Certificate.objects.filter(pk=certificate.pk).update(credential_jwt=forged)  # e.g. a database edited by hand
    answer = public_client().get(f"/api/public/certificates/{certificate.number}/")
    assert answer.json()["signature_valid"] is False
    assert answer.json()["authentic"] is False


def test_revocation_flips_the_status_list_bit(
    federation_client: Any,
    jury: JuryFixture,
    submit_file: Callable[..., JurySubmission],
    org_a: Any,
    api_client_for: Callable[..., Any],
) -> None:
    kept, revoked = certify(federation_client, jury, [submit_file(org_a, "Garde"), submit_file(org_a, "Fraude")])
    keys = published_keys()
    before = decode_status_list(public_client().get("/api/public/status-list/").content.decode(), keys)
    assert len(before) * 8 >= 131_072
    assert bit(before, kept.status_list_index) == bit(before, revoked.status_list_index) == 0

    url = f"/api/federation/certificates/{revoked.number}/revoke/"
    assert api_client_for(None, "analyst").post(url, {"reason": "x"}, format="json").status_code == 403
    no_reason = federation_client.post(url, {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    response = federation_client.post(url, {"reason": "Fraude à l'évaluation constatée"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["revoked_at"] is not None
    assert federation_client.post(url, {"reason": "encore"}, format="json").status_code == 409

    after = decode_status_list(public_client().get("/api/public/status-list/").content.decode(), keys)
    assert bit(after, revoked.status_list_index) == 1
    assert bit(after, kept.status_list_index) == 0

    # a verifier following the credential's own credentialStatus finds it revoked
    vc = jwt.decode(revoked.credential_jwt, keys, algorithms=["EdDSA"]).claims
    assert bit(after, int(vc["credentialStatus"]["statusListIndex"])) == 1
    answer = public_client().get(f"/api/public/certificates/{revoked.number}/").json()
    assert (answer["status"], answer["authentic"], answer["signature_valid"]) == ("revoked", False, True)
    assert answer["revocation_reason"] == "Fraude à l'évaluation constatée"
    page = public_client().get(f"/verifier/{revoked.number}/")
    assert "Certificat révoqué" in page.content.decode()


def test_key_rotation_keeps_old_credentials_verifiable(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    (old,) = certify(federation_client, jury, [submit_file(org_a, "Avant")])
    new_key = signing.rotate()
    assert new_key.kid != old.signing_kid
    (new,) = certify(federation_client, jury, [submit_file(org_a, "Après")])
    assert new.signing_kid == new_key.kid
    assert SigningKey.objects.get(kid=old.signing_kid).retired_at is not None

    keys = published_keys()  # both keys are published
    for certificate in (old, new):
        decoded = jwt.decode(certificate.credential_jwt, keys, algorithms=["EdDSA"])
        assert decoded.header["kid"].endswith(f"#{certificate.signing_kid}")
        assert public_client().get(f"/api/public/certificates/{certificate.number}/").json()["authentic"] is True


def test_pdfs_carry_the_certificate_number(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    (certificate,) = certify(federation_client, jury, [submit_file(org_a, "Imprimée")])
    response = public_client().get(
        f"/api/public/certificates/{certificate.number}/pdf/", {"code": printed_code(certificate.number)}
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert certificate.number in text
    assert "Léa Imprimée" in text
    assert f"/verifier/{certificate.number}/" in text.replace("\n", "")

    minutes = federation_client.get(f"/api/federation/jury-sessions/{certificate.session_id}/minutes/pdf/")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(minutes.content)).pages)
    assert "Procès-verbal" in text
    assert certificate.number in text
    assert jury.employers[0].name in text and jury.employees[0].name in text
    assert "Collège employeurs" in text and "Collège salariés" in text
