"""The base class of every CléA task (set as the app's ``task_cls`` in ``clea.celery``).

* tenant-aware: the schema travels in the message headers (tenant-schemas-celery);
* ``acks_late`` + ``reject_on_worker_lost``: a message is acknowledged once its task has run, so a worker
  that dies mid-task gives it back to the broker (the ledger keeps the effect single);
* transient failures (database unavailable, SMTP errors, network) are retried with exponential back-off
  and jitter: ``CLEA_TASK_RETRY_BACKOFF`` × 2ⁿ seconds, at most ``CLEA_TASK_RETRY_BACKOFF_MAX``, up to
  ``CLEA_TASK_MAX_RETRIES`` times;
* a task that fails for good is recorded as a :class:`~clea.tasks.models.FailedTask`.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from tenant_schemas_celery.task import TenantTask

from clea.tasks.failures import record_failure
from clea.tasks.headers import schema_of_request

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
)


class CleaTask(TenantTask):  # type: ignore[misc]
    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    max_retries = settings.CLEA_TASK_MAX_RETRIES
    retry_backoff = settings.CLEA_TASK_RETRY_BACKOFF
    retry_backoff_max = settings.CLEA_TASK_RETRY_BACKOFF_MAX
    retry_jitter = True

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        record_failure(self, exc, task_id, args, kwargs, einfo)
        super().on_failure(exc, task_id, args, kwargs, einfo)

    @property
    def schema_name(self) -> str:
        """The schema this execution was sent for (``public`` when none)."""
        return schema_of_request(self.request)
