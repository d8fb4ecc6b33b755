"""The tenant template schema (``TENANT_BASE_SCHEMA``) that new organisations are cloned from.

Replaying every migration for each new organisation is slow and grows with the project; instead
the template schema is migrated once, and each new organisation is a copy of it (tables,
sequences, constraints, indexes, triggers *and* rows: ``django_migrations``, content types,
permissions, role groups), followed by no migration work at all. The copy is a SQL script derived
once from the template's catalogue (``clea_tenants.cloning``), run in one round trip; django-tenants'
``clone_schema()`` remains the fallback.

The template carries a fingerprint of the migrations on disk (as a ``COMMENT ON SCHEMA``).
``prepare_tenant_template()`` rebuilds it when the fingerprint differs: it migrates a fresh
build schema, then swaps it in under an advisory lock, so a clone never sees a half-built template.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context

from clea.accounts.roles import TENANT_ROLES, ensure_role_groups
from clea_tenants import cloning
from clea_tenants.schemas import use_public_schema

logger = logging.getLogger(__name__)

FINGERPRINT_PREFIX = "clea-template:"
TEMPLATE_CONTENT_VERSION = "1"  # bump when the template's seeded rows (role groups...) change
_SWAP_LOCK = 0x434C4541  # advisory lock key ("CLEA")
SWAP_LOCK = _SWAP_LOCK  # held shared by clones and spare takers (clea_tenants.spares), exclusive by a swap


def template_schema_name() -> str:
    return str(settings.TENANT_BASE_SCHEMA)


@functools.cache
def migration_fingerprint() -> str:
    """Hash of the project's migrations on disk (names and file contents).

    Every app counts, not only the tenant apps: a tenant schema's ``django_migrations`` records the
    shared apps' migrations too (applied there as no-ops), so a template built before a new shared
    migration would give clones that ``upgrade_schemas`` finds behind.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(TEMPLATE_CONTENT_VERSION.encode())
    for app_label, name in sorted(loader.disk_migrations):
        digest.update(f"{app_label}.{name}\n".encode())
        source = getattr(sys.modules.get(loader.disk_migrations[(app_label, name)].__module__), "__file__", None)
        if source and os.path.exists(source):
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:32]


def stored_fingerprint(schema_name: str | None = None) -> str | None:
    """The fingerprint recorded on the template schema, or None when it is missing or unmarked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
            [schema_name or template_schema_name()],
        )
        row = cursor.fetchone()
    if not row or not row[0] or not str(row[0]).startswith(FINGERPRINT_PREFIX):
        return None
    return str(row[0])[len(FINGERPRINT_PREFIX) :]


def template_is_current() -> bool:
    return stored_fingerprint() == migration_fingerprint()


def prepare_tenant_template(*, force: bool = False, verbosity: int = 0) -> bool:
    """Create or rebuild the template schema when needed. Returns True if it was (re)built."""
    if not force and template_is_current():
        return False
    template = template_schema_name()
    build = f"{template}_build_{os.getpid()}"
    fingerprint = migration_fingerprint()
    use_public_schema()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{build}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{build}"')
    call_command("migrate_schemas", tenant=True, schema_name=build, interactive=False, verbosity=verbosity)
    with schema_context(build):
        ensure_role_groups(TENANT_ROLES)
    use_public_schema()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SWAP_LOCK])
        cursor.execute(f'DROP SCHEMA IF EXISTS "{template}" CASCADE')
        cursor.execute(f'ALTER SCHEMA "{build}" RENAME TO "{template}"')
        cursor.execute(f"COMMENT ON SCHEMA \"{template}\" IS '{FINGERPRINT_PREFIX}{fingerprint}'")
    logger.info("tenant template %s rebuilt (migrations %s)", template, fingerprint)
    return True


def ensure_template() -> None:
    """Make sure a current template exists (cheap when it does: one catalogue query)."""
    if settings.TENANT_CREATION_FAKES_MIGRATIONS and not template_is_current():
        prepare_tenant_template()


def clone_template(schema_name: str) -> bool:
    """Clone the current template into ``schema_name``. False (nothing done) if it is unusable.

    Runs under a shared advisory lock, so a concurrent template swap waits for the clone to end.
    The clone is the template's script (``clea_tenants.cloning``, built once per template and
    process) run in one round trip; django-tenants' ``clone_schema()`` when no script can be built.
    """
    if not settings.TENANT_CREATION_FAKES_MIGRATIONS:
        return False
    use_public_schema()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_SWAP_LOCK])
        cursor.execute(
            "SELECT n.oid, obj_description(n.oid, 'pg_namespace'),"
            " EXISTS (SELECT 1 FROM pg_namespace o WHERE lower(o.nspname) = lower(%s))"
            " FROM pg_namespace n WHERE n.nspname = %s",
            [schema_name, template_schema_name()],
        )
        row = cursor.fetchone()
        fingerprint = migration_fingerprint()
        if row is None or row[1] != f"{FINGERPRINT_PREFIX}{fingerprint}":
            return False
        if row[2]:
            raise ValidationError("New schema name already exists")  # as django-tenants' clone (#846)
        script = cloning.cached_clone_script(cursor, template_schema_name(), int(row[0]), fingerprint)
        if script is not None:
            cursor.execute(script.render(schema_name))
        else:
            CloneSchema().clone_schema(template_schema_name(), schema_name, "DATA")
            cursor.execute(f'COMMENT ON SCHEMA "{schema_name}" IS NULL')  # the clone copied the template's mark
    use_public_schema()
    return True
