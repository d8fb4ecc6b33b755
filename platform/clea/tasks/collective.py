"""Convocations to collective sessions, and the reminder the day before (beat, every organisation)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from clea.celery import task
from clea.collective import convocation
from clea.collective.models import Enrolment
from clea.kernel.collective import Attendance, reminder_due
from clea.tasks.ledger import claim, run_once
from clea_tenants.schemas import current_schema


def _organisation_name() -> str:
    tenant = getattr(connection, "tenant", None)
    return str(getattr(tenant, "name", "") or current_schema())


@task("clea.tasks.collective.send_convocation", bind=True)
def send_convocation(self: Any, enrolment_id: int) -> int:
    """E-mail the convocation (PDF attached) once per enrolment."""
    enrolment = Enrolment.objects.select_related("session", "file__candidate").get(pk=enrolment_id)
    email = convocation.convocation_email(enrolment, _organisation_name())
    _, sent = run_once(
        f"{current_schema()}:convocation:{enrolment_id}",
        lambda: convocation.send([email] if email else []),
        task_name=self.name,
        task_id=self.request.id or "",
    )
    Enrolment.objects.filter(pk=enrolment_id, convocation_sent_at__isnull=True).update(
        convocation_sent_at=timezone.now()
    )
    return sent or 0


@task("clea.tasks.collective.send_session_reminders", bind=True)
def send_session_reminders(self: Any, today: str | None = None) -> int:
    """The day before a session, remind each convened person (once). Returns how many were reminded."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    pending = Enrolment.objects.filter(
        Q(reminder_sent_at__isnull=True),
        session__on=day + timedelta(days=1),
        attendance=Attendance.PENDING.value,
    ).select_related("session", "file__candidate")
    sent = 0
    for enrolment in pending:
        if not reminder_due(enrolment.session.on, day):
            continue
        with transaction.atomic():
            if claim(f"{current_schema()}:session-reminder:{enrolment.pk}", self.name, self.request.id or ""):
                email = convocation.convocation_email(enrolment, _organisation_name(), reminder=True)
                sent += convocation.send([email] if email else [])
            Enrolment.objects.filter(pk=enrolment.pk).update(reminder_sent_at=timezone.now())
    return sent
