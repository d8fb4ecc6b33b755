"""Rollups of the journey facts (public schema). No personal data: codes, counts and organisation slugs only.

``Rollup`` holds counters per *slice* × month × metric × key. A slice is a combination of filters (grouping
sets over region, branch, prescriber type and organisation): ``national``; one dimension (``region`` ``76``);
or several, joined in a fixed order (``region+prescriber`` ``76|france_travail``). A dashboard reads one slice
and a range of months: a few thousand rows, whatever the number of facts and whichever filters are combined
(docs/BENCHMARKS.md, "National dashboards"). ``RolledFile`` remembers what each file added to
the rollups, so that a new fact of the file replaces the file's contribution (idempotent, any order).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", _("Région")
    BRANCH = "branch", _("Branche")
    PRESCRIBER = "prescriber", _("Type de prescripteur")
    ORGANISATION = "organisation", _("Organisme")


class Rollup(models.Model):
    # One Dimension value, or several joined by "+" (clea.dashboards.rollups.slice_key).
    dimension = models.CharField(max_length=64)
    # Region code, branch code, prescriber type, org slug, or several joined by "|".
    member = models.CharField(max_length=160, blank=True)
    month = models.DateField()  # first day of the month (Europe/Paris)
    metric = models.CharField(max_length=16)
    key = models.CharField(max_length=20, blank=True)  # a state, an outcome, a sub-domain code, a number of days
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("agrégat national")
        constraints = (
            models.UniqueConstraint(
                fields=["dimension", "member", "month", "metric", "key"], name="one_rollup_per_slice_month_key"
            ),
        )

    def __str__(self) -> str:
        return f"{self.dimension}:{self.member} {self.month:%Y-%m} {self.metric}/{self.key}={self.n}"


class RolledFile(models.Model):
    """What one file (``organisation`` × ``file_ref``) currently adds to the rollups."""

    organisation = models.CharField(max_length=40)
    file_ref = models.CharField(max_length=40)
    region = models.CharField(max_length=2)
    branches = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    prescriber_type = models.CharField(max_length=20, blank=True)
    items = models.JSONField(default=list)  # [["2025-03", "stage", "training"], ...]
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier agrégé")
        constraints = (models.UniqueConstraint(fields=["organisation", "file_ref"], name="one_rolled_file"),)

    def __str__(self) -> str:
        return f"{self.organisation}/{self.file_ref}"
