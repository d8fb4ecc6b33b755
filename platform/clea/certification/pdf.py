"""Printable documents of the federation (reportlab, A4, French), on the common set-up of :mod:`clea.pdf`.

* the certificate, with a QR code pointing to its public verification page;
* the minutes (procès-verbal) of a jury session: members present by college, each file's decision,
  each present member's approval.

The attestation of partial acquisition (R12) is the organisation's document: ``clea.journey.documents``.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from clea import pdf
from clea.certification import credentials, disclosure
from clea.certification.models import Certificate, HolderIdentity
from clea.certification.sessions import Minutes

FEDERATION = "Fédération CléA — certificateur national"


def _date(value: Any) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y}"


def born_line(holder: HolderIdentity) -> str:
    """« né(e) le 14/03/1990 à Lyon (69123) » (R15: the certificate carries the civil identity)."""
    born = "née" if holder.civility == "MME" else "né"
    when = f"{holder.birth_date:%d/%m/%Y}" if holder.birth_date else ""
    return f"{'Madame' if holder.civility == 'MME' else 'Monsieur'}, {born} le {when} à {holder.birth_place_label}"


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate (A4, French) with the QR code of ``/verifier/<number>/`` on the federation's host."""
    code = disclosure.printed_code(certificate.number)
    url = credentials.federation_url(credentials.verification_path(certificate.number)) + f"?code={code}"
    session = certificate.session
    holder = HolderIdentity.objects.filter(submission_id=certificate.submission_id).first()
    civil = holder is not None and holder.complete
    story: list[Flowable] = [
        pdf.paragraph("Certificat CléA", "Title"),
        pdf.paragraph("Certificat de connaissances et de compétences professionnelles", "Heading3"),
        Spacer(1, 0.8 * cm),
        pdf.paragraph("La Fédération CléA certifie que"),
        pdf.paragraph(
            f"<b>{escape(holder.display_name if holder and civil else certificate.candidate_name)}</b>", "Heading1"
        ),
        *([pdf.paragraph(escape(born_line(holder)))] if holder is not None and civil else []),
        pdf.paragraph(
            "maîtrise l'ensemble des 7 domaines du socle de connaissances et de compétences professionnelles "
            f"(référentiel {escape(certificate.referential_id)}), sur décision du jury paritaire "
            f"« {escape(session.jury.name)} » du {_date(session.starts_at)}.",
        ),
        Spacer(1, 0.4 * cm),
        pdf.paragraph(f"Certificat n° <b>{escape(certificate.number)}</b>", "Heading2"),
        pdf.paragraph(f"Délivré le {_date(certificate.issued_at)}."),
        pdf.paragraph(f"Code de vérification : <b>{escape(code)}</b>"),
        pdf.paragraph(f"Organisme évaluateur : {escape(certificate.organisation.name)}"),
        Spacer(1, 0.6 * cm),
    ]
    if certificate.revoked_at is not None:
        story.append(
            pdf.paragraph(
                f"<font color='#b00020'><b>Certificat révoqué le {_date(certificate.revoked_at)}.</b></font>",
                "Heading2",
            )
        )
    verify = Table(
        [
            [
                pdf.qr_code(url),
                pdf.paragraph(
                    "Vérifiez l'authenticité de ce certificat en scannant le code ou à l'adresse :<br/>"
                    f"<b>{escape(url)}</b><br/><br/>Le certificat numérique signé (Open Badges 3.0) est "
                    "disponible sur la même page.",
                ),
            ]
        ],
        colWidths=[4.6 * cm, None],
    )
    verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(verify)
    return pdf.render(story, title=f"Certificat CléA n° {certificate.number}", author=FEDERATION)


def minutes_pdf(minutes: Minutes) -> bytes:
    """The procès-verbal of a session: present members by college, decisions, approvals."""
    session = minutes.session
    where = session.place or (f"visioconférence ({session.video_link})" if session.video_link else "—")
    story: list[Flowable] = [
        pdf.paragraph("Procès-verbal de délibération du jury paritaire CléA", "Title"),
        pdf.paragraph(escape(session.jury.name), "Heading3"),
        pdf.paragraph(
            f"Session du {timezone.localtime(session.starts_at):%d/%m/%Y à %H:%M} — {escape(where)}",
        ),
        Spacer(1, 0.3 * cm),
        pdf.paragraph("Membres présents", "Heading2"),
    ]
    for college, label in (("employer", "Collège employeurs"), ("employee", "Collège salariés")):
        members = minutes.present_by_college.get(college, [])
        story.append(pdf.paragraph(label, "Heading4"))
        story.append(pdf.bullets((escape(m.name) for m in members), empty="aucun"))
    if minutes.absent:
        names = ", ".join(escape(m.name) for m in minutes.absent)
        story.append(pdf.paragraph(f"Membres convoqués absents : {names}"))
    story.append(pdf.paragraph("Décisions", "Heading2"))
    rows: list[list[Any]] = [["Candidat", "Organisme", "Décision", "Motifs / n° de certificat"]]
    for line in minutes.lines:
        detail = line.certificate_number or line.reasons or "—"
        rows.append(
            [
                pdf.paragraph(escape(line.candidate_name)),
                pdf.paragraph(escape(line.organisation)),
                line.outcome_label,
                pdf.paragraph(escape(detail)),
            ]
        )
    story.append(pdf.grid(rows, [4.2 * cm, 4.2 * cm, 2.4 * cm, None]))
    story.append(pdf.paragraph("Approbation du procès-verbal", "Heading2"))
    approvals = [
        f"{escape(a.member.name)} ({escape(a.member.college_label)}) — approuvé le "
        f"{timezone.localtime(a.approved_at):%d/%m/%Y à %H:%M}"
        for a in minutes.approvals
    ]
    approvals += [f"{escape(m.name)} — en attente d'approbation" for m in minutes.pending_approval]
    story.append(pdf.bullets(approvals))
    status = (
        "Procès-verbal définitif : approuvé par tous les membres présents."
        if minutes.final
        else "Procès-verbal provisoire : en attente de l'approbation de tous les membres présents."
    )
    story += [Spacer(1, 0.4 * cm), pdf.paragraph(f"<b>{status}</b>")]
    return pdf.render(story, title=f"Procès-verbal — {session.jury.name}", author=FEDERATION)
