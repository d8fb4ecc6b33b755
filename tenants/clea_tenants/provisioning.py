"""Creating an evaluating organisation: schema, domain, role groups and first admin, atomically.

    provision_organisation(name, slug, siret, region, contact_email, admin_email, admin_password)

The schema is a clone of the tenant template (see ``clea_tenants.template``), prepared first if it
is missing or stale. Everything else happens in one transaction: on any error, no row, schema or
user is left behind (PostgreSQL DDL is transactional).

For the API, ``request_provisioning`` records a ``ProvisioningJob`` and hands it to
``dispatch_provisioning``, which sends it to a Celery worker (``clea.tasks.provisioning``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from clea.accounts.roles import TENANT_ROLES, Role, ensure_role_groups
from clea.outbox.writer import enqueue
from clea_tenants.models import Domain, Organisation, ProvisioningJob, ProvisioningStatus
from clea_tenants.regions import Region
from clea_tenants.template import ensure_template
from clea_tenants.validators import schema_name_for, validate_siret, validate_slug

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    slug: str
    siret: str
    region: str
    contact_email: str
    admin_email: str


def _field_errors(data: OrganisationInput) -> dict[str, list[str]]:
    checks: dict[str, Callable[[str], None]] = {
        "slug": validate_slug,
        "siret": validate_siret,
        "contact_email": validate_email,
        "admin_email": validate_email,
    }
    errors: dict[str, list[str]] = {}
    for field, check in checks.items():
        try:
            check(getattr(data, field))
        except ValidationError as exc:
            errors[field] = list(exc.messages)
    if not data.name.strip():
        errors["name"] = [_("Le nom est obligatoire.")]
    if data.region not in Region.values:
        errors["region"] = [_("Région inconnue : %(value)s.") % {"value": data.region}]
    return errors


def validate_input(data: OrganisationInput, *, pending_ok_for: int | None = None) -> None:
    """Raise ``ValidationError({field: [messages]})`` when the input cannot be provisioned."""
    errors = _field_errors(data)
    if "slug" not in errors:
        taken = Organisation.objects.filter(slug=data.slug).exists() or Organisation.objects.filter(
            schema_name=schema_name_for(data.slug)
        ).exists()
        open_jobs = ProvisioningJob.objects.filter(
            slug=data.slug, status__in=[ProvisioningStatus.PENDING, ProvisioningStatus.RUNNING]
        )
        if pending_ok_for is not None:
            open_jobs = open_jobs.exclude(pk=pending_ok_for)
        if taken or open_jobs.exists():
            errors["slug"] = [_("Un organisme avec l'identifiant « %(slug)s » existe déjà.") % {"slug": data.slug}]
    if errors:
        raise ValidationError(errors)


def provision_organisation(
    name: str,
    slug: str,
    siret: str,
    region: str,
    contact_email: str,
    admin_email: str,
    admin_password: str,
) -> Organisation:
    """Create an organisation with its schema, primary domain, role groups and admin user."""
    data = OrganisationInput(name, slug, siret, region, contact_email, admin_email)
    validate_input(data)
    try:
        validate_password(admin_password)
    except ValidationError as exc:
        raise ValidationError({"admin_password": list(exc.messages)}) from exc
    return provision_with_password_hash(data, make_password(admin_password))


def provision_with_password_hash(
    data: OrganisationInput, admin_password_hash: str, *, job_id: int | None = None
) -> Organisation:
    """The provisioning itself, from validated input and an already hashed admin password."""
    validate_input(data, pending_ok_for=job_id)
    ensure_template()  # outside the transaction: a (re)built template is committed and reused
    try:
        with transaction.atomic():
            organisation = Organisation(
                schema_name=schema_name_for(data.slug),
                name=data.name,
                slug=data.slug,
                siret=data.siret,
                region=data.region,
                contact_email=data.contact_email,
            )
            organisation.save(verbosity=0)  # clones the template schema (auto_create_schema)
            Domain.objects.create(domain=primary_domain_for(data.slug), tenant=organisation, is_primary=True)
            with schema_context(organisation.schema_name):
                ensure_role_groups(TENANT_ROLES)
                _create_admin(data.admin_email, admin_password_hash)
    except IntegrityError as exc:  # lost a race on a unique slug / schema / domain
        raise ValidationError({"slug": [_("Un organisme avec cet identifiant existe déjà.")]}) from exc
    return organisation


def primary_domain_for(slug: str) -> str:
    return f"{slug}.{settings.CLEA_BASE_DOMAIN}"


def _create_admin(email: str, password_hash: str) -> None:
    user_model = get_user_model()
    user: Any = user_model(username=email, email=email, role=Role.ADMIN, password=password_hash)
    user.save()
    user.groups.add(Group.objects.get(name=Role.ADMIN))


# --- asynchronous-ready front door (API) -----------------------------------------------------------


def request_provisioning(data: OrganisationInput, admin_password: str) -> ProvisioningJob:
    """Validate, record a job, and dispatch it. The caller answers 202 with the job's status URL."""
    validate_input(data)
    job = ProvisioningJob.objects.create(**asdict(data), admin_password_hash=make_password(admin_password))
    dispatch_provisioning(job.pk)
    job.refresh_from_db()
    return job


def dispatch_provisioning(job_id: int) -> None:
    """Hand the job to a worker (``clea.tasks.provisioning``) through the outbox, in the job's transaction."""
    with transaction.atomic():
        enqueue("clea.tasks.provisioning.provision_organisation", [job_id], schema_name="public")


def run_provisioning_job(job_id: int) -> ProvisioningJob:
    """Execute one job (the body of the Celery task). Never raises for bad input."""
    job = ProvisioningJob.objects.get(pk=job_id)
    if job.status not in (ProvisioningStatus.PENDING, ProvisioningStatus.FAILED):
        return job
    ProvisioningJob.objects.filter(pk=job.pk).update(status=ProvisioningStatus.RUNNING)
    data = OrganisationInput(job.name, job.slug, job.siret, job.region, job.contact_email, job.admin_email)
    try:
        organisation = provision_with_password_hash(data, job.admin_password_hash, job_id=job.pk)
    except ValidationError as exc:
        job.status, job.error = ProvisioningStatus.FAILED, "; ".join(exc.messages)
    except Exception:
        logger.exception("provisioning of %s failed", job.slug)
        job.status, job.error = ProvisioningStatus.FAILED, _("Erreur interne pendant la création.")
    else:
        job.status, job.organisation, job.error = ProvisioningStatus.READY, organisation, ""
    job.admin_password_hash = ""  # not needed any more
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "organisation", "error", "admin_password_hash", "finished_at"])
    return job
