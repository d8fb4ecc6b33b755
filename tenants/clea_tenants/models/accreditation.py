from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clea_tenants.models.organisation import Organisation


class Branch(models.Model):
    """A branch / sector body whose plugin provides evaluation modalities."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    plugin_name = models.CharField(
        _("point d'entrée du plugin"), max_length=100, help_text=_("Nom dans le groupe d'entry points clea.branches.")
    )

    class Meta:
        verbose_name = _("branche")
        verbose_name_plural = _("branches")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class Accreditation(models.Model):
    """An organisation accredited for a branch; revoked accreditations are kept for history.

    Every save or delete bumps ``Organisation.accreditation_version`` (the cache key of the
    per-tenant plugin dispatch). Go through ``save()``/``delete()`` or the services in
    ``clea_tenants.accreditations``; queryset ``update()`` would bypass the bump.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="accreditations")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="accreditations")
    granted_at = models.DateTimeField(_("accordée le"))
    revoked_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("habilitation")
        verbose_name_plural = _("habilitations")
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "branch"],
                condition=Q(revoked_at__isnull=True),
                name="unique_active_accreditation",
                violation_error_message=_("Cet organisme est déjà habilité pour cette branche."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("granted_at")),
                name="accreditation_revoked_after_granted",
            ),
        )

    def __str__(self) -> str:
        return f"{self.organisation_id}×{self.branch_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._bump_version()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        self._bump_version()
        return result

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def _bump_version(self) -> None:
        Organisation.objects.filter(pk=self.organisation_id).update(
            accreditation_version=F("accreditation_version") + 1
        )
