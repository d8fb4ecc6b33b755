"""Suspension (read-only), export and deletion of an organisation."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from tests.fixtures.tenants import ADMIN_PASSWORD, luhn_siret

from clea_tenants.models import Organisation

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_suspended_tenant_is_read_only(federation_client: Any, api_client_for: Any, org_a: Organisation) -> None:
    tenant_client = api_client_for(org_a, "admin")
    assert tenant_client.post("/api/me/").status_code == 405  # writable: reaches the view
    response = federation_client.post(f"/api/federation/organisations/{org_a.slug}/suspend/")
    assert response.status_code == 200 and response.json()["status"] == "suspended"

    refused = tenant_client.post("/api/me/")
    assert refused.status_code == 423
    body = refused.json()
    assert body["code"] == "tenant_suspended" and "suspendu" in body["detail"] and "suspended" in body["detail"]
    assert tenant_client.delete("/api/me/").status_code == 423
    assert tenant_client.get("/api/me/").status_code == 200  # reads still work

    federation_client.post(f"/api/federation/organisations/{org_a.slug}/reactivate/")
    assert tenant_client.post("/api/me/").status_code == 405


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def test_deletion_refused_until_exported(federation_client: Any, tmp_path: Path) -> None:
    from clea_tenants.provisioning import provision_organisation

    organisation = provision_organisation(
        name="À supprimer",
        slug="doomed",
        siret=luhn_siret("5555555500001"),
        region="53",
        contact_email="c@doomed.example",
        admin_email="admin@doomed.example",
        admin_password=ADMIN_PASSWORD,
    )
    refused = federation_client.delete("/api/federation/organisations/doomed/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "export_required_conflict"
    assert _schema_exists(organisation.schema_name)

    archive_path = tmp_path / "doomed.zip"
    call_command("export_organisation", "doomed", str(archive_path))
    with zipfile.ZipFile(archive_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        users = json.loads(archive.read("data/accounts.user.json"))
    assert manifest["schema"] == "org_doomed" and "accounts.user" in manifest["models"]
    assert [u["fields"]["username"] for u in users] == ["admin@doomed.example"]
    assert "data/authtoken.token.json" not in manifest["models"]

    assert federation_client.delete("/api/federation/organisations/doomed/").status_code == 204
    assert not Organisation.objects.filter(slug="doomed").exists()
    assert not _schema_exists(organisation.schema_name)


def test_accreditation_changes_bump_the_version(org_a: Organisation) -> None:
    from django.utils import timezone

    from clea_tenants.models import Accreditation, Branch

    branch = Branch.objects.create(code="essai", name="Branche d'essai", plugin_name="essai")
    before = Organisation.objects.get(pk=org_a.pk).accreditation_version
    accreditation = Accreditation.objects.create(organisation=org_a, branch=branch, granted_at=timezone.now())
    accreditation.revoked_at = timezone.now()
    accreditation.save()
    assert Organisation.objects.get(pk=org_a.pk).accreditation_version == before + 2
