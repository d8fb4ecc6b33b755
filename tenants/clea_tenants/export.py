"""Full export of one organisation: every tenant table, as Django JSON fixtures, in a zip.

Credentials that only make sense live (sessions, API tokens) are left out and listed as such
in ``manifest.json``; everything else (users with password hashes, groups, domain tables) is in.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone
from django_tenants.utils import app_labels, schema_context

from clea_tenants.models import Organisation
from clea_tenants.template import migration_fingerprint

EXCLUDED_MODELS = {
    "sessions.session": "live session keys (credentials)",
    "authtoken.token": "API tokens (credentials)",
}


def tenant_models() -> list[type[Model]]:
    """Concrete models stored in tenant schemas."""
    labels = app_labels(list(settings.TENANT_APPS))
    return [
        model
        for label in labels
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy
    ]


def export_organisation(organisation: Organisation, destination: Path) -> Path:
    """Write the zip and record ``last_export_at``. Returns the path written."""
    exported: list[str] = []
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with schema_context(organisation.schema_name):
            for model in tenant_models():
                label = model._meta.label_lower
                if label in EXCLUDED_MODELS:
                    continue
                buffer = io.StringIO()
                call_command("dumpdata", label, format="json", indent=1, stdout=buffer)
                archive.writestr(f"data/{label}.json", buffer.getvalue())
                exported.append(label)
        now = timezone.now()
        manifest = {
            "organisation": {"slug": organisation.slug, "name": organisation.name, "siret": organisation.siret},
            "schema": organisation.schema_name,
            "exported_at": now.isoformat(),
            "migration_fingerprint": migration_fingerprint(),
            "models": exported,
            "excluded": EXCLUDED_MODELS,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    Organisation.objects.filter(pk=organisation.pk).update(last_export_at=now)
    organisation.last_export_at = now
    return destination
