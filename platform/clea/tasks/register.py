"""The register's daily reminders (public schema): accreditation and Qualiopi expiries (clea.register.reminders)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from clea.celery import task
from clea.register.reminders import due_reminders, expire_overdue


@task("clea.tasks.register.send_habilitation_reminders", bind=True)
def send_habilitation_reminders(self: Any, today: str | None = None) -> int:
    """Send the reminders due today (each once, recorded on its habilitation). Returns how many."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    expire_overdue(day)  # ended windows and Qualiopi certificates: expired, their files in progress listed
    reminders = due_reminders(day)
    for reminder in reminders:
        send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, list(reminder.recipients))
    return len(reminders)
