"""Backup and restore of one organisation: its schema's rows and its stored files, nothing of anyone else.

    manage.py export_organisation <slug> backup.zip                  # rows (JSON per table) + files + sequences
    manage.py restore_organisation backup.zip                        # in place: the organisation as it was
    manage.py restore_organisation backup.zip --beside org_x_check   # into a new schema, for inspection

The archive is the organisation export (``clea_tenants.export``): ``data/<model>.json`` (Django fixtures),
``files/<storage name>`` (every file a row refers to, read through the storage API: local or S3), and
``manifest.json`` (schema, migration fingerprint, each table's row count, each file's SHA-256, the sequences).

**Identifiers never repeat.** The public schema keeps facts and the task ledger keyed by schema and row id
(e.g. ``org_x:decision:42``). A plain ``pg_restore`` rewinds the schema's sequences, so the next decision would
reuse id 42 and its e-mail and attestation would be skipped as "already done". A restore here sets every
sequence of the schema to the larger of its live value and the restored rows' maximum: an id handed out
before the restore is never handed out again.

**What is not rewound.** The audit trail (append-only, anchored in the federation's trail) keeps every entry
and gains one saying what was restored; sessions and API tokens are emptied (people sign in again). Nothing
outside the organisation's schema and its ``tenants/<schema>/`` files is touched.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import Model
from django_tenants.utils import app_labels, schema_context, schema_exists

from clea.audit import trail
from clea_tenants.cloning import quote_ident
from clea_tenants.template import clone_template, migration_fingerprint

#: Tables a restore leaves as they are (the audit trail is never rewound).
KEPT_LABELS = frozenset({"audit.auditentry"})
#: Tables a restore empties without refilling (credentials of live sessions).
EMPTIED_LABELS = frozenset({"sessions.session", "authtoken.token"})


class RestoreError(Exception):
    """The archive cannot be restored here (one readable line)."""


@dataclass(frozen=True)
class RestoreReport:
    schema: str
    rows: dict[str, int]
    files: int
    sequences: dict[str, int]


def tenant_models() -> list[type[Model]]:
    """Concrete models stored in tenant schemas."""
    labels = app_labels(list(settings.TENANT_APPS))
    return [
        model
        for label in labels
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy
    ]


def file_fields(model: type[Model]) -> list[models.FileField]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def stored_names(model: type[Model]) -> Iterator[str]:
    """Every storage name the model's rows refer to (current schema)."""
    for field in file_fields(model):
        for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
            if name:
                yield str(name)


