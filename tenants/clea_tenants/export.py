"""Full export of one organisation: every tenant table, as Django JSON fixtures, and every stored file, in a zip.

Credentials that only make sense live (sessions, API tokens) are left out and listed as such
in ``manifest.json``; everything else (users with password hashes, groups, domain tables) is in, with the
files the rows refer to (``files/``), each table's row count and the schema's sequences: the archive is also
a backup, restored by ``manage.py restore_organisation`` (``clea_tenants.backup``).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from clea_tenants.backup import export_extras, tenant_models
from clea_tenants.models import Organisation
from clea_tenants.template import migration_fingerprint

EXCLUDED_MODELS = {
    "sessions.session": "live session keys (credentials)",
    "authtoken.token": "API tokens (credentials)",
}


def export_organisation(organisation: Organisation, destination: Path) -> Path:
    """Write the zip and record ``last_export_at``. Returns the path written."""
    exported: list[str] = []
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with schema_context(organisation.schema_name), transaction.atomic():
            included = [m for m in tenant_models() if m._meta.label_lower not in EXCLUDED_MODELS]
            for model in included:
                label = model._meta.label_lower
                buffer = io.StringIO()
                call_command("dumpdata", label, format="json", indent=1, stdout=buffer)
                archive.writestr(f"data/{label}.json", buffer.getvalue())
                exported.append(label)
            extras = export_extras(archive, included)
        now = timezone.now()
        manifest = {
            "organisation": {"slug": organisation.slug, "name": organisation.name, "siret": organisation.siret},
            "schema": organisation.schema_name,
            "exported_at": now.isoformat(),
            "migration_fingerprint": migration_fingerprint(),
            "models": exported,
            "excluded": EXCLUDED_MODELS,
            **extras,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    Organisation.objects.filter(pk=organisation.pk).update(last_export_at=now)
    organisation.last_export_at = now
    return destination


__all__ = ["EXCLUDED_MODELS", "export_organisation", "tenant_models"]
