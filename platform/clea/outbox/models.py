"""One row per follow-up task to send, written in the transaction of the change it follows (public schema)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    schema_name = models.CharField(max_length=63)  # the schema the task runs in (its message header)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)  # gave up after CLEA_OUTBOX_MAX_ATTEMPTS
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("message à envoyer")
        verbose_name_plural = _("messages à envoyer")
        ordering = ("id",)
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_idx",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{self.args} [{self.schema_name}] #{self.pk}"

    @property
    def task_id(self) -> str:
        return f"outbox-{self.pk}"

    @property
    def pending(self) -> bool:
        return self.sent_at is None and self.failed_at is None
