"""The organisation's referral inbox (tenant schema): a copy of what the counsellor needs, nothing more."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboxStatus(models.TextChoices):
    PENDING = "pending", _("À traiter")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")


class IncomingReferral(models.Model):
    referral_uid = models.UUIDField(unique=True)  # the public referral it copies (one delivery each)
    prescriber_name = models.CharField(_("prescripteur"), max_length=200)
    prescriber_kind = models.CharField(_("type de prescripteur"), max_length=20)
    referred_by = models.CharField(_("orienté par"), max_length=200, blank=True)  # the prescriber's user
    cohort_name = models.CharField(_("cohorte"), max_length=200, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    message = models.TextField(_("message du prescripteur"), blank=True)
    consent_wording = models.TextField(_("texte du consentement"))
    consent_given_on = models.DateField(_("consentement donné le"))
    share_results = models.BooleanField(default=False)
    referred_on = models.DateField(_("orienté le"))
    status = models.CharField(max_length=10, choices=InboxStatus.choices, default=InboxStatus.PENDING)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    file = models.OneToOneField(
        "journey.CandidateFileRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="referral"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the counsellors were reminded (once)

    class Meta:
        verbose_name = _("orientation reçue")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.prescriber_name})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
