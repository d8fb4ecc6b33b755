"""An end-to-end probe of the task chain: broker, worker, schema switch, ledger, database.

    probe.delay("some-token")   # from a tenant's schema: the row says which schema it ran in

``seconds`` makes it slow (to show a worker killed mid-task); ``fail_times`` makes its first attempts fail
with a transient error (to show retries with back-off). The effect (one ``TaskProbe`` row) is kept single by
the ledger however often the message is delivered.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import OperationalError
from django.utils import timezone

from clea.celery import task
from clea.tasks.ledger import run_once
from clea.tasks.models import TaskProbe
from clea_tenants.schemas import current_schema


def record_probe(token: str, *, seconds: float = 0.0, hostname: str = "", attempt: int = 0) -> TaskProbe:
    """The probe's body, callable in-process too (the benchmark's baseline)."""
    if seconds:
        time.sleep(seconds)
    return TaskProbe.objects.create(
        token=token, schema_name=current_schema(), hostname=hostname, attempt=attempt, at=timezone.now()
    )


@task("clea.tasks.diagnostics.probe", bind=True)
def probe(self: Any, token: str, seconds: float = 0.0, fail_times: int = 0) -> dict[str, Any]:
    attempt = int(self.request.retries or 0)
    if attempt < fail_times:
        raise OperationalError(f"simulated transient failure (attempt {attempt + 1} of {fail_times})")
    ran, row = run_once(
        f"{current_schema()}:probe:{token}",
        lambda: record_probe(token, seconds=seconds, hostname=self.request.hostname or "", attempt=attempt),
        task_name=self.name,
        task_id=self.request.id or "",
    )
    return {"schema": current_schema(), "ran": ran, "attempt": attempt, "id": row.pk if row else None}
