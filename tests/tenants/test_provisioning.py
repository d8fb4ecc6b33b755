"""Provisioning: template clone, all tenant tables, atomicity, API front door."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import app_labels, schema_context
from tests.fixtures.tenants import ADMIN_PASSWORD, luhn_siret

from clea_tenants.models import Domain, Organisation, ProvisioningJob
from clea_tenants.provisioning import provision_organisation, run_provisioning_job
from clea_tenants.template import template_schema_name

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def _migrations(schema: str) -> list[tuple[str, str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name, applied FROM "{schema}".django_migrations ORDER BY app, name')
        return list(cursor.fetchall())


def _expected_tenant_tables() -> set[str]:
    tables = {"django_migrations"}
    for label in app_labels(list(settings.TENANT_APPS)):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return tables


def _input(slug: str, **overrides: str) -> dict[str, str]:
    data = {
        "name": f"Organisme {slug}",
        "slug": slug,
        "siret": luhn_siret("4444444400001"),
        "region": "84",
        "contact_email": f"contact@{slug}.example",
        "admin_email": f"admin@{slug}.example",
        "admin_password": ADMIN_PASSWORD,
    }
    return {**data, **overrides}


def test_schema_holds_every_tenant_table(org_a: Organisation) -> None:
    assert _expected_tenant_tables() <= _tables(org_a.schema_name)
    assert "clea_tenants_organisation" not in _tables(org_a.schema_name)  # shared-only stays public


def test_schema_is_a_clone_of_the_template(org_a: Organisation) -> None:
    # Cloned rows keep the template's `applied` timestamps: no migration was replayed or faked.
    assert _migrations(org_a.schema_name) == _migrations(template_schema_name())


def test_admin_user_domain_and_role_groups(org_a: Organisation) -> None:
    assert Domain.objects.get(tenant=org_a, is_primary=True).domain == f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}"
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    with schema_context(org_a.schema_name):
        admin: Any = get_user_model().objects.get(username=f"admin@{org_a.slug}.example")
        assert admin.role == "admin" and admin.check_password(ADMIN_PASSWORD)
        assert set(Group.objects.values_list("name", flat=True)) == {"admin", "counsellor", "trainer", "candidate"}
        assert list(admin.groups.values_list("name", flat=True)) == ["admin"]


def test_duplicate_slug_and_bad_siret_are_refused_with_field_messages(org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        provision_organisation(**_input(org_a.slug, siret="12345678901234"))
    assert set(caught.value.message_dict) == {"slug", "siret"}


@pytest.mark.usefixtures("tenant_template")
def test_failure_after_schema_creation_leaves_nothing(db: None, org_a: Organisation) -> None:
    # The primary domain of "gamma" is already taken: the failure comes after the clone.
    Domain.objects.create(domain=f"gamma.{settings.CLEA_BASE_DOMAIN}", tenant=org_a, is_primary=False)
    schemas_before = _schemas()
    with pytest.raises(ValidationError):
        provision_organisation(**_input("gamma"))
    assert not Organisation.objects.filter(slug="gamma").exists()
    assert _schemas() == schemas_before


def test_api_provisioning_answers_202_then_ready(federation_client: Any) -> None:
    response = federation_client.post("/api/federation/organisations/", _input("delta"), format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] in ("pending", "ready")  # "pending" once a worker runs the job (on commit)
    assert body["status_url"].endswith("/api/federation/organisations/delta/status/")
    assert "admin_password" not in body
    if body["status"] == "pending":
        run_provisioning_job(ProvisioningJob.objects.get(slug="delta").pk)  # what the worker does
    status = federation_client.get("/api/federation/organisations/delta/status/")
    assert status.status_code == 200 and status.json()["organisation"]["slug"] == "delta"
    assert ProvisioningJob.objects.get(slug="delta").admin_password_hash == ""
    assert "accounts_user" in _tables("org_delta")


def test_api_refuses_bad_input_with_field_messages_and_writes_nothing(
    federation_client: Any, org_a: Organisation
) -> None:
    schemas_before = _schemas()
    response = federation_client.post(
        "/api/federation/organisations/", _input(org_a.slug, siret="12345678901235", region="99"), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and body["rule"] is None
    assert {"siret", "region"} <= set(body["fields"])
    assert all(isinstance(m, str) for messages in body["fields"].values() for m in messages)
    response = federation_client.post("/api/federation/organisations/", _input(org_a.slug), format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"slug"}
    assert not ProvisioningJob.objects.exists()
    assert _schemas() == schemas_before


def test_only_federation_admins_may_provision(api_client_for: Any) -> None:
    analyst = api_client_for(None, "analyst")
    response = analyst.post("/api/federation/organisations/", _input("epsilon"), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
