from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingPathRecord(models.Model):
    """An individual training path (R6). Objectives are derived from the gaps by the kernel, stored as given."""

    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="paths")
    trainer_ref = models.CharField(max_length=100)  # the kernel's name for the trainer (R7), as for evaluators
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="paths_trained"
    )
    training_organisation = models.CharField(_("organisme de formation"), max_length=200)
    objectives = models.JSONField()  # [{"subdomain": "1.2", "criteria": ["1.2.3", ...]}]
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parcours de formation")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Parcours {self.pk}"


class TrainingSessionRecord(models.Model):
    path = models.ForeignKey(TrainingPathRecord, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    subdomains = ArrayField(models.CharField(max_length=20))
    label = models.CharField(_("intitulé"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.starts_on} → {self.ends_on}"


class ProgressNote(models.Model):
    """What the trainer records along the path."""

    path = models.ForeignKey(TrainingPathRecord, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subdomain = models.CharField(max_length=20, blank=True)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.pk}"
