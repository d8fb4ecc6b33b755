"""Documents of a file (tenant schema)."""

from __future__ import annotations

from typing import Any

from clea.celery import task
from clea.journey.documents import make_partial_attestation
from clea.tasks.ledger import run_once
from clea_tenants.schemas import current_schema


@task("clea.tasks.documents.generate_partial_attestation", bind=True)
def generate_partial_attestation(self: Any, file_id: int, decision_id: int) -> str:
    """R12: the attestation of what is acquired, after the decision that ended the path. Once per decision."""
    source_key = f"partial_attestation:decision:{decision_id}"
    _, document = run_once(
        f"{current_schema()}:document:{source_key}",
        lambda: make_partial_attestation(file_id, source_key=source_key),
        task_name=self.name,
        task_id=self.request.id or "",
    )
    return str(document.uid) if document is not None else "already generated"
