"""The certificate as an Open Badges 3.0 credential (W3C VC 2.0, VC-JOSE), and the revocation status list.

* Credential: ``@context`` VC 2.0 + OB 3.0.3, types ``VerifiableCredential`` + ``OpenBadgeCredential``,
  issuer = the federation (``Profile``), ``credentialSubject`` = ``AchievementSubject`` with the achievement
  "Certificat CléA", ``credentialStatus`` = ``BitstringStatusListEntry`` (purpose ``revocation``).
* Status list: a Bitstring Status List of :data:`STATUS_LIST_BITS` bits (one per certificate, 1 = revoked),
  GZIP-compressed then multibase base64url (``u`` prefix, no padding), in a ``BitstringStatusListCredential``.

Both are signed as compact JWS (header ``{alg: EdDSA, kid: <DID URL>}``) by :mod:`clea.certification.signing`.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from clea.certification import did, signing

federation_url = did.federation_url  # kept here for the modules that build URLs from credentials

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_BITS = 131_072  # 16 KiB: the specification's minimum, so one list hides each holder among many
ACHIEVEMENT_NAME = "Certificat CléA"


def verification_path(number: str) -> str:
    return f"/verifier/{number}/"


def status_list_url() -> str:
    return federation_url("/api/public/status-list/")


def issuer() -> dict[str, Any]:
    """The federation as an OB 3.0 Profile whose ``id`` is its ``did:web`` DID (:mod:`clea.certification.did`)."""
    return did.issuer_profile()


def achievement_url() -> str:
    return federation_url("/certificat-clea/")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def achievement() -> dict[str, Any]:
    """The OB 3.0 Achievement every certificate credential names (resolvable at its ``id``)."""
    return {
        "id": achievement_url(),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": ACHIEVEMENT_NAME,
        "description": "Certificat de connaissances et de compétences professionnelles (socle CléA).",
        "criteria": {
            "narrative": (
                "Maîtrise de l'ensemble des 7 domaines du socle, constatée par un organisme évaluateur "
                "habilité et validée par un jury paritaire."
            )
        },
        "inLanguage": "fr",
    }


def certificate_credential(
    *,
    number: str,
    candidate_name: str,
    candidate_pseudonym: str,
    referential_id: str,
    organisation_name: str,
    organisation_slug: str,
    issued_at: datetime,
    status_index: int,
) -> dict[str, Any]:
    """The unsigned OB 3.0 / VC 2.0 credential of one certificate."""
    list_url = status_list_url()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": federation_url(verification_path(number)),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{ACHIEVEMENT_NAME} n° {number}",
        "issuer": issuer(),
        "validFrom": iso(issued_at),
        "credentialSubject": {
            "id": f"urn:uuid:{candidate_pseudonym}",
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": candidate_name, "identityType": "name", "hashed": False}
            ],
            "licenseNumber": number,
            "achievement": achievement(),
            "source": {
                "id": f"urn:clea:organisation:{organisation_slug}",
                "type": ["Profile"],
                "name": organisation_name,
            },
            "result": [{"type": ["Result"], "value": referential_id}],
        },
        "credentialStatus": {
            "id": f"{list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": list_url,
        },
    }


def sign_credential(credential: dict[str, Any]) -> tuple[str, str]:
    """VC-JOSE: the credential is the JWT payload, with ``iss``/``sub``/``jti``/``iat`` for JWT libraries."""
    issued = datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "sub": credential["credentialSubject"]["id"],
        "jti": credential["id"],
        "iat": int(issued.timestamp()),
        "nbf": int(issued.timestamp()),
    }
    return signing.sign(claims)


# --- the status list ---------------------------------------------------------------------------------


def encode_bitstring(revoked: Iterable[int], size: int = STATUS_LIST_BITS) -> str:
    """Bit ``i`` (left-most bit of byte 0 is index 0) set for each revoked index; GZIP, then ``u`` + base64url."""
    indexes = list(revoked)
    while indexes and max(indexes) >= size:
        size += STATUS_LIST_BITS
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def status_list_credential(revoked: Iterable[int], now: datetime | None = None) -> dict[str, Any]:
    list_url = status_list_url()
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer(),
        "validFrom": iso(now or timezone.now()),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked),
        },
    }


def sign_status_list(credential: dict[str, Any]) -> str:
    issued = datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    claims = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"], "iat": int(issued.timestamp())}
    token, _ = signing.sign(claims)
    return token
