"""Per-organisation privacy settings and the record of erasures (tenant schema)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.versioning import Versioned


class RetentionPolicy(Versioned):
    """How long this organisation keeps personal data (one row, ``pk=1``), applied daily by the purge task."""

    closed_file_months = models.PositiveSmallIntegerField(
        _("conservation des dossiers clos (mois)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Après la dernière décision d'un dossier clos (certifié, refusé, retiré, transféré, échu)."),
    )
    evidence_months = models.PositiveSmallIntegerField(
        _("conservation des preuves après clôture (mois)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    unopened_file_months = models.PositiveSmallIntegerField(
        _("conservation des accueils sans consentement (mois)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    login_log_months = models.PositiveSmallIntegerField(
        _("conservation des journaux de connexion (mois)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("durées de conservation")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="retention_policy_singleton")]

    def __str__(self) -> str:
        return f"{self.closed_file_months}/{self.evidence_months} mois"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> RetentionPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy

    etag_kind = "retention-policy"


class ErasureRecord(models.Model):
    """That a candidate's data was erased, when, why and by whom (no personal data)."""

    candidate_id = models.BigIntegerField(unique=True)
    erased_at = models.DateTimeField()
    reason = models.CharField(max_length=20)  # "request" | "retention"
    certified = models.BooleanField()
    actor_ref = models.CharField(max_length=100)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("effacement")
        ordering = ["erased_at", "id"]

    def __str__(self) -> str:
        return f"candidate:{self.candidate_id} {self.erased_at:%Y-%m-%d}"
