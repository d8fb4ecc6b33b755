"""A pool of spare tenant schemas, cloned ahead of time, so that provisioning only renames one.

Cloning the template costs a few hundred milliseconds on an idle machine and seconds on a loaded one
(docs/BENCHMARKS.md, "Tenant provisioning"). A spare is a clone of the template made in advance, named
``clea_spare_<hex>`` and tagged ``COMMENT ON SCHEMA … 'clea-spare:<migration fingerprint>'``:

* :func:`take_spare` (called by ``Organisation.create_schema`` before cloning, inside the provisioning
  transaction) picks a spare of the **current** fingerprint that no other transaction is taking
  (``pg_try_advisory_xact_lock`` per spare), renames it to the new organisation's schema and clears the tag.
  Renaming is transactional: if provisioning fails, the spare is back in the pool. Then a refill is asked
  for through the outbox (task ``clea.tasks.provisioning.refill_spare_schemas``), after commit;
* :func:`refill` drops the spares of another fingerprint (the migrations changed: those clones are
  stale and are never taken) and clones new ones up to ``CLEA_SPARE_SCHEMAS``; the beat entry
  ``clea: spare schemas`` runs it every 10 minutes too.

No spare (pool empty, disabled with ``CLEA_SPARE_SCHEMAS=0``, or all stale): provisioning clones as before.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from clea.outbox.writer import enqueue
from clea_tenants.schemas import use_public_schema
from clea_tenants.template import FINGERPRINT_PREFIX, SWAP_LOCK, clone_template, migration_fingerprint

logger = logging.getLogger(__name__)

SPARE_PREFIX = "clea_spare_"
SPARE_TAG = "clea-spare:"
REFILL_TASK = "clea.tasks.provisioning.refill_spare_schemas"
_SPARE_LOCK_NAMESPACE = 0x53504152  # "SPAR": advisory locks on one spare while a transaction takes it
_REFILL_LOCK = 0x52454649  # "REFI": one refill at a time


def pool_target() -> int:
    return max(0, int(getattr(settings, "CLEA_SPARE_SCHEMAS", 0)))


def spares(fingerprint: str | None = None) -> list[str]:
    """Names of the spare schemas, of ``fingerprint`` only when given, oldest name first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_namespace"
            " WHERE starts_with(nspname, %s) ORDER BY nspname",
            [SPARE_PREFIX],
        )
        rows = cursor.fetchall()
    return [str(name) for name, tag in rows if fingerprint is None or tag == f"{SPARE_TAG}{fingerprint}"]


def take_spare(schema_name: str) -> bool:
    """Rename a current spare to ``schema_name`` in the caller's transaction; False when there is none."""
    if not settings.TENANT_CREATION_FAKES_MIGRATIONS or pool_target() == 0:
        return False
    fingerprint = migration_fingerprint()
    use_public_schema()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [SWAP_LOCK])  # no template swap meanwhile
        cursor.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
            [settings.TENANT_BASE_SCHEMA],
        )
        row = cursor.fetchone()
        if row is None or row[0] != f"{FINGERPRINT_PREFIX}{fingerprint}":
            return False  # the template is behind the code: so are the spares; provisioning rebuilds first
        cursor.execute("SELECT 1 FROM pg_namespace WHERE lower(nspname) = lower(%s)", [schema_name])
        if cursor.fetchone() is not None:
            raise ValidationError("New schema name already exists")  # as clone_template
        for name in spares(fingerprint):
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [_SPARE_LOCK_NAMESPACE, name])
            locked = cursor.fetchone()
            if not (locked and locked[0]):
                continue  # another provisioning is taking this one
            cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
            if cursor.fetchone() is None:
                continue  # taken and committed since we listed them
            cursor.execute(f'ALTER SCHEMA "{name}" RENAME TO "{schema_name}"')
            cursor.execute(f'COMMENT ON SCHEMA "{schema_name}" IS NULL')
            enqueue(REFILL_TASK, [], schema_name="public")  # sent after commit, by task name
            logger.info("schema %s taken from the spare %s", schema_name, name)
            return True
    return False


def refill(target: int | None = None) -> dict[str, int]:
    """Drop stale spares, then clone current ones until there are ``target`` (default ``CLEA_SPARE_SCHEMAS``)."""
    target = pool_target() if target is None else target
    fingerprint = migration_fingerprint()
    dropped = created = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_REFILL_LOCK])
        row = cursor.fetchone()
        if not (row and row[0]):
            return {"dropped": 0, "created": 0, "spares": len(spares(fingerprint))}  # another refill runs
        for name in set(spares()) - set(spares(fingerprint)):
            cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
            dropped += 1
    current = len(spares(fingerprint))
    while current < target:
        name = f"{SPARE_PREFIX}{uuid.uuid4().hex[:16]}"
        with transaction.atomic():
            if not clone_template(name):
                break  # no current template: upgrade_schemas (or the next provisioning) rebuilds it
            with connection.cursor() as cursor:
                cursor.execute(f"COMMENT ON SCHEMA \"{name}\" IS '{SPARE_TAG}{fingerprint}'")
        created += 1
        current += 1
    if dropped or created:
        logger.info("spare schemas: %s stale dropped, %s cloned, %s ready", dropped, created, current)
    return {"dropped": dropped, "created": created, "spares": current}


def drop_all() -> int:
    """Drop every spare (tests, benchmarks, or before shrinking the pool)."""
    names = spares()
    with transaction.atomic(), connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
    return len(names)
