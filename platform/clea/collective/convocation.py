"""The convocation to a collective session: a French PDF and its e-mail (sent by a Celery task)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from clea import pdf
from clea.collective.models import Enrolment
from clea.journey.notifications import SIGNATURE


def _when(enrolment: Enrolment) -> str:
    s = enrolment.session
    return f"le {s.on:%d/%m/%Y} de {s.starts_at:%H:%M} à {s.ends_at:%H:%M}"


def _where(enrolment: Enrolment) -> str:
    s = enrolment.session
    return s.place or f"en visioconférence : {s.video_link}"


def convocation_pdf(enrolment: Enrolment, organisation: str) -> bytes:
    s = enrolment.session
    candidate = enrolment.file.candidate
    evaluators = ", ".join(e.get_full_name() or e.username for e in s.evaluators.all())
    story: list[Flowable] = [
        pdf.paragraph("Convocation à une séance d'évaluation CléA", "Title"),
        pdf.paragraph(f"{escape(candidate.full_name)},"),
        pdf.paragraph(
            "vous êtes convoqué(e) à une séance collective d'évaluation du certificat CléA "
            f"(socle de connaissances et de compétences professionnelles) {escape(_when(enrolment))}."
        ),
        Spacer(1, 0.3 * cm),
        pdf.grid(
            [
                [
                    "Quoi",
                    pdf.paragraph(
                        "Séance collective d'évaluation CléA" + (f" ({escape(s.modality)})" if s.modality else "")
                    ),
                ],
                ["Quand", pdf.paragraph(escape(_when(enrolment)))],
                ["Où", pdf.paragraph(escape(_where(enrolment)))],
                ["Évaluateur(s)", pdf.paragraph(pdf.text(evaluators))],
                ["Contact", pdf.paragraph(pdf.text(s.contact))],
                ["À apporter", pdf.paragraph(pdf.text(s.what_to_bring or "une pièce d'identité"))],
                [
                    "Aménagements",
                    pdf.paragraph(
                        "Si vous avez besoin d'un aménagement (temps supplémentaire, lecteur, gros caractères, "
                        "interprète en langue des signes, lieu adapté…), dites-le au contact ci-dessus avant la séance."
                    ),
                ],
            ],
            [4 * cm, 13 * cm],
            header=False,
        ),
        Spacer(1, 0.3 * cm),
        pdf.paragraph(
            "En cas d'empêchement, prévenez le contact : une autre séance vous sera proposée. "
            "Une absence n'est jamais comptée comme un critère non acquis."
        ),
    ]
    return pdf.render(story, title="Convocation CléA", author=organisation)


def convocation_email(enrolment: Enrolment, organisation: str, reminder: bool = False) -> EmailMessage | None:
    candidate = enrolment.file.candidate
    if not candidate.email:
        return None
    subject = ("Rappel : demain, " if reminder else "") + "convocation à une séance d'évaluation CléA"
    body = (
        f"Bonjour {candidate.first_name},\n\n"
        + ("Nous vous rappelons que vous êtes" if reminder else "Vous êtes")
        + f" convoqué(e) à une séance collective d'évaluation CléA {_when(enrolment)}, {_where(enrolment)}.\n"
        + (f"Contact : {enrolment.session.contact}\n" if enrolment.session.contact else "")
        + "Votre convocation est jointe à ce message et visible dans votre espace personnel."
        + SIGNATURE
    )
    email = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [candidate.email])
    email.attach(f"convocation-{enrolment.pk}.pdf", convocation_pdf(enrolment, organisation), "application/pdf")
    return email


def send(emails: list[EmailMessage]) -> int:
    if not emails:
        return 0
    with get_connection(fail_silently=False) as connection:
        return int(connection.send_messages(emails) or 0)
