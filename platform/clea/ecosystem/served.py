"""What the organisation's file page and the candidate's portal show of a file's outcome (issue 16 §5): the
partial attestation (R12) to download, and for a certified file the live certificate from the federation's
table (number, valid or revoked with its date and reason, share link carrying the printed code, PDF and signed
credential). A revocation therefore shows on both pages as soon as it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from clea.certification.credentials import verification_path
from clea.certification.disclosure import printed_code
from clea.certification.links import verification_url
from clea.certification.models import Certificate
from clea.journey.models import CandidateFileRecord, Document
from clea.journey.models.document import DocumentKind
from clea_tenants.schemas import current_tenant


@dataclass(frozen=True)
class CertificateLinks:
    number: str
    revoked_at: datetime | None
    revocation_reason: str
    share_url: str
    pdf_url: str
    credential_url: str


def certificate_of(record: CandidateFileRecord, request: HttpRequest | None) -> CertificateLinks | None:
    certificate = (
        Certificate.objects.filter(organisation=current_tenant(), submission__file_ref=str(record.pk))
        .order_by("-issued_at")
        .first()
    )
    if certificate is None:
        return None
    code = printed_code(certificate.number)
    page = verification_url(certificate.number, request)
    base = page.removesuffix(verification_path(certificate.number))
    return CertificateLinks(
        number=certificate.number,
        revoked_at=certificate.revoked_at,
        revocation_reason=certificate.revocation_reason,
        share_url=f"{page}?code={code}",
        pdf_url=f"{page}certificat.pdf?code={code}",
        credential_url=f"{base}/api/public/certificates/{certificate.number}/credential/?code={code}",
    )


def attestations_of(record: CandidateFileRecord) -> list[Document]:
    return list(Document.objects.filter(file=record, kind=DocumentKind.PARTIAL_ATTESTATION))


def panel(record: CandidateFileRecord, request: HttpRequest | None, *, portal: bool) -> dict[str, Any]:
    return {
        "certificate": certificate_of(record, request),
        "attestations": attestations_of(record),
        "portal": portal,
    }
