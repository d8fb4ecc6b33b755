"""Branch plugins' Django apps: installed for every tenant, migrated in each tenant schema (and the template)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import app_labels, schema_context

from clea_plugins.discovery import branch_django_apps
from clea_tenants import template

pytestmark = pytest.mark.django_db

APP = "clea_branch_btp.observations"
TENANT_APPS: tuple[str, ...] = getattr(settings, "TENANT_APPS")  # noqa: B009 - not a Django setting for django-stubs
SHARED_APPS: tuple[str, ...] = getattr(settings, "SHARED_APPS")  # noqa: B009
TABLE = "clea_branch_btp_observations_worksituationobservation"


def tables_named(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def test_branch_apps_are_tenant_apps_only() -> None:
    assert APP in branch_django_apps()
    assert APP in TENANT_APPS and APP not in SHARED_APPS
    assert APP in settings.INSTALLED_APPS


def test_the_observation_table_exists_in_every_tenant_schema_and_the_template(org_a: Any, org_b: Any) -> None:
    schemas = tables_named(TABLE)
    assert {org_a.schema_name, org_b.schema_name, template.template_schema_name()} <= schemas
    assert "public" not in schemas  # accreditation switches behaviour, not tables: tenants only


def test_the_template_fingerprint_covers_the_branch_migrations() -> None:
    """A new migration of a branch app changes the fingerprint, so the template is rebuilt before cloning."""
    assert "clea_branch_btp_observations" in app_labels(list(TENANT_APPS))
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert ("clea_branch_btp_observations", "0001_initial") in loader.disk_migrations
    assert template.template_is_current()  # the template in use was built with the branch app's migration


def test_observations_are_isolated_per_tenant(org_a: Any, org_b: Any) -> None:
    from clea_branch_btp.observations.models import WorkSituationObservation

    with schema_context(org_a.schema_name):
        observation = WorkSituationObservation.objects.create(
            file_reference="dossier-a-1",
            subdomain="7.2",
            observed_on=date(2025, 3, 4),
            site="Chantier Confluence",
            observer="Éric Évalue",
        )
        assert observation.evidence_reference.startswith("obs-btp:")
        assert WorkSituationObservation.objects.filter(file_reference="dossier-a-1").count() == 1
    with schema_context(org_b.schema_name):
        assert not WorkSituationObservation.objects.filter(file_reference="dossier-a-1").exists()
        assert not WorkSituationObservation.objects.filter(pk=observation.pk, site="Chantier Confluence").exists()
