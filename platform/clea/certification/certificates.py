"""Certificates (R12): issued when a jury certifies, verified by anyone, revoked with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from clea.audit.trail import append
from clea.certification import credentials, disclosure, signing
from clea.certification.models import Certificate, JurySession, JurySubmission
from clea.certification.numbering import next_certificate_number, next_status_list_index
from clea.kernel.errors import DomainError
from clea.kernel.jury import is_valid_certificate_number


def issue_certificate(submission: JurySubmission, session: JurySession, issued_at: datetime) -> Certificate:
    """Number, sign and store the certificate of a certified submission (inside the deliberation's transaction)."""
    organisation = submission.organisation
    number = next_certificate_number(timezone.localtime(issued_at).year)
    index = next_status_list_index()
    credential = credentials.certificate_credential(
        number=number,
        candidate_name=submission.candidate_name,
        candidate_pseudonym=str(submission.candidate_pseudonym),
        referential_id=submission.referential_id,
        organisation_name=organisation.name,
        organisation_slug=organisation.slug,
        issued_at=issued_at,
        status_index=index,
    )
    token, kid = credentials.sign_credential(credential)
    return Certificate.objects.create(
        number=number,
        submission=submission,
        candidate_name=submission.candidate_name,
        candidate_pseudonym=submission.candidate_pseudonym,
        referential_id=submission.referential_id,
        organisation=organisation,
        session=session,
        issued_at=issued_at,
        status_list_index=index,
        credential_jwt=token,
        signing_kid=kid,
    )


def revoke(number: str, reason: str, now: datetime | None = None, actor: Any = None) -> Certificate:
    """R12: a certificate can be revoked (e.g. fraud), with its reason; its status list bit flips to 1."""
    if not reason.strip():
        raise DomainError(
            "revocation_reason_required",
            "R12",
            "Une révocation doit être motivée.",
            "A revocation must give its reason.",
        )
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(number=number)
        if certificate.revoked_at is not None:
            raise DomainError(
                "already_revoked_conflict",
                "R12",
                f"Le certificat {number} est déjà révoqué.",
                f"Certificate {number} is already revoked.",
            )
        certificate.revoked_at = now or timezone.now()
        certificate.revocation_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revocation_reason"])
        append(
            "certificate.revoked",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            object_ref=f"certificate:{certificate.number}",
            detail={"reason": certificate.revocation_reason, "revoked_at": certificate.revoked_at.isoformat()},
        )
        return certificate


def revoked_indexes() -> list[int]:
    return list(Certificate.objects.filter(revoked_at__isnull=False).values_list("status_list_index", flat=True))


def signed_status_list() -> str:
    return credentials.sign_status_list(credentials.status_list_credential(revoked_indexes()))


@dataclass(frozen=True)
class Verification:
    """What the public verification says about a number."""

    number: str
    well_formed: bool
    found: bool
    signature_valid: bool = False
    revoked: bool = False
    certificate: Certificate | None = None

    @property
    def authentic(self) -> bool:
        """Issued by the federation, signature intact, and not revoked."""
        return self.found and self.signature_valid and not self.revoked

    def as_dict(self, *, disclose: bool = False) -> dict[str, Any]:
        """``disclose``: the asker gave the birth date or the printed code (else the name is in initials)."""
        c = self.certificate
        name = (c.candidate_name if disclose else disclosure.initials(c.candidate_name)) if c else None
        return {
            "number": self.number,
            "well_formed": self.well_formed,
            "found": self.found,
            "authentic": self.authentic,
            "signature_valid": self.signature_valid,
            "revoked": self.revoked,
            "status": "not_found" if not self.found else ("revoked" if self.revoked else "valid"),
            "candidate_name": name,
            "name_disclosed": bool(c and disclose),
            "achievement": credentials.ACHIEVEMENT_NAME if c else None,
            "issued_at": c.issued_at if c else None,
            "organisation": c.organisation.name if c else None,
            "referential_id": c.referential_id if c else None,
            "revoked_at": c.revoked_at if c else None,
            "revocation_reason": c.revocation_reason if c and c.revoked_at else None,
            "signing_kid": c.signing_kid if c else None,
            "verification_url": credentials.federation_url(credentials.verification_path(self.number)) if c else None,
        }


def verify(number: str) -> Verification:
    """Check a number: its check digits, that it exists, its signature (server-side) and its revocation."""
    number = number.strip().upper()
    if not is_valid_certificate_number(number):
        return Verification(number, well_formed=False, found=False)
    certificate = Certificate.objects.select_related("organisation").filter(number=number).first()
    if certificate is None:
        return Verification(number, well_formed=True, found=False)
    return Verification(
        number,
        well_formed=True,
        found=True,
        signature_valid=credential_checks_out(certificate),
        revoked=certificate.revoked_at is not None,
        certificate=certificate,
    )


def credential_checks_out(certificate: Certificate) -> bool:
    """The stored credential's signature is valid and it is the credential of this certificate."""
    try:
        payload = signing.verify(certificate.credential_jwt)
    except signing.SignatureInvalid:
        return False
    subject = payload.get("credentialSubject", {})
    return bool(
        subject.get("licenseNumber") == certificate.number
        and subject.get("achievement", {}).get("name") == credentials.ACHIEVEMENT_NAME
        and payload.get("credentialStatus", {}).get("statusListIndex") == str(certificate.status_list_index)
    )
