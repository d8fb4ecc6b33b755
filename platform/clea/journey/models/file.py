from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.kernel.journey import FileState, PrescriberType


class CandidateFileRecord(models.Model):
    """A candidate's file. ``state`` and ``deadline`` are written only from kernel transitions."""

    candidate = models.ForeignKey("journey.Candidate", on_delete=models.PROTECT, related_name="files")
    referential_id = models.CharField(_("version du référentiel"), max_length=80)
    state = models.CharField(
        _("étape"), max_length=20, choices=[(s.value, s.label_fr) for s in FileState], db_index=True
    )
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency: bumped by every change
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="files_followed"
    )
    prescriber_type = models.CharField(
        _("type de prescripteur"), max_length=20, blank=True, choices=[(p.value, p.value) for p in PrescriberType]
    )
    prescriber_name = models.CharField(_("prescripteur"), max_length=200, blank=True)
    referred_on = models.DateField(null=True, blank=True)
    consent_purpose = models.CharField(_("objet du consentement"), max_length=300, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(_("échéance (5 ans)"), null=True, blank=True, db_index=True)
    reminders_sent = models.JSONField(default=list, blank=True)  # R8 reminders already sent (days before)
    transferred_from = models.CharField(max_length=63, blank=True)
    transferred_to = models.CharField(max_length=63, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"Dossier {self.pk}"

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'
