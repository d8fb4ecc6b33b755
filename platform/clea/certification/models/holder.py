"""The holder's civil identity (R15) sent with a file to the federation, sealed from the jury."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderIdentity(models.Model):
    """What the certificate, the CPF feed and the parchment print need about the person; the jury never sees
    it (the jury's snapshot keeps the name only). Copied from the organisation's ``identity.CandidateIdentity``
    when the file is submitted; empty fields when the organisation had not filled it in."""

    submission = models.OneToOneField("certification.JurySubmission", on_delete=models.CASCADE, related_name="holder")
    civility = models.CharField(_("civilité"), max_length=3, blank=True)
    birth_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    usage_name = models.CharField(_("nom d'usage"), max_length=100, blank=True)
    first_names = models.JSONField(_("prénoms"), default=list)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_country = models.CharField(max_length=2, default="FR")
    birth_insee_code = models.CharField(max_length=5, blank=True)
    birth_commune_name = models.CharField(max_length=120, blank=True)
    birth_town_abroad = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        verbose_name = _("état civil du titulaire")

    def __str__(self) -> str:
        return self.display_name

    @property
    def complete(self) -> bool:
        place = self.birth_town_abroad if self.born_abroad else self.birth_insee_code
        return bool(self.civility and self.birth_name and self.first_names and self.birth_date and place)

    @property
    def born_abroad(self) -> bool:
        return self.birth_country != "FR"

    @property
    def display_name(self) -> str:
        name = self.usage_name or self.birth_name
        born = f" (né{'e' if self.civility == 'MME' else ''} {self.birth_name})" if self.usage_name else ""
        return f"{' '.join(self.first_names)} {name}{born}".strip()

    @property
    def birth_place_label(self) -> str:
        if self.born_abroad:
            return f"{self.birth_town_abroad} ({self.birth_country})"
        return f"{self.birth_commune_name} ({self.birth_insee_code})" if self.birth_insee_code else ""
