"""The platform's periodic tasks, registered idempotently in django-celery-beat's tables.

    python manage.py setup_schedules        # creates or updates; run at every deployment

To add one, append a :class:`Schedule` to :data:`SCHEDULES`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    hour: int | str  # crontab fields: a number, or "*" / "*/5"
    minute: int | str
    all_tenants: bool
    description: str


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        "clea: R8 reminders",
        "clea.tasks.reminders.send_due_reminders",
        hour=6,
        minute=0,
        all_tenants=True,
        description="R8 : rappels avant l'échéance de 5 ans, chaque jour, dans chaque organisme actif.",
    ),
    Schedule(
        "clea: R8 expiry",
        "clea.tasks.reminders.expire_overdue_files",
        hour=5,
        minute=30,
        all_tenants=True,
        description="R8 : dossiers dont le délai de 5 ans est dépassé, chaque jour, dans chaque organisme actif.",
    ),
    Schedule(
        "clea: GDPR retention",
        "clea.tasks.retention.purge_expired_data",
        hour=3,
        minute=15,
        all_tenants=True,
        description="RGPD : effacement des données au-delà des durées de conservation de chaque organisme actif.",
    ),
    Schedule(
        "clea: audit anchors",
        "clea.tasks.audit.anchor_audit_trail",
        hour="*",
        minute=7,
        all_tenants=True,
        description="Ancre chaque heure la tête du journal d'audit de chaque organisme dans celui de la fédération.",
    ),
    Schedule(
        "clea: collective session reminders",
        "clea.tasks.collective.send_session_reminders",
        hour=9,
        minute=0,
        all_tenants=True,
        description="Rappel, la veille, aux personnes convoquées à une séance collective d'évaluation (issue 13).",
    ),
    Schedule(
        "clea: outbox relay",
        "clea.tasks.outbox.relay_outbox",
        hour="*",
        minute="*",
        all_tenants=False,
        description="Envoie les suites restées en attente (faits, e-mails, documents) après une panne du courtier.",
    ),
    Schedule(
        "clea: spare schemas",
        "clea.tasks.provisioning.refill_spare_schemas",
        hour="*",
        minute="*/10",
        all_tenants=False,
        description="Garde prêts des schémas d'organisme clonés d'avance (création en un renommage).",
    ),
    Schedule(
        "clea: accreditation reminders",
        "clea.tasks.register.send_habilitation_reminders",
        hour=6,
        minute=20,
        all_tenants=False,
        description="R14 : rappels avant l'échéance d'une habilitation ou du certificat Qualiopi.",
    ),
    Schedule(
        "clea: referral reminders",
        "clea.tasks.prescribers.remind_pending_referrals",
        hour=7,
        minute=10,
        all_tenants=True,
        description="Orientations : rappel aux conseillers des orientations sans réponse après N jours.",
    ),
    Schedule(
        "clea: CPF monthly batch",
        "clea.ecosystem.tasks.prepare_monthly_cpf_batch",
        hour=4,
        minute=45,
        all_tenants=False,
        description="CPF : prépare le lot « accrochage » des certificats du mois précédent (une fois par mois).",
    ),
    Schedule(
        "clea: inactivity reminders",
        "clea.tasks.inactivity.remind_inactive_files",
        hour=7,
        minute=40,
        all_tenants=True,
        description="Issue 13 : rappel aux conseillers des dossiers sans activité (60, 165, 180 jours par défaut).",
    ),
)


def setup_schedules(schedules: tuple[Schedule, ...] = SCHEDULES) -> list[tuple[str, bool]]:
    """Create or update every schedule; returns ``(name, created)`` pairs. Running it twice changes nothing."""
    done: list[tuple[str, bool]] = []
    with transaction.atomic():
        for schedule in schedules:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=str(schedule.minute),
                hour=str(schedule.hour),
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            headers = {"_all_tenants_only": True} if schedule.all_tenants else {}
            _, created = PeriodicTask.objects.update_or_create(
                name=schedule.name,
                defaults={
                    "task": schedule.task,
                    "crontab": crontab,
                    "interval": None,
                    "headers": json.dumps(headers),
                    "description": schedule.description,
                    "enabled": True,
                },
            )
            done.append((schedule.name, created))
    return done
