from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from clea_tenants.models.organisation import Organisation
from clea_tenants.regions import Region


class ProvisioningStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    READY = "ready", _("Prête")
    FAILED = "failed", _("Échec")


class ProvisioningJob(models.Model):
    """A request to create an organisation; what ``GET .../<slug>/status/`` reports.

    Holds the validated input so that a worker can run it later. The admin password is only
    ever stored hashed.
    """

    slug = models.CharField(max_length=40, db_index=True)
    name = models.CharField(max_length=200)
    siret = models.CharField(max_length=14)
    region = models.CharField(max_length=2, choices=Region.choices)
    contact_email = models.EmailField()
    admin_email = models.EmailField()
    admin_password_hash = models.CharField(max_length=256)
    status = models.CharField(max_length=16, choices=ProvisioningStatus.choices, default=ProvisioningStatus.PENDING)
    error = models.TextField(blank=True, default="")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande de création d'organisme")
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(status__in=["pending", "running"]),
                name="one_open_provisioning_job_per_slug",
            ),
        )

    def __str__(self) -> str:
        return f"{self.slug}: {self.status}"
