from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from clea_tenants.schemas import current_schema


class DocumentKind(models.TextChoices):
    PARTIAL_ATTESTATION = "partial_attestation", _("Attestation des compétences acquises")


def document_path(instance: Document, filename: str) -> str:
    return f"tenants/{current_schema()}/documents/{filename}"


class Document(models.Model):
    """A document generated for a file (e.g. the R12 attestation of what is acquired), stored per tenant
    under ``MEDIA_ROOT/tenants/<schema>/documents/``. ``source_key`` says what it was made for (one document
    per source: generation is idempotent)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    content = models.FileField(upload_to=document_path)
    content_type = models.CharField(max_length=100, default="application/pdf")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    source_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.title
