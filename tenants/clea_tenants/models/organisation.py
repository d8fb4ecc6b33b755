from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import schema_exists

from clea_tenants.regions import Region
from clea_tenants.spares import take_spare
from clea_tenants.template import clone_template
from clea_tenants.validators import SLUG_MAX_LENGTH, validate_siret, validate_slug


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspendue (lecture seule)")
    DELETING = "deleting", _("Suppression en cours")


class Organisation(TenantMixin):  # type: ignore[misc, unused-ignore]
    """An evaluating organisation (*organisme évaluateur*): one PostgreSQL schema."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.CharField(_("identifiant"), max_length=SLUG_MAX_LENGTH, unique=True, validators=[validate_slug])
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    contact_email = models.EmailField(_("courriel de contact"))
    status = models.CharField(
        _("statut"), max_length=16, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_export_at = models.DateTimeField(_("dernier export complet"), null=True, blank=True)
    accreditation_version = models.PositiveIntegerField(
        _("version des habilitations"),
        default=0,
        help_text=_("Incrémentée à chaque changement d'habilitation (clé de cache du dispatch des plugins)."),
    )
    # optimistic concurrency (clea.versioning; the tenant model cannot inherit its abstract model: django-tenants)
    version = models.PositiveIntegerField(default=1)

    auto_create_schema = True  # cloned from TENANT_BASE_SCHEMA (see clea_tenants.template)
    auto_drop_schema = False  # dropping is explicit: clea_tenants.services.delete_organisation

    class Meta:
        verbose_name = _("organisme évaluateur")
        verbose_name_plural = _("organismes évaluateurs")
        ordering = ("slug",)

    @property
    def etag(self) -> str:
        return f'"organisation-{self.pk}-{self.version}"'

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    @property
    def is_read_only(self) -> bool:
        return self.status != OrganisationStatus.ACTIVE

    def create_schema(self, check_if_exists: bool = False, sync_schema: bool = True, verbosity: int = 1) -> bool:
        """Rename a spare schema cloned ahead (``clea_tenants.spares``), else clone the template when it is
        current: its ``django_migrations`` rows come along, so there is nothing left to fake. Otherwise
        django-tenants' own path (clone + fake, or replay)."""

        fresh = not (check_if_exists and schema_exists(self.schema_name))
        if sync_schema and fresh and (take_spare(self.schema_name) or clone_template(self.schema_name)):
            return True
        result: bool = super().create_schema(check_if_exists, sync_schema, verbosity)
        return result


class Domain(DomainMixin):  # type: ignore[misc, unused-ignore]
    """A host name routed to an organisation (``<slug>.<CLEA_BASE_DOMAIN>`` is the primary one)."""

    class Meta:
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")

    def __str__(self) -> str:
        return str(self.domain)
