"""Public-schema tables of the task machinery: the idempotency ledger, failed tasks, probes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskExecution(models.Model):
    """One row per effect a task had, inserted in the same transaction as the effect (see ``ledger``).

    A message delivered twice (redelivery after a worker died, a retry, a duplicate send) finds its key
    here and does nothing the second time.
    """

    key = models.CharField(max_length=255, unique=True)
    task_name = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    schema_name = models.CharField(max_length=63)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("exécution de tâche")
        ordering = ("-done_at", "-id")

    def __str__(self) -> str:
        return self.key


class FailedTask(models.Model):
    """A task that failed for good (retries exhausted or a non-transient error): shown to the federation's
    admins, who can send it again once the cause is fixed."""

    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    schema_name = models.CharField(max_length=63)
    exception = models.TextField()
    traceback = models.TextField(blank=True)
    retries = models.PositiveIntegerField(default=0)
    failed_at = models.DateTimeField(default=timezone.now)
    retried_at = models.DateTimeField(null=True, blank=True)
    retry_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("tâche en échec")
        verbose_name_plural = _("tâches en échec")
        ordering = ("-failed_at", "-id")

    def __str__(self) -> str:
        return f"{self.task_name} [{self.schema_name}] {self.task_id}"


class TaskProbe(models.Model):
    """Written by ``clea.tasks.diagnostics.probe``: where (schema, worker) and on which attempt it ran.

    An operational check of the whole chain (broker, worker, schema switch, database) and the witness used
    by the reliability tests and the throughput benchmark. Deliberately not unique: the ledger alone keeps
    a probe to one row.
    """

    token = models.CharField(max_length=64, db_index=True)
    schema_name = models.CharField(max_length=63)
    hostname = models.CharField(max_length=200, blank=True)
    attempt = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sonde")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.token}@{self.schema_name}"
