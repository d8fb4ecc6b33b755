"""What a task's message headers say: the schema it was sent for (tenant-schemas-celery's header)."""

from __future__ import annotations

from typing import Any


def schema_of_request(request: Any) -> str:
    headers = getattr(request, "headers", None) or {}
    schema = headers.get("_schema_name") or getattr(request, "_schema_name", None)
    return str(schema or "public")
