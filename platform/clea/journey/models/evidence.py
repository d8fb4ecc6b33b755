from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea_tenants.schemas import current_schema


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"tenants/{current_schema()}/evidence/{instance.uid}"


class ReviewStatus(models.TextChoices):
    TO_REVIEW = "to_review", _("à examiner")
    ACCEPTED = "accepted", _("acceptée")
    REJECTED = "rejected", _("refusée")


class Evidence(models.Model):
    """A piece of the dossier de preuves, stored per tenant and never served across tenants."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="evidence")
    criterion = models.CharField(_("critère"), max_length=20, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    content = models.FileField(upload_to=evidence_path)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # issue 13 §4: a candidate's upload waits for a counsellor's review; staff and trainer pieces are accepted.
    review_status = models.CharField(
        _("examen"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.ACCEPTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.CharField(_("motif"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("preuve")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
