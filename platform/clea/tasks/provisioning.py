"""Creating an evaluating organisation asked through the federation API (public schema)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection

from clea.celery import task
from clea_tenants.models import ProvisioningJob, ProvisioningStatus
from clea_tenants.provisioning import run_provisioning_job
from clea_tenants.spares import refill

LOCK_NAMESPACE = 0x434C4541  # "CLEA": advisory locks of provisioning jobs


@contextmanager
def job_lock(job_id: int) -> Iterator[bool]:
    """An advisory lock on the job, held while a worker runs it and released if the worker dies.

    Taken as a *transaction* lock in a transaction of its own, on a second connection kept open for the
    job: a session lock on the worker's connection would not survive PgBouncer's transaction pooling
    (``CLEA_DB_POOL_MODE=transaction``: the unlock may reach another server connection and the lock stay
    behind on the first). An open transaction keeps its server connection, and a dead worker's connection
    is closed, which ends the transaction and the lock, with or without a pooler.
    """
    with psycopg.connect(**connection.get_connection_params()) as locker:  # not autocommit: a transaction
        row = locker.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, job_id]).fetchone()
        try:
            yield bool(row and row[0])
        finally:
            locker.rollback()


@task("clea.tasks.provisioning.provision_organisation", bind=True)
def provision_organisation(self: object, job_id: int) -> str:
    """Run one provisioning job: pending → running → ready | failed. Delivered twice, it runs once."""
    with job_lock(job_id) as acquired:
        if not acquired:  # another worker is on it (a redelivery while the first still runs)
            return "running elsewhere"
        # Holding the lock, a job still marked running was left by a worker that died: its transaction
        # rolled back, so it can start again.
        ProvisioningJob.objects.filter(pk=job_id, status=ProvisioningStatus.RUNNING, organisation__isnull=True).update(
            status=ProvisioningStatus.PENDING
        )
        return str(run_provisioning_job(job_id).status)


@task("clea.tasks.provisioning.refill_spare_schemas")
def refill_spare_schemas() -> dict[str, int]:
    """Drop stale spare schemas and clone new ones up to ``CLEA_SPARE_SCHEMAS`` (clea_tenants.spares)."""
    return refill()
