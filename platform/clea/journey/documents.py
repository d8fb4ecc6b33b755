"""Documents generated for a file, as PDF (reportlab), stored per tenant.

R12: a candidate who stops before certification (left, refused, or past the 5-year window) gets an
attestation of what is acquired; the kernel's :func:`~clea.kernel.jury.partial_attestation` decides the
content (strengths only), this module lays it out and stores it as a :class:`Document`.
"""

from __future__ import annotations

import hashlib
from typing import Any
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import connection, transaction
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from clea import pdf
from clea.journey import services
from clea.journey.models import CandidateFileRecord, Document, DocumentKind
from clea.kernel.jury import PartialAttestation, partial_attestation
from clea.kernel.ports import Clock


def partial_attestation_pdf(attestation: PartialAttestation, organisation_name: str) -> bytes:
    """The attestation as a PDF (A4, French)."""
    story: list[Flowable] = [
        pdf.paragraph("Certificat CléA — Attestation de compétences acquises", "Title"),
        pdf.paragraph(escape(organisation_name), "Heading3"),
        Spacer(1, 0.4 * cm),
        pdf.paragraph(
            f"Nous attestons que <b>{escape(attestation.candidate_name)}</b> a acquis les compétences "
            f"ci-dessous du socle de connaissances et de compétences professionnelles "
            f"(référentiel {escape(attestation.referential_id)})."
        ),
        Spacer(1, 0.3 * cm),
    ]
    if attestation.mastered_domains:
        story.append(pdf.paragraph("Domaines maîtrisés", "Heading2"))
        story.append(pdf.bullets(f"{escape(code)} — {escape(title)}" for code, title in attestation.mastered_domains))
    story.append(pdf.paragraph("Compétences acquises", "Heading2"))
    for sub in attestation.subdomains:
        if not sub.acquired_criteria:
            continue
        heading = f"{escape(sub.code)} — {escape(sub.title)}" + (" (sous-domaine acquis)" if sub.acquired else "")
        story.append(pdf.paragraph(heading, "Heading4"))
        story.append(pdf.bullets(f"{escape(code)} {escape(title)}" for code, title in sub.acquired_criteria))
    if attestation.is_empty:
        story.append(pdf.paragraph("Les compétences seront attestées au fil du parcours."))
    story += [
        Spacer(1, 0.6 * cm),
        pdf.paragraph(
            f"Fait le {attestation.issued_on:%d/%m/%Y}. Ces acquis restent valables pour une évaluation ultérieure."
        ),
    ]
    return pdf.render(story, title="Attestation de compétences acquises — CléA", author=organisation_name)


def make_partial_attestation(file_id: int, source_key: str, clock: Clock = services.SYSTEM_CLOCK) -> Document:
    """Generate and store the attestation of what the file has acquired; once per ``source_key``."""
    existing = Document.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing
    loaded = services.load(file_id)
    report = services.mastery_of(loaded)
    attestation = partial_attestation(loaded.referential, report, loaded.record.candidate.full_name, clock.today())
    tenant: Any = getattr(connection, "tenant", None)
    pdf = partial_attestation_pdf(attestation, str(getattr(tenant, "name", "")))
    title = "Attestation de compétences acquises"
    return _store(loaded.record, DocumentKind.PARTIAL_ATTESTATION, title, pdf, source_key)


def _store(record: CandidateFileRecord, kind: str, title: str, pdf: bytes, source_key: str) -> Document:
    document = Document(
        file=record,
        kind=kind,
        title=title,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        source_key=source_key,
    )
    with transaction.atomic():
        document.content.save(f"{kind}-{record.pk}-{document.uid}.pdf", ContentFile(pdf), save=False)
        document.save()
    return document
