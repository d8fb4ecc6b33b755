"""Tariffs of the certifier's fees (public schema). Acts are not stored: they are counted from the facts."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.kernel.fees import ACT_LABELS_FR, ActKind

ACT_KIND_CHOICES = [(kind.value, label) for kind, label in ACT_LABELS_FR.items()]


class Tariff(models.Model):
    """One version of the unit price of an act kind, for a validity window (never deleted, never rewritten:
    a new version closes the previous one the day before it starts)."""

    kind = models.CharField(_("acte"), max_length=30, choices=ACT_KIND_CHOICES)
    unit_price = models.DecimalField(_("prix unitaire HT (€)"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2, default=Decimal("20"))
    valid_from = models.DateField(_("à partir du"))
    valid_to = models.DateField(_("jusqu'au"), null=True, blank=True)
    created_by = models.CharField(_("défini par"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tarif")
        ordering = ("kind", "valid_from")
        constraints = (models.UniqueConstraint(fields=["kind", "valid_from"], name="one_tariff_version_per_day"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_price} € HT from {self.valid_from}"

    @property
    def act_kind(self) -> ActKind:
        return ActKind(self.kind)
