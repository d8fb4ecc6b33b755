"""Anchoring the organisations' audit trails in the public one (``clea.audit.anchors``), every hour."""

from __future__ import annotations

from typing import Any

from clea.audit.anchors import anchor_schema
from clea.celery import task


@task("clea.tasks.audit.anchor_audit_trail", bind=True)
def anchor_audit_trail(self: Any) -> int | None:
    """Anchor the head of the current schema's trail (beat fans this out to every active organisation)."""
    anchor = anchor_schema(self.schema_name)
    return anchor.seq if anchor else None
