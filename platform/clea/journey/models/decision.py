from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionRecord(models.Model):
    """R13: who decided what, when, on which referential version. Append-only."""

    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=30)
    actor_ref = models.CharField(max_length=100)
    actor_role = models.CharField(max_length=32)
    actor_organisation = models.CharField(max_length=63)
    at = models.DateTimeField()
    referential_id = models.CharField(max_length=80)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    detail = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("décision")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"
