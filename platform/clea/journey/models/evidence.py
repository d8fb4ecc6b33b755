from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea_tenants.schemas import current_schema


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"tenants/{current_schema()}/evidence/{instance.uid}"


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

    class Meta:
        verbose_name = _("preuve")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
