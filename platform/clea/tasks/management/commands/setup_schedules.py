from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from clea.tasks.schedules import setup_schedules


class Command(BaseCommand):
    help = "Register the periodic tasks (R8 reminders, R8 expiry, GDPR retention) in django-celery-beat; idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        with schema_context("public"):
            for name, created in setup_schedules():
                self.stdout.write(f"{'created' if created else 'up to date'}: {name}")
