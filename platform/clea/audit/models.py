"""``AuditEntry``: one row per audited event, in the schema where it happened.

Rows are never updated nor deleted: a PostgreSQL trigger created by the migration refuses ``UPDATE``,
``DELETE`` and ``TRUNCATE`` on the table. Each row carries ``hash = SHA-256(prev_hash + canonical JSON of
the entry)``, so changing, removing or reordering a row breaks the chain (``manage.py verify_audit_trail``).
Entries hold references (``user:12``, ``file:7``), never names or other personal data: the trail is kept
when a candidate's data is erased.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)  # 1, 2, 3... in this schema: a gap is visible
    at = models.DateTimeField(db_index=True)
    schema_name = models.CharField(max_length=63)
    actor_ref = models.CharField(max_length=100)  # "user:12", "system:r8", "anonymous"
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=50, db_index=True)  # "decision", "file.access", "gdpr.erase"...
    object_ref = models.CharField(max_length=100, blank=True)  # "file:7", "candidate:3", "evidence:<uid>"
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_ref}"
