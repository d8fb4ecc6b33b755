"""The monthly CPF batch (beat, daily check: the previous month's certificates not yet sent)."""

from __future__ import annotations

from typing import Any

from clea.celery import task
from clea.ecosystem import cpf


@task("clea.ecosystem.tasks.prepare_monthly_cpf_batch", bind=True)
def prepare_monthly_cpf_batch(self: Any) -> str:
    """Prepare last month's CPF batch once; later runs in the month find nothing left and create none."""
    prepared = cpf.prepare_previous_month()
    skipped = f", {len(prepared.skipped)} skipped (identity incomplete)" if prepared.skipped else ""
    return (f"batch {prepared.batch.pk}" if prepared.batch else "nothing to send") + skipped
