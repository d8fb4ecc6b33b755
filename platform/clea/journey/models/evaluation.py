from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.kernel.mastery import EvaluationKind


class EvaluationRecord(models.Model):
    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("type"), max_length=10, choices=[(k.value, k.value) for k in EvaluationKind])
    # The kernel's name for the evaluator (R7): ``user:<id>`` here, ``<org>/user:<id>`` after a transfer.
    evaluator_ref = models.CharField(max_length=100)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # set when the evaluator belongs to this organisation
    organisation = models.CharField(max_length=63)
    days = ArrayField(models.DateField(), verbose_name=_("journées"))
    modality = models.CharField(_("modalité"), max_length=200, blank=True)
    archived = models.BooleanField(default=False)  # set when the 5-year window expired (R8): no longer counts
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("évaluation")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Évaluation {self.kind} {self.pk}"


class CriterionResultRecord(models.Model):
    evaluation = models.ForeignKey(EvaluationRecord, on_delete=models.CASCADE, related_name="results")
    criterion = models.CharField(_("critère"), max_length=20)
    acquired = models.BooleanField(_("acquis"))
    evaluated_on = models.DateField()
    evaluator_ref = models.CharField(max_length=100)
    comment = models.TextField(_("commentaire"), blank=True)
    evidence = ArrayField(models.CharField(max_length=40), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_result_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {'acquis' if self.acquired else 'à acquérir'}"
