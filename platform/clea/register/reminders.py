"""Reminders before an accreditation or its Qualiopi certificate expires (daily beat task, public schema).

:func:`due_reminders` finds, for every habilitation in force, what ends within one of :data:`REMINDER_DAYS`
(90 and 30 days), and records each reminder once on the habilitation (``reminders_sent``). The e-mails go to
the organisation's contact address and to the federation (:data:`FEDERATION_EMAIL` setting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from clea.audit.trail import append
from clea.kernel import accreditation as kernel
from clea.register import services
from clea_tenants.habilitations import kernel_habilitation
from clea_tenants.models import Habilitation, HabilitationStatus

REMINDER_DAYS = (90, 30)
WHAT_FR = {"accreditation": "l'habilitation", "qualiopi": "le certificat Qualiopi"}


@dataclass(frozen=True)
class Reminder:
    habilitation_id: int
    what: str  # "accreditation" | "qualiopi"
    ends_on: date
    within_days: int
    recipients: tuple[str, ...]
    subject: str
    body: str


def federation_email() -> str:
    return str(getattr(settings, "CLEA_FEDERATION_EMAIL", "") or "habilitations@clea.example")


def due_reminders(today: date) -> list[Reminder]:
    """The reminders due today, each recorded as sent (call inside the sending task; idempotent per day)."""
    reminders: list[Reminder] = []
    with transaction.atomic():
        rows = (
            Habilitation.objects.select_for_update(of=("self",))
            .filter(status=HabilitationStatus.GRANTED)
            .select_related("establishment__organisation")
            .prefetch_related("events")
        )
        for habilitation in rows:
            value = kernel_habilitation(habilitation)
            sent = set(habilitation.reminders_sent)
            for what, ends_on in kernel.expiring(value, today, max(REMINDER_DAYS)):
                remaining = (ends_on - today).days
                days = min(d for d in REMINDER_DAYS if remaining <= d)  # the closest reminder due
                key = f"{what}:{ends_on.isoformat()}:{days}"
                if key in sent:
                    continue
                sent |= {f"{what}:{ends_on.isoformat()}:{d}" for d in REMINDER_DAYS if d >= days}
                reminders.append(_reminder(habilitation, what, ends_on, days))
            if sent != set(habilitation.reminders_sent):
                habilitation.reminders_sent = sorted(sent)
                habilitation.save(update_fields=["reminders_sent"])
        for reminder in reminders:
            append(
                "register.habilitation.reminder",
                actor_ref="system:register-reminders",
                actor_role="system",
                object_ref=f"habilitation:{reminder.habilitation_id}",
                detail={"what": reminder.what, "ends_on": reminder.ends_on.isoformat(), "days": reminder.within_days},
            )
    return reminders


def _reminder(habilitation: Habilitation, what: str, ends_on: date, days: int) -> Reminder:
    establishment = habilitation.establishment
    organisation = establishment.organisation
    label = WHAT_FR[what]
    subject = f"CléA : {label} de {establishment.name} expire le {ends_on:%d/%m/%Y}"
    body = (
        f"Bonjour,\n\n{label.capitalize()} de l'établissement {establishment.name} (SIRET {establishment.siret}) "
        f"de l'organisme {organisation.name} expire le {ends_on:%d/%m/%Y}.\n"
        "Après cette date, aucune évaluation préalable ou finale ne pourra y être enregistrée (règle R14). "
        "Pensez à demander son renouvellement à la fédération.\n\nLa fédération CléA"
    )
    recipients = tuple(r for r in (organisation.contact_email, federation_email()) if r)
    return Reminder(int(habilitation.pk), what, ends_on, days, recipients, subject, body)


def expire_overdue(today: date) -> list[int]:
    """Granted habilitations whose window or Qualiopi certificate ended before ``today`` become ``expired``
    (a system decision effective the day after the end), so their files in progress reach the worklist."""
    overdue = Habilitation.objects.filter(status=HabilitationStatus.GRANTED).filter(
        Q(valid_to__lt=today) | Q(qualiopi_expires_on__lt=today)
    )
    expired: list[int] = []
    for habilitation in overdue.select_related("establishment__organisation", "branch"):
        ends = min(d for d in (habilitation.valid_to, habilitation.qualiopi_expires_on) if d is not None)
        what = "le certificat Qualiopi" if ends != habilitation.valid_to else "la période de validité"
        services.decide(
            habilitation,
            kernel.Status.EXPIRED.value,
            f"Échéance atteinte : {what} a pris fin le {ends:%d/%m/%Y}.",
            None,
            ends + timedelta(days=1),
        )
        expired.append(int(habilitation.pk))
    return expired
