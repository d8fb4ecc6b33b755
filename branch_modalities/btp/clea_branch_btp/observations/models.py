"""Observations in a real work situation (domain 7 rule of the BTP branch). EXAMPLE model."""

from __future__ import annotations

from django.db import models


class WorkSituationObservation(models.Model):
    """One observation of a candidate on a work site, cited as evidence ``obs-btp:<id>`` in the file."""

    file_reference = models.CharField("référence du dossier", max_length=64, db_index=True)
    subdomain = models.CharField("sous-domaine", max_length=8)
    observed_on = models.DateField("observé le")
    site = models.CharField("chantier", max_length=200)
    observer = models.CharField("observateur", max_length=150)
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "observation en situation de travail"
        verbose_name_plural = "observations en situation de travail"
        ordering = ("-observed_on", "id")
        indexes = (models.Index(fields=("file_reference", "subdomain"), name="btp_obs_file_subdomain"),)

    def __str__(self) -> str:
        return f"{self.file_reference} {self.subdomain} — {self.site} ({self.observed_on:%d/%m/%Y})"

    @property
    def evidence_reference(self) -> str:
        return f"obs-btp:{self.pk}"
