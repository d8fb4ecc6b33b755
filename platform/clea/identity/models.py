"""The civil identity a certificate carries (R15), one row per candidate, beside ``journey.Candidate``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.versioning import Versioned


class Civility(models.TextChoices):
    MONSIEUR = "M", _("Monsieur")
    MADAME = "MME", _("Madame")


class CandidateIdentity(Versioned):
    """Civility, birth and usage names, all first names, birth date and place (INSEE commune, or abroad)."""

    candidate = models.OneToOneField("journey.Candidate", on_delete=models.CASCADE, related_name="identity")
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    birth_name = models.CharField(_("nom de naissance"), max_length=100)
    usage_name = models.CharField(_("nom d'usage"), max_length=100, blank=True)
    first_names = models.JSONField(_("prénoms (tous, dans l'ordre)"), default=list)
    birth_date = models.DateField(_("date de naissance"))
    birth_country = models.CharField(_("pays de naissance (ISO 3166)"), max_length=2, default="FR")
    birth_insee_code = models.CharField(_("commune de naissance (code INSEE)"), max_length=5, blank=True)
    birth_commune_name = models.CharField(_("commune de naissance"), max_length=120, blank=True)
    birth_town_abroad = models.CharField(_("ville de naissance (étranger)"), max_length=120, blank=True)
    geography_version = models.CharField(max_length=20, blank=True)  # the INSEE data that checked the code
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("état civil")

    def __str__(self) -> str:
        return f"{self.birth_name} {' '.join(self.first_names)}"

    @property
    def born_abroad(self) -> bool:
        return self.birth_country != "FR"

    @property
    def first_name(self) -> str:
        return self.first_names[0] if self.first_names else ""

    @property
    def display_name(self) -> str:
        """As printed on the certificate: first names, then the usage name or the birth name (« née … »)."""
        name = self.usage_name or self.birth_name
        born = f" (né{'e' if self.civility == Civility.MADAME else ''} {self.birth_name})" if self.usage_name else ""
        return f"{' '.join(self.first_names)} {name}{born}"

    @property
    def birth_place_label(self) -> str:
        if self.born_abroad:
            return f"{self.birth_town_abroad} ({self.birth_country})"
        return f"{self.birth_commune_name} ({self.birth_insee_code})"
