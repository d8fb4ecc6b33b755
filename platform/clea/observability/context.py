"""The request id and tenant of the work in progress, for every log line written while it runs."""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("clea_request_id", default="-")
tenant: ContextVar[str] = ContextVar("clea_tenant", default="-")


def bind_task(task_id: str, schema_name: str) -> None:
    """For a Celery task: its id stands for the request id, its schema for the tenant."""
    request_id.set(task_id or "-")
    tenant.set(schema_name or "-")
