from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("En attente du jury")
    CERTIFIED = "certified", _("Certifié")
    REFUSED = "refused", _("Refusé")
    ADJOURNED = "adjourned", _("Ajourné")


class JurySubmission(models.Model):
    """A file's snapshot sent by an organisation to the federation: what the jury needs, no more."""

    organisation = models.ForeignKey("clea_tenants.Organisation", on_delete=models.PROTECT, related_name="+")
    file_ref = models.CharField(max_length=40)
    candidate_pseudonym = models.UUIDField()
    candidate_name = models.CharField(max_length=200)
    referential_id = models.CharField(max_length=80)
    snapshot = models.JSONField()
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    certificate_number = models.CharField(max_length=30, blank=True)
    session = models.ForeignKey(
        "certification.JurySession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        help_text=_("La session de jury à laquelle le dossier est inscrit (R11 vérifiée à l'inscription)."),
    )

    class Meta:
        verbose_name = _("dossier transmis au jury")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "file_ref"],
                condition=models.Q(status="pending"),
                name="one_pending_submission_per_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.file_ref}"

    @property
    def is_open(self) -> bool:
        """Still awaiting a final decision: pending, or adjourned to a later session."""
        return self.status in (SubmissionStatus.PENDING, SubmissionStatus.ADJOURNED)
