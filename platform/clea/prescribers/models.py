"""Prescribers (public schema): organisations, their members, referrals, cohorts and portal notifications.

A referral holds what the prescriber gave (the person, the consent) and what the organisation tells back
(accepted or declined, the stage, the result). The organisation's schema receives a copy of what it needs
(``clea.prescribers.inbox``), delivered by a task; the prescriber never writes there.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.kernel.journey import PrescriberType
from clea.kernel.prescribers import Stage
from clea.prescribers.validators import validate_siret
from clea_tenants.regions import Region

KIND_LABELS: dict[str, str] = {
    PrescriberType.EMPLOYER.value: "Employeur",
    PrescriberType.OPCO.value: "OPCO",
    PrescriberType.FRANCE_TRAVAIL.value: "France Travail",
    PrescriberType.REGION.value: "Région",
    PrescriberType.CEP.value: "Conseil en évolution professionnelle",
    PrescriberType.MISSION_LOCALE.value: "Mission locale",
    PrescriberType.CAP_EMPLOI.value: "Cap emploi",
    PrescriberType.SIAE.value: "SIAE",
    PrescriberType.SPIP.value: "SPIP",
    PrescriberType.BRANCH.value: "Branche professionnelle",
    PrescriberType.OTHER.value: "Autre",
}
KIND_CHOICES = list(KIND_LABELS.items())
STAGE_CHOICES = [(stage.value, stage.label_fr) for stage in Stage]


class PrescriberStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validée")
    SUSPENDED = "suspended", _("Suspendue")


class PrescriberOrganisation(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=KIND_CHOICES)
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    contact_email = models.EmailField(_("courriel de contact"))
    status = models.CharField(
        _("statut"), max_length=12, choices=PrescriberStatus.choices, default=PrescriberStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("organisation prescriptrice")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_approved(self) -> bool:
        return self.status == PrescriberStatus.APPROVED


class PrescriberMember(models.Model):
    """A public-schema user of role ``prescriber`` belongs to one prescriber organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prescriber")
    organisation = models.ForeignKey(PrescriberOrganisation, on_delete=models.CASCADE, related_name="members")
    is_admin = models.BooleanField(_("administrateur"), default=False)

    class Meta:
        verbose_name = _("membre prescripteur")

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organisation_id}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    organisation = models.ForeignKey(PrescriberOrganisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("courriel"))
    is_admin = models.BooleanField(default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return self.email


def new_cohort_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Cohort(models.Model):
    """ "CléA en entreprise": a group opened by a prescriber for one organisation; people register with its code."""

    prescriber = models.ForeignKey(PrescriberOrganisation, on_delete=models.CASCADE, related_name="cohorts")
    organisation = models.ForeignKey("clea_tenants.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nom"), max_length=200)
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_cohort_code)
    message = models.TextField(_("message à l'organisme"), blank=True)
    is_open = models.BooleanField(_("ouverte"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohorte")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Envoyée")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")


class Referral(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prescriber = models.ForeignKey(PrescriberOrganisation, on_delete=models.PROTECT, related_name="referrals")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey("clea_tenants.Organisation", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    message = models.TextField(_("message à l'organisme"), blank=True)
    # The person's consent (R1): to be referred, and to share the stage and results with the prescriber.
    consent_wording = models.TextField(_("texte du consentement"))
    consent_given_on = models.DateField(_("consentement donné le"))
    share_results = models.BooleanField(_("partage des résultats accepté"), default=False)
    consent_withdrawn_at = models.DateTimeField(_("consentement retiré le"), null=True, blank=True)
    # Told back by the organisation.
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(_("étape"), max_length=16, choices=STAGE_CHOICES, default=Stage.SENT.value)
    stage_on = models.DateField(null=True, blank=True)
    stage_dates = models.JSONField(default=dict, blank=True)  # stage -> first ISO date reached
    certificate_number = models.CharField(max_length=30, blank=True)
    result_sent_at = models.DateTimeField(null=True, blank=True)
    # R12: the attestation of what is acquired (not certified, or stopped), copied by the organisation.
    attestation_pdf = models.BinaryField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("orientation")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["prescriber", "stage"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Orientation {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_shared(self) -> bool:
        """The person agreed to share, and has not withdrawn: the prescriber may follow them."""
        return self.share_results and self.consent_withdrawn_at is None

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label_fr


class Notification(models.Model):
    """A message in the prescriber's portal (a result, a declined referral)."""

    prescriber = models.ForeignKey(PrescriberOrganisation, on_delete=models.CASCADE, related_name="notifications")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notifications")
    text = models.TextField()
    link = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]
