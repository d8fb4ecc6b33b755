"""Backup and restore of one organisation (clea_tenants.backup): every table and file back as it was, another
organisation's changes kept, identifiers never handed out twice, the audit trail never rewound."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to

from clea.audit.models import AuditEntry
from clea_tenants.backup import EMPTIED_LABELS, KEPT_LABELS, file_fields, tenant_models
from clea_tenants.models import Organisation

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def snapshot(schema: str, rename: tuple[str, str] | None = None) -> dict[str, list[Any]]:
    """Every restorable table of ``schema``, row by row (serialised fields), in primary-key order."""
    tables: dict[str, list[Any]] = {}
    with schema_context(schema):
        for model in tenant_models():
            label = model._meta.label_lower
            if label in KEPT_LABELS | EMPTIED_LABELS:
                continue
            rows = json.loads(serializers.serialize("json", model._default_manager.order_by("pk")))
            if rename:
                names = {f.name for f in file_fields(model)}
                for row in rows:
                    for name in names:
                        row["fields"][name] = row["fields"][name].replace(*rename)
            tables[label] = rows
    return tables


def files(schema: str) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(prefix: str) -> None:
        try:
            directories, names = default_storage.listdir(prefix)
        except FileNotFoundError:
            return
        for name in names:
            with default_storage.open(f"{prefix}/{name}", "rb") as handle:
                found[f"{prefix}/{name}"[len(f"tenants/{schema}/") :]] = hashlib.sha256(handle.read()).hexdigest()
        for directory in directories:
            walk(f"{prefix}/{directory}")

    walk(f"tenants/{schema}")
    return found


def upload(client: Any, file_id: int, content: bytes = PDF) -> dict[str, Any]:
    response = client.post(f"/api/files/{file_id}/evidence/", {"content": SimpleUploadedFile("p.pdf", content)})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def test_restore_in_place_brings_every_table_and_file_back_and_touches_no_one_else(
    api_client_for: Callable[..., Any], org_a: Organisation, org_b: Organisation, tmp_path: Path
) -> None:
    alpha = api_client_for(org_a, "counsellor")
    kept = walk_to(alpha, "file_opened")
    upload(alpha, kept["id"])
    changed = walk_to(alpha, "file_opened")
    removed = upload(alpha, changed["id"], PDF + b"% second\n")
    archive = tmp_path / "alpha.zip"
    call_command("export_organisation", org_a.slug, str(archive))
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        assert len(manifest["files"]) == 2 and all(f"files/{name}" in zipped.namelist() for name in manifest["files"])
    before_tables, before_files = snapshot(org_a.schema_name), files(org_a.schema_name)
    assert len(before_files) == 2
    with schema_context(org_a.schema_name):
        audit_before = AuditEntry.objects.count()

    # meanwhile: A changes (a file evaluated further, evidence deleted, a new file with evidence) ...
    from clea.journey.models import CandidateFileRecord, DecisionRecord, Evidence

    added = walk_to(alpha, "evaluated")
    upload(alpha, added["id"], PDF + b"% third\n")
    with schema_context(org_a.schema_name):
        gone = Evidence.objects.get(uid=removed["uid"])
        default_storage.delete(str(gone.content.name))
        gone.delete()
        newest_id = CandidateFileRecord.objects.order_by("-pk").values_list("pk", flat=True)[0]
        # the ledger and the public facts know decisions by id: e.g. "<schema>:notify:decision:<id>"
        newest_decision = DecisionRecord.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert snapshot(org_a.schema_name) != before_tables
    # ... and so does B
    beta = api_client_for(org_b, "counsellor")
    beta_file = walk_to(beta, "file_opened", modality="proprete")
    upload(beta, beta_file["id"])
    beta_tables, beta_files = snapshot(org_b.schema_name), files(org_b.schema_name)

    call_command("restore_organisation", str(archive))

    assert snapshot(org_a.schema_name) == before_tables  # every table, row for row
    assert files(org_a.schema_name) == before_files  # every file: the deleted one back, the new one gone
    assert snapshot(org_b.schema_name) == beta_tables and files(org_b.schema_name) == beta_files
    with schema_context(org_a.schema_name):
        entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) > audit_before and entries[-1].action == "organisation.restored"  # never rewound

    # identifiers handed out before the restore are never handed out again (public facts, task ledger)
    after = walk_to(api_client_for(org_a, "counsellor"), "evaluated")
    assert after["id"] > newest_id
    with schema_context(org_a.schema_name):
        new_decisions = DecisionRecord.objects.filter(file_id=after["id"])
        assert new_decisions.exists() and min(new_decisions.values_list("pk", flat=True)) > newest_decision


def test_restore_beside_under_another_name_for_inspection(
    api_client_for: Callable[..., Any], org_a: Organisation, tmp_path: Path
) -> None:
    alpha = api_client_for(org_a, "counsellor")
    record = walk_to(alpha, "file_opened")
    upload(alpha, record["id"])
    archive = tmp_path / "alpha.zip"
    call_command("export_organisation", org_a.slug, str(archive))
    expected_tables = snapshot(org_a.schema_name, rename=(f"tenants/{org_a.schema_name}/", "tenants/org_alpha_check/"))
    expected_files = files(org_a.schema_name)
    live = snapshot(org_a.schema_name)

    call_command("restore_organisation", str(archive), "--beside", "org_alpha_check")

    assert snapshot("org_alpha_check") == expected_tables
    # the new schema's sequences start past the restored rows: its next insert never collides
    with schema_context("org_alpha_check"), connection.cursor() as cursor:
        checked = 0
        for model in tenant_models():
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            if sequence is None:
                continue
            cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
            highest = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last_value, is_called = cursor.fetchone()
            assert (last_value if is_called else last_value - 1) >= highest, table
            checked += highest > 0
        assert checked >= 3
    assert files("org_alpha_check") == expected_files
    assert snapshot(org_a.schema_name) == live  # the organisation itself untouched
    assert not Organisation.objects.filter(schema_name="org_alpha_check").exists()  # not served to anyone
    with pytest.raises(CommandError, match="already exists"):
        call_command("restore_organisation", str(archive), "--beside", "org_alpha_check")


def test_a_damaged_or_foreign_archive_is_refused_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such archive"):
        call_command("restore_organisation", str(tmp_path / "absent.zip"))
    bogus = tmp_path / "bogus.zip"
    with zipfile.ZipFile(bogus, "w") as zipped:
        zipped.writestr("something.txt", "x")
    with pytest.raises(CommandError, match=r"manifest\.json is missing"):
        call_command("restore_organisation", str(bogus))
