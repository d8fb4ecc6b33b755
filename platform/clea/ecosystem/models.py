"""CPF "accrochage" batches (docs/CPF.md): the XML sent, and each certificate's fate in it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    PREPARED = "prepared", _("Préparé")
    ACKNOWLEDGED = "acknowledged", _("Accusé de réception reçu")
    PROCESSED = "processed", _("Compte rendu de traitement reçu")


class RecordStatus(models.TextChoices):
    SENT = "sent", _("Envoyé")
    ACCEPTED = "accepted", _("Accepté")
    REJECTED = "rejected", _("Rejeté")


class CpfBatch(models.Model):
    """One XML flux: the certificates delivered in a period (and rejected ones resent once corrected)."""

    id_flux = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period_start = models.DateField(_("début de période"))
    period_end = models.DateField(_("fin de période"))
    resend = models.BooleanField(_("renvoi de rejets corrigés"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=14, choices=BatchStatus.choices, default=BatchStatus.PREPARED)
    xml = models.TextField()
    schema_version = models.CharField(max_length=20)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lot CPF")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        kind = "renvoi" if self.resend else "lot"
        return f"clea-cpf-{kind}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}-{self.pk or 0}.xml"


class CpfRecord(models.Model):
    """A certificate in a batch: sent, then accepted or rejected (with the CDC's reason)."""

    batch = models.ForeignKey(CpfBatch, on_delete=models.CASCADE, related_name="records")
    certificate = models.ForeignKey("certification.Certificate", on_delete=models.PROTECT, related_name="+")
    id_technique = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=RecordStatus.choices, default=RecordStatus.SENT)
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificat transmis au CPF")
        ordering = ["batch_id", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "certificate"], name="one_record_per_batch")]

    def __str__(self) -> str:
        return f"{self.id_technique}: {self.status}"
