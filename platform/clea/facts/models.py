from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class JourneyFact(models.Model):
    """One decision of one file, as the national dashboards may see it: no name, no e-mail, no free text."""

    organisation = models.CharField(_("organisme"), max_length=40)  # the organisation's slug
    candidate = models.UUIDField(_("pseudonyme du candidat"))
    file_ref = models.CharField(max_length=40)
    decision_id = models.BigIntegerField()
    kind = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    at = models.DateTimeField()
    region = models.CharField(_("région"), max_length=2)
    prescriber_type = models.CharField(max_length=20, blank=True)
    branches = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    referential_id = models.CharField(max_length=80)
    detail = models.JSONField(default=dict)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fait du parcours")
        ordering = ("at", "id")
        constraints = (
            models.UniqueConstraint(fields=["organisation", "file_ref", "decision_id"], name="one_fact_per_decision"),
        )
        indexes = (models.Index(fields=["region", "kind", "at"]), models.Index(fields=["organisation", "at"]))

    def __str__(self) -> str:
        return f"{self.organisation}/{self.file_ref}#{self.decision_id} {self.kind}"
