"""Celery tasks log with their id and schema, like requests do (connected by ``clea.celery``)."""

from __future__ import annotations

from typing import Any

from celery.signals import task_prerun

from clea.observability.context import bind_task


@task_prerun.connect  # type: ignore[untyped-decorator]
def _bind_task_context(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    schema = task.request.get("_schema_name") if task is not None else None  # tenant-schemas-celery's header
    bind_task(task_id or "-", schema or "public")
