"""Certificates (R12), the federation's signing keys, and locked counters (certificate numbers, status list)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """A named counter incremented under a row lock (``clea.certification.numbering``)."""

    name = models.CharField(max_length=60, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Certificate(models.Model):
    """A CléA certificate: numbered, signed as a verifiable credential, revocable (status list bit)."""

    number = models.CharField(_("numéro"), max_length=30, unique=True)
    submission = models.OneToOneField(
        "certification.JurySubmission", on_delete=models.PROTECT, related_name="certificate"
    )
    candidate_name = models.CharField(_("titulaire"), max_length=200)
    candidate_pseudonym = models.UUIDField()
    referential_id = models.CharField(_("référentiel"), max_length=80)
    organisation = models.ForeignKey(
        "clea_tenants.Organisation", verbose_name=_("organisme évaluateur"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey("certification.JurySession", on_delete=models.PROTECT, related_name="certificates")
    issued_at = models.DateTimeField(_("délivré le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = models.TextField(_("motif de révocation"), blank=True)
    status_list_index = models.PositiveIntegerField(unique=True)
    credential_jwt = models.TextField(help_text=_("Le certificat numérique signé (VC-JOSE, JWT compact)."))
    signing_kid = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("certificat")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SigningKey(models.Model):
    """An Ed25519 key of the federation. One is active (signs); retired ones stay published for verification.

    The private key is kept encrypted (PKCS#8, passphrase from ``CLEA_SIGNING_KEY_PASSPHRASE`` or
    ``SECRET_KEY``), or not at all when it comes from the environment (``CLEA_SIGNING_KEY_PEM``).
    """

    kid = models.CharField(max_length=100, unique=True)
    public_jwk = models.JSONField()
    private_key_pem = models.TextField(blank=True)
    from_environment = models.BooleanField(default=False)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clé de signature")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_signing_key")
        ]

    def __str__(self) -> str:
        return self.kid
