"""Creating an evaluating organisation asked through the federation API (public schema)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from clea.celery import task
from clea_tenants.models import ProvisioningJob, ProvisioningStatus
from clea_tenants.provisioning import run_provisioning_job
from clea_tenants.spares import refill

LOCK_NAMESPACE = 0x434C4541  # "CLEA": advisory locks of provisioning jobs


@contextmanager
def job_lock(job_id: int) -> Iterator[bool]:
    """A PostgreSQL session advisory lock on the job: held while a worker runs it, released if it dies."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job_id])
        row = cursor.fetchone()
        acquired = bool(row and row[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, job_id])


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
