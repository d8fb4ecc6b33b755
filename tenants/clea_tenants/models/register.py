"""The certifier's register (public schema): establishments, their accreditations (R14) and training bodies.

* :class:`Establishment`: one SIRET establishment of an organisation (several per organisation), with its
  address, postcode, department and region.
* :class:`Habilitation`: the accreditation of one establishment for CléA or CléA Numérique, optionally for one
  branch, with a validity window and a Qualiopi certificate. Its status changes are :class:`HabilitationEvent`
  rows (who, why, when): history is kept, nothing is deleted. The branch :class:`Accreditation` (plugin
  dispatch) follows it: ``clea.register.services`` grants and revokes it with the habilitations of its branch.
* :class:`TrainingBody`: a training organisation (name, SIRET, region); an organisation that trains is one too
  (``organisation``). Training paths and jury members name register entries, so R11 compares identities.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clea.kernel import accreditation as kernel
from clea.versioning import Versioned
from clea_tenants.models.accreditation import Accreditation, Branch
from clea_tenants.models.organisation import Organisation
from clea_tenants.regions import Region
from clea_tenants.validators import validate_siret


class Establishment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="establishments")
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    name = models.CharField(_("nom de l'établissement"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=100)
    department = models.CharField(_("département"), max_length=3)
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ("organisation__slug", "siret")

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"


class Programme(models.TextChoices):
    CLEA = kernel.Programme.CLEA.value, "CléA"
    CLEA_NUMERIQUE = kernel.Programme.CLEA_NUMERIQUE.value, "CléA Numérique"


class HabilitationStatus(models.TextChoices):
    APPLIED = kernel.Status.APPLIED.value, _("Demandée")
    GRANTED = kernel.Status.GRANTED.value, _("Accordée")
    SUSPENDED = kernel.Status.SUSPENDED.value, _("Suspendue")
    WITHDRAWN = kernel.Status.WITHDRAWN.value, _("Retirée")
    EXPIRED = kernel.Status.EXPIRED.value, _("Échue")


class Habilitation(Versioned):
    """The accreditation of one establishment (R14); ``status`` is the latest :class:`HabilitationEvent`'s."""

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="habilitations")
    programme = models.CharField(_("certification"), max_length=20, choices=Programme.choices)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branche"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("valide du"))
    valid_to = models.DateField(_("valide jusqu'au"))
    qualiopi_number = models.CharField(_("n° de certificat Qualiopi"), max_length=60, blank=True)
    qualiopi_body = models.CharField(_("organisme certificateur Qualiopi"), max_length=200, blank=True)
    qualiopi_expires_on = models.DateField(_("expiration du certificat Qualiopi"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=HabilitationStatus.choices)
    legacy_accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Habilitation de branche d'avant le registre, reprise par la migration."),
    )
    reminders_sent = models.JSONField(default=list, blank=True, help_text=_("Rappels d'échéance déjà envoyés."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("habilitation d'établissement")
        verbose_name_plural = _("habilitations d'établissement")
        ordering = ("-valid_to", "id")
        constraints = (
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="habilitation_window"),
        )

    def __str__(self) -> str:
        return f"{self.establishment.siret} {self.programme} {self.valid_from}–{self.valid_to}"

    @property
    def organisation(self) -> Organisation:
        return self.establishment.organisation


class HabilitationEvent(models.Model):
    """One status change of a habilitation: who decided, why, when it takes effect (append-only)."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("statut"), max_length=12, choices=HabilitationStatus.choices)
    effective_on = models.DateField(_("à compter du"))
    reason = models.TextField(_("motif"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by_label = models.CharField(max_length=200, blank=True)  # kept if the user is renamed
    valid_from = models.DateField(null=True, blank=True)  # the window set by a grant or renewal
    valid_to = models.DateField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("décision d'habilitation")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.habilitation_id}: {self.status} {self.effective_on}"


class TrainingBody(models.Model):
    """A training organisation of the register; ``organisation`` when it is one of the platform's tenants."""

    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="training_body"
    )
    name_key = models.CharField(max_length=200, db_index=True, editable=False)  # R11's identity_key of the name
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisme de formation")
        verbose_name_plural = _("organismes de formation")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"

    @property
    def identity(self) -> str:
        return f"training-body:{self.pk}"


class UnmatchedTrainingName(models.Model):
    """A free-text training organisation (from before the register) that matched no entry: to resolve."""

    schema_name = models.CharField(max_length=63)
    path_id = models.BigIntegerField()
    name = models.CharField(max_length=200)
    resolved_to = models.ForeignKey(TrainingBody, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisme de formation à rapprocher")
        ordering = ("name", "id")
        constraints = (models.UniqueConstraint(fields=["schema_name", "path_id"], name="one_unmatched_per_path"),)

    def __str__(self) -> str:
        return f"{self.schema_name}/{self.path_id}: {self.name}"
