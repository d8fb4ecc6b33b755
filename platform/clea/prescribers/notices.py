"""What the prescriber is told (portal notification and e-mail), and the invitation e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from clea.certification.links import verification_url
from clea.kernel.prescribers import Stage
from clea.prescribers.models import Invitation, Notification, Referral

SIGNATURE = "\n\n— La plateforme CléA (message automatique, merci de ne pas y répondre)"


def federation_url(path: str) -> str:
    base = settings.CLEA_FEDERATION_URL or f"https://{settings.CLEA_BASE_DOMAIN}"
    return base + path


def send(to: list[str], subject: str, body: str) -> int:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    with get_connection(fail_silently=False) as connection:
        return int(
            connection.send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)]) or 0
        )


def invitation_mail(invitation: Invitation) -> int:
    link = federation_url(f"/prescripteur/invitation/{invitation.token}/")
    body = (
        "Bonjour,\n\nVous êtes invité(e) à rejoindre l'espace prescripteur CléA de "
        f"« {invitation.organisation.name} ».\n"
        f"Choisissez votre mot de passe ici : {link}{SIGNATURE}"
    )
    return send([invitation.email], "Votre accès à l'espace prescripteur CléA", body)


def result_text(referral: Referral) -> tuple[str, str]:
    """(text, link) of the notification for the referral's current stage."""
    name = referral.full_name
    organisation = referral.organisation.name
    if referral.stage == Stage.DECLINED:
        return (f"{organisation} a décliné l'orientation de {name} : {referral.decline_reason}", "")
    if referral.stage == Stage.CERTIFIED and referral.certificate_number:
        return (
            f"{name} a obtenu le certificat CléA (n° {referral.certificate_number}).",
            verification_url(referral.certificate_number),
        )
    link = (
        federation_url(f"/prescripteur/orientations/{referral.pk}/attestation.pdf") if referral.attestation_pdf else ""
    )
    label = "n'a pas été certifié(e) par le jury" if referral.stage == Stage.NOT_CERTIFIED else "a quitté le dispositif"
    return (f"{name} {label} ; une attestation des compétences acquises est disponible.", link)


def notify_result(referral_id: int) -> int:
    """Portal notification + e-mail to the prescriber who referred (and the organisation's contact). Nothing
    once the person withdrew consent (except a declined referral, which holds no result)."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_related("prescriber", "organisation", "created_by")
            .select_for_update(of=("self",))
            .get(pk=referral_id)
        )
        if referral.stage != Stage.DECLINED and not referral.is_shared:
            return 0
        text, link = result_text(referral)
        Notification.objects.create(prescriber=referral.prescriber, referral=referral, text=text, link=link)
        referral.result_sent_at = timezone.now()
        referral.save(update_fields=["result_sent_at"])
    page = federation_url(f"/prescripteur/orientations/{referral.pk}/")
    body = f"Bonjour,\n\n{text}\n" + (f"Lien : {link}\n" if link else "") + f"Détail : {page}{SIGNATURE}"
    recipients = [referral.created_by.email if referral.created_by else "", referral.prescriber.contact_email]
    return send(recipients, f"CléA — {referral.full_name} : {Stage(referral.stage).label_fr}", body)