def sequences() -> dict[str, int]:
    """``{sequence: last value}`` of the current schema (0 when never used)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, COALESCE(last_value, 0) FROM pg_sequences WHERE schemaname = current_schema()"
        )
        return {str(name): int(value) for name, value in cursor.fetchall()}


def write_files(archive: zipfile.ZipFile, models_: list[type[Model]]) -> dict[str, str]:
    """Copy every referenced file into the archive; ``{name: sha256}``."""
    digests: dict[str, str] = {}
    for model in models_:
        for name in stored_names(model):
            if name in digests:
                continue
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            archive.writestr(f"files/{name}", data)
            digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except KeyError:
        raise RestoreError("not an organisation archive: manifest.json is missing") from None
    if "files" not in manifest or "sequences" not in manifest:
        raise RestoreError("this archive holds no files or sequences: export it again with this version")
    return manifest


def _renamed(name: str, old_schema: str, new_schema: str) -> str:
    prefix = f"tenants/{old_schema}/"
    return f"tenants/{new_schema}/{name[len(prefix) :]}" if name.startswith(prefix) else name


def _empty_tables(labels: list[str]) -> None:
    tables = [quote_ident(apps.get_model(label)._meta.db_table) for label in labels]
    if tables:
        with connection.cursor() as cursor:
            # Checks deferred by earlier statements of the transaction first (TRUNCATE refuses pending ones),
            # then deferred again: the restored rows may come in any order, checked at commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _restore_files(archive: zipfile.ZipFile, manifest: dict[str, Any], schema: str) -> int:
    """Write the archive's files under ``tenants/<schema>/``; remove that prefix's files the archive lacks."""
    old_schema = manifest["schema"]
    wanted: set[str] = set()
    for name, digest in manifest["files"].items():
        data = archive.read(f"files/{name}")
        if hashlib.sha256(data).hexdigest() != digest:
            raise RestoreError(f"file {name} in the archive does not match its checksum")
        target = _renamed(name, old_schema, schema)
        wanted.add(target)
        if default_storage.exists(target):
            with default_storage.open(target, "rb") as handle:
                if hashlib.sha256(handle.read()).hexdigest() == digest:
                    continue
            default_storage.delete(target)
        saved = default_storage.save(target, ContentFile(data))
        if saved != target:
            raise RestoreError(f"storage saved {target} as {saved}")
    for existing in _walk(f"tenants/{schema}"):
        if existing not in wanted:
            default_storage.delete(existing)
    return len(wanted)


def _walk(prefix: str) -> Iterator[str]:
    try:
        directories, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{prefix}/{name}"
    for directory in directories:
        yield from _walk(f"{prefix}/{directory}")


def restore_organisation(path: Path, *, beside: str = "") -> RestoreReport:
    """Restore the archive into its organisation's schema, or (``beside``) into a new schema of that name."""
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        if manifest.get("migration_fingerprint") != migration_fingerprint():
            raise RestoreError(
                "the archive was made with other migrations: restore it with the release that made it, then upgrade"
            )
        schema = beside or manifest["schema"]
        if beside:
            if schema_exists(beside):
                raise RestoreError(f"schema {beside} already exists: choose another name")
            _create_schema(beside)
        elif not schema_exists(schema):
            raise RestoreError(f"schema {schema} does not exist: provision the organisation first, or use --beside")
        labels = [m._meta.label_lower for m in tenant_models()]
        restored_labels = [label for label in manifest["models"] if label not in KEPT_LABELS]
        rows: dict[str, int] = {}
        with schema_context(schema), transaction.atomic():
            live = sequences()
            _empty_tables([label for label in labels if label not in KEPT_LABELS])
            for label in restored_labels:
                text = archive.read(f"data/{label}.json").decode("utf-8")
                objects = list(serializers.deserialize("json", text, ignorenonexistent=True))
                for item in objects:
                    if beside:
                        for field in file_fields(type(item.object)):
                            value = getattr(item.object, field.attname)
                            if value:
                                setattr(item.object, field.attname, _renamed(str(value), manifest["schema"], schema))
                    item.save()
                rows[label] = len(objects)
                if rows[label] != manifest["counts"][label]:
                    raise RestoreError(
                        f"{label}: {rows[label]} rows read, the manifest says {manifest['counts'][label]}"
                    )
            final = _reconcile_sequences(live, manifest["sequences"])
            files = _restore_files(archive, manifest, schema)
            trail.append(
                "organisation.restored",
                actor_ref="system:restore_organisation",
                actor_role="",
                object_ref=f"schema:{schema}",
                detail={"archive_exported_at": manifest["exported_at"], "from_schema": manifest["schema"]},
            )
    return RestoreReport(schema=schema, rows=rows, files=files, sequences=final)


def _reconcile_sequences(live: dict[str, int], archived: dict[str, int]) -> dict[str, int]:
    """Every sequence moves to max(live value, archived value, restored rows' max): no id is handed out twice."""
    final: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.relname, t.relname, a.attname
            FROM pg_class s
            JOIN pg_namespace n ON n.oid = s.relnamespace AND n.nspname = current_schema()
            JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
            JOIN pg_class t ON t.oid = d.refobjid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE s.relkind = 'S'
            """
        )
        owned = cursor.fetchall()
        for sequence, table, column in owned:
            cursor.execute(f"SELECT COALESCE(MAX({quote_ident(column)}), 0) FROM {quote_ident(table)}")
            restored_max = int(cursor.fetchone()[0])
            value = max(live.get(sequence, 0), archived.get(sequence, 0), restored_max)
            if value > 0:
                cursor.execute("SELECT setval(%s::regclass, %s, true)", [quote_ident(sequence), value])
            final[sequence] = value
    return final


def _create_schema(name: str) -> None:
    """A new schema with the tenant tables, cloned from the template as provisioning does."""
    if not clone_template(name):
        raise RestoreError("the tenant template is missing or behind: run prepare_tenant_template first")


def archive_summary(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return read_manifest(archive)


def export_extras(archive: zipfile.ZipFile, models_: list[type[Model]]) -> dict[str, Any]:
    """What the export adds for a restore: files, row counts and sequences (current schema)."""
    counts = {m._meta.label_lower: m._default_manager.count() for m in models_}
    return {"files": write_files(archive, models_), "counts": counts, "sequences": sequences()}
