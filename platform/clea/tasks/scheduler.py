"""Celery beat scheduler: django-celery-beat's database schedules, made tenant-aware.

Every schedule is a ``PeriodicTask`` row in the public schema (one row, however many organisations). A row
whose headers hold ``{"_all_tenants_only": true}`` is sent once per *active* organisation, inside its
schema (tenant-schemas-celery puts the schema in the headers); any other row runs in the public schema.

    celery -A clea.celery beat -S clea.tasks.scheduler:CleaDatabaseScheduler
"""

from __future__ import annotations

from typing import Any

from celery.beat import ScheduleEntry
from django.db.models import QuerySet
from django_tenants.utils import schema_context
from tenant_schemas_celery.db_scheduler import TenantAwareDatabaseScheduler

from clea_tenants.models import Organisation, OrganisationStatus


class CleaDatabaseScheduler(TenantAwareDatabaseScheduler):  # type: ignore[misc]
    @classmethod
    def get_queryset(cls) -> QuerySet[Organisation]:
        """Organisations a fanned-out schedule runs for: suspended (read-only) ones are left alone."""
        active: QuerySet[Organisation] = Organisation.objects.filter(status=OrganisationStatus.ACTIVE)
        return active

    def get_tenant_schema_names(self, exclude_schemas: list[str]) -> list[str]:
        """Schedules are read from the public schema only (tenant schemas have no schedule tables)."""
        return []

    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        headers = entry.options.setdefault("headers", {})
        if headers.get("_all_tenants_only"):
            super().apply_entry(entry, producer=producer)
            return
        with schema_context("public"):
            self.apply_async(entry, producer=producer, advance=False)
