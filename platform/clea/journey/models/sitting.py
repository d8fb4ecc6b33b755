"""Sittings (R3): an évaluation entered over several sittings, saved on the server as each is entered."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.kernel.mastery import EvaluationKind


class OpenEvaluationRecord(models.Model):
    """An évaluation being entered: open until closed explicitly, then tied to the evaluation it became."""

    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="open_evaluations")
    kind = models.CharField(_("type"), max_length=10, choices=[(k.value, k.value) for k in EvaluationKind])
    modality = models.CharField(_("modalité"), max_length=200, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluation = models.OneToOneField(
        "journey.EvaluationRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="sittings_of"
    )

    class Meta:
        verbose_name = _("évaluation en cours")
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["file"], condition=models.Q(closed_at__isnull=True), name="one_open_evaluation_per_file"
            )
        ]

    def __str__(self) -> str:
        return f"Évaluation en cours {self.pk}"


class SittingRecord(models.Model):
    """One sitting: an evaluator, a day, the criteria entered; who typed it in and when."""

    open_evaluation = models.ForeignKey(OpenEvaluationRecord, on_delete=models.CASCADE, related_name="sittings")
    day = models.DateField(_("journée"))
    evaluator_ref = models.CharField(max_length=100)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("séance")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Séance du {self.day:%d/%m/%Y}"


class SittingEntryRecord(models.Model):
    """A criterion entered in a sitting; a later entry for the same criterion is a correction (history kept)."""

    sitting = models.ForeignKey(SittingRecord, on_delete=models.CASCADE, related_name="entries")
    criterion = models.CharField(_("critère"), max_length=20)
    acquired = models.BooleanField(_("acquis"))
    comment = models.TextField(_("commentaire"), blank=True)
    evidence = ArrayField(models.CharField(max_length=40), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sitting", "criterion"], name="one_entry_per_sitting")]

    def __str__(self) -> str:
        return f"{self.criterion}: {'acquis' if self.acquired else 'à acquérir'}"


class SavedPlanRecord(models.Model):
    """The evaluation plan kept on the file (R3): the branch's days, which the grid offers as sittings."""

    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="saved_plans")
    branch = models.CharField(_("branche"), max_length=100)
    plan = models.JSONField()  # clea.journey.planning.present_plan(...), as shown and printed
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan d'évaluation")
        ordering = ["-saved_at", "-id"]

    def __str__(self) -> str:
        return f"Plan {self.branch} ({self.pk})"

    @property
    def days(self) -> list[str]:
        return [str(day["on"]) for day in self.plan.get("days", [])]


class AccommodationRecord(models.Model):
    """An accommodation (aménagement) for the candidate of this file (R3); only staff see its details."""

    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="accommodations")
    kind = models.CharField(_("type"), max_length=20)
    detail = models.CharField(_("précision"), max_length=500, blank=True)
    justification_seen = models.BooleanField(_("justificatif vu"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aménagement")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Aménagement {self.kind}"
