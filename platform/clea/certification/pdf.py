"""Printable documents of the federation (reportlab, A4, French), laid out like ``clea.journey.documents``.

* the certificate, with a QR code pointing to its public verification page;
* the minutes (procès-verbal) of a jury session: members present by college, each file's decision,
  each present member's approval.

The attestation of partial acquisition (R12) is the organisation's document: ``clea.journey.documents``.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from clea.certification import credentials
from clea.certification.models import Certificate
from clea.certification.sessions import Minutes

FEDERATION = "Fédération CléA — certificateur national"


def _document(buffer: BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        author=FEDERATION,
    )


def qr_code(url: str, size: float = 4 * cm) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _date(value: Any) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y}"


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate (A4, French) with the QR code of ``/verifier/<number>/`` on the federation's host."""
    buffer = BytesIO()
    styles = getSampleStyleSheet()
    url = credentials.federation_url(credentials.verification_path(certificate.number))
    session = certificate.session
    story: list[Any] = [
        Paragraph("Certificat CléA", styles["Title"]),
        Paragraph("Certificat de connaissances et de compétences professionnelles", styles["Heading3"]),
        Spacer(1, 0.8 * cm),
        Paragraph("La Fédération CléA certifie que", styles["BodyText"]),
        Paragraph(f"<b>{escape(certificate.candidate_name)}</b>", styles["Heading1"]),
        Paragraph(
            "maîtrise l'ensemble des 7 domaines du socle de connaissances et de compétences professionnelles "
            f"(référentiel {escape(certificate.referential_id)}), sur décision du jury paritaire "
            f"« {escape(session.jury.name)} » du {_date(session.starts_at)}.",
            styles["BodyText"],
        ),
        Spacer(1, 0.4 * cm),
        Paragraph(f"Certificat n° <b>{escape(certificate.number)}</b>", styles["Heading2"]),
        Paragraph(f"Délivré le {_date(certificate.issued_at)}.", styles["BodyText"]),
        Paragraph(f"Organisme évaluateur : {escape(certificate.organisation.name)}", styles["BodyText"]),
        Spacer(1, 0.6 * cm),
    ]
    if certificate.revoked_at is not None:
        story.append(
            Paragraph(
                f"<font color='#b00020'><b>Certificat révoqué le {_date(certificate.revoked_at)}.</b></font>",
                styles["Heading2"],
            )
        )
    verify = Table(
        [
            [
                qr_code(url),
                Paragraph(
                    "Vérifiez l'authenticité de ce certificat en scannant le code ou à l'adresse :<br/>"
                    f"<b>{escape(url)}</b><br/><br/>Le certificat numérique signé (Open Badges 3.0) est "
                    "disponible sur la même page.",
                    styles["BodyText"],
                ),
            ]
        ],
        colWidths=[4.6 * cm, None],
    )
    verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(verify)
    document = _document(buffer, f"Certificat CléA n° {certificate.number}")
    document.build(story)
    return buffer.getvalue()


def minutes_pdf(minutes: Minutes) -> bytes:
    """The procès-verbal of a session: present members by college, decisions, approvals."""
    buffer = BytesIO()
    styles = getSampleStyleSheet()
    session = minutes.session
    where = session.place or (f"visioconférence ({session.video_link})" if session.video_link else "—")
    story: list[Any] = [
        Paragraph("Procès-verbal de délibération du jury paritaire CléA", styles["Title"]),
        Paragraph(escape(session.jury.name), styles["Heading3"]),
        Paragraph(
            f"Session du {timezone.localtime(session.starts_at):%d/%m/%Y à %H:%M} — {escape(where)}",
            styles["BodyText"],
        ),
        Spacer(1, 0.3 * cm),
        Paragraph("Membres présents", styles["Heading2"]),
    ]
    for college, label in (("employer", "Collège employeurs"), ("employee", "Collège salariés")):
        members = minutes.present_by_college.get(college, [])
        story.append(Paragraph(label, styles["Heading4"]))
        story.append(
            ListFlowable(
                [Paragraph(escape(m.name), styles["BodyText"]) for m in members]
                or [Paragraph("aucun", styles["BodyText"])],
                bulletType="bullet",
            )
        )
    if minutes.absent:
        names = ", ".join(escape(m.name) for m in minutes.absent)
        story.append(Paragraph(f"Membres convoqués absents : {names}", styles["BodyText"]))
    story.append(Paragraph("Décisions", styles["Heading2"]))
    rows: list[list[Any]] = [["Candidat", "Organisme", "Décision", "Motifs / n° de certificat"]]
    for line in minutes.lines:
        detail = line.certificate_number or line.reasons or "—"
        rows.append(
            [
                Paragraph(escape(line.candidate_name), styles["BodyText"]),
                Paragraph(escape(line.organisation), styles["BodyText"]),
                line.outcome_label,
                Paragraph(escape(detail), styles["BodyText"]),
            ]
        )
    table = Table(rows, colWidths=[4.2 * cm, 4.2 * cm, 2.4 * cm, None], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Paragraph("Approbation du procès-verbal", styles["Heading2"]))
    approvals = [
        Paragraph(
            f"{escape(a.member.name)} ({escape(a.member.college_label)}) — approuvé le "
            f"{timezone.localtime(a.approved_at):%d/%m/%Y à %H:%M}",
            styles["BodyText"],
        )
        for a in minutes.approvals
    ]
    approvals += [
        Paragraph(f"{escape(m.name)} — en attente d'approbation", styles["BodyText"]) for m in minutes.pending_approval
    ]
    story.append(ListFlowable(approvals or [Paragraph("—", styles["BodyText"])], bulletType="bullet"))
    status = (
        "Procès-verbal définitif : approuvé par tous les membres présents."
        if minutes.final
        else "Procès-verbal provisoire : en attente de l'approbation de tous les membres présents."
    )
    story += [Spacer(1, 0.4 * cm), Paragraph(f"<b>{status}</b>", styles["BodyText"])]
    document = _document(buffer, f"Procès-verbal — {session.jury.name}")
    document.build(story)
    return buffer.getvalue()
