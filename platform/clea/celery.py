"""The Celery application: tenant-aware, configured from Django settings (``CELERY_*``).

    celery -A clea.celery worker -l info          # a worker
    celery -A clea.celery beat -l info            # the scheduler (clea.tasks.scheduler)

``TenantAwareCeleryApp`` (tenant-schemas-celery) puts the schema the task is sent from in the message
headers; the worker enters that schema before running it. Every task derives from
:class:`clea.tasks.base.CleaTask` (late acknowledgement, retries with back-off, failures recorded).
The broker is ``CELERY_BROKER_URL``: Redis or RabbitMQ (``amqp://``) in production; the ``dev`` settings
fall back to a filesystem queue under ``var/`` when no URL is given.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.conf import settings
from tenant_schemas_celery.app import CeleryApp as TenantAwareCeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clea.settings.dev")

app = TenantAwareCeleryApp("clea", task_cls="clea.tasks.base:CleaTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # `<app>.tasks` modules of the installed apps (branch plugins may ship some)
app.autodiscover_tasks(["clea.tasks.registry"], related_name=None)  # the platform's own tasks


def task(name: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``@task("clea.tasks.<module>.<name>", bind=True)``: register a platform task under its full name.

    (Celery ships no type information: this typed front keeps the task modules checked by mypy.)
    The soft and hard time limits are those of the task's family (``CLEA_TASK_FAMILIES``), unless given.
    """
    limits = time_limits(name)
    if limits is not None:
        options.setdefault("soft_time_limit", limits[0])
        options.setdefault("time_limit", limits[1])
    decorator: Callable[[Callable[..., Any]], Any] = app.task(name=name, **options)
    return decorator


def time_limits(name: str) -> tuple[int, int] | None:
    """``(soft, hard)`` seconds of the family of task ``name``; ``None``: the app's defaults apply."""
    for prefix, family in settings.CLEA_TASK_FAMILIES.items():
        if name.startswith(prefix):
            soft, hard = settings.CLEA_TASK_TIME_LIMITS[family]
            return soft, hard
    return None


import clea.observability.tasks  # noqa: E402, F401 - task ids and schemas on log lines

__all__ = ["app", "task"]
