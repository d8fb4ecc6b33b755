"""Failed tasks: recorded when a task fails for good, listed for admins, sent again on request."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django_tenants.utils import schema_context

from clea.celery import app
from clea.tasks.headers import schema_of_request
from clea.tasks.models import FailedTask

logger = logging.getLogger(__name__)


def record_failure(task: Any, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
    """Store (or refresh) the failure of one task execution. Never raises: failing to record is logged."""
    try:
        connection.close_if_unusable_or_obsolete()  # the failure may have been the connection itself
        with schema_context("public"):
            FailedTask.objects.update_or_create(
                task_id=task_id,
                defaults={
                    "task_name": task.name,
                    "args": list(args or ()),
                    "kwargs": dict(kwargs or {}),
                    "schema_name": schema_of_request(task.request),
                    "exception": f"{type(exc).__name__}: {exc}"[:4000],
                    "traceback": str(getattr(einfo, "traceback", "") or ""),
                    "retries": int(task.request.retries or 0),
                    "failed_at": timezone.now(),
                },
            )
    except Exception:
        logger.exception("could not record the failure of task %s (%s)", task.name, task_id)


def pending_failures() -> QuerySet[FailedTask]:
    """Failures not sent again yet, newest first."""
    return FailedTask.objects.filter(retried_at__isnull=True)


def retry_failed(failed: FailedTask) -> str:
    """Send the task again, with the same arguments, in the same schema; returns the new task id."""

    result = app.send_task(
        failed.task_name,
        args=list(failed.args),
        kwargs=dict(failed.kwargs),
        headers={"_schema_name": failed.schema_name},
    )
    failed.retried_at = timezone.now()
    failed.retry_task_id = str(result.id)
    failed.save(update_fields=["retried_at", "retry_task_id"])
    return str(result.id)
