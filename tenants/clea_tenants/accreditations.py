"""Branch registry and accreditations (public schema): the federation says which organisation may use which branch.

* :func:`sync_branches` creates or updates one :class:`~clea_tenants.models.Branch` row per installed branch
  plugin (``manage.py sync_branches``; also run by ``clea_tenants.demo.migrate_everything``). Rows of plugins
  no longer installed are kept (accreditations refer to them) and reported.
* :func:`grant` / :func:`revoke` change an organisation's accreditations. Each change goes through
  ``Accreditation.save()``, which bumps ``Organisation.accreditation_version``: the per-tenant plugin caller
  (``clea.journey.branches.tenant_branches``) is rebuilt on the organisation's next request.

Refusals are kernel :class:`~clea.kernel.errors.DomainError` (HTTP 400 through the API error handler).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from clea.kernel.errors import DomainError
from clea.versioning import version_conflict
from clea_plugins.manager import PluginHost, get_host
from clea_tenants.habilitations import record_setup_habilitation
from clea_tenants.models import Accreditation, Branch, Organisation


class UnknownBranch(DomainError):
    def __init__(self, code: str, known: list[str]) -> None:
        listed = ", ".join(known) or "aucune"
        super().__init__(
            "unknown_branch",
            None,
            f"Branche inconnue : « {code} » (branches enregistrées : {listed}).",
            f"Unknown branch {code!r} (registered branches: {', '.join(known) or 'none'}).",
        )


class BranchNotInstalled(DomainError):
    def __init__(self, code: str) -> None:
        super().__init__(
            "branch_not_installed",
            None,
            f"Le module de la branche « {code} » n'est pas installé sur la plateforme : habilitation impossible.",
            f"The plugin of branch {code!r} is not installed on the platform: it cannot be accredited.",
        )


class AlreadyAccredited(DomainError):
    def __init__(self, organisation: Organisation, code: str) -> None:
        super().__init__(
            "already_accredited",
            "R3",
            f"L'organisme « {organisation.slug} » est déjà habilité pour la branche « {code} ».",
            f"Organisation {organisation.slug!r} is already accredited for branch {code!r}.",
        )


class NotAccredited(DomainError):
    def __init__(self, organisation: Organisation, code: str) -> None:
        super().__init__(
            "not_accredited",
            "R3",
            f"L'organisme « {organisation.slug} » n'a pas d'habilitation active pour la branche « {code} ».",
            f"Organisation {organisation.slug!r} has no active accreditation for branch {code!r}.",
        )


@dataclass(frozen=True)
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_installed: list[str] = field(default_factory=list)  # rows kept: their plugin is gone or blocked


def sync_branches(host: PluginHost | None = None) -> SyncReport:
    """One ``Branch`` row per installed plugin, named after its identity (public schema, idempotent)."""
    host = host or get_host()
    report = SyncReport()
    identities = host.identities()
    with transaction.atomic():
        existing = {branch.code: branch for branch in Branch.objects.select_for_update()}
        for code, identity in sorted(identities.items()):
            branch = existing.get(code)
            if branch is None:
                Branch.objects.create(code=code, name=identity.name, plugin_name=code)
                report.created.append(code)
            elif (branch.name, branch.plugin_name) != (identity.name, code):
                branch.name, branch.plugin_name = identity.name, code
                branch.save(update_fields=["name", "plugin_name"])
                report.updated.append(code)
            else:
                report.unchanged.append(code)
        report.not_installed.extend(sorted(set(existing) - set(identities)))
    return report


def active_codes(organisation: Organisation) -> frozenset[str]:
    return frozenset(
        Accreditation.objects.filter(organisation=organisation, revoked_at__isnull=True).values_list(
            "branch__code", flat=True
        )
    )


def accreditations_of(organisation: Organisation) -> list[Accreditation]:
    """Every accreditation of the organisation, active first, then the revoked ones (history), newest first."""
    return list(
        Accreditation.objects.filter(organisation=organisation)
        .select_related("branch")
        .order_by("-revoked_at", "branch__code", "-granted_at")
    )


def _branch(code: str, host: PluginHost | None) -> Branch:
    branch = Branch.objects.filter(code=code).first()
    if branch is None:
        raise UnknownBranch(code, list(Branch.objects.order_by("code").values_list("code", flat=True)))
    if branch.code not in (host or get_host()).codes:
        raise BranchNotInstalled(branch.code)
    return branch


def _lock(organisation: Organisation, expected_version: int | None = None) -> None:
    """Serialise accreditation changes of one organisation (the row lock also orders the version bumps);
    ``expected_version``: the ``accreditation_version`` the caller read (else ``version_conflict``)."""
    stored = (
        Organisation.objects.select_for_update()
        .filter(pk=organisation.pk)
        .values_list("accreditation_version", flat=True)
        .first()
    )
    if expected_version is not None and stored is not None and stored != expected_version:
        raise version_conflict(stored, expected_version, "Les habilitations de cet organisme")


def grant(
    organisation: Organisation,
    code: str,
    *,
    now: datetime | None = None,
    host: PluginHost | None = None,
    expected_version: int | None = None,
) -> Accreditation:
    """Accredit ``organisation`` for branch ``code``; bumps its accreditation version."""
    with transaction.atomic():
        branch = _branch(code, host)
        _lock(organisation, expected_version)
        if Accreditation.objects.filter(organisation=organisation, branch=branch, revoked_at__isnull=True).exists():
            raise AlreadyAccredited(organisation, code)
        accreditation = Accreditation(organisation=organisation, branch=branch, granted_at=now or timezone.now())
        try:
            with transaction.atomic():
                accreditation.save()
        except IntegrityError as error:  # the partial unique index: a concurrent grant won
            raise AlreadyAccredited(organisation, code) from error
    organisation.refresh_from_db(fields=["accreditation_version"])
    return accreditation


def revoke(
    organisation: Organisation, code: str, *, now: datetime | None = None, expected_version: int | None = None
) -> Accreditation:
    """End the active accreditation (kept for history); bumps the accreditation version."""
    with transaction.atomic():
        _lock(organisation, expected_version)
        accreditation = (
            Accreditation.objects.select_related("branch")
            .filter(organisation=organisation, branch__code=code, revoked_at__isnull=True)
            .first()
        )
        if accreditation is None:
            raise NotAccredited(organisation, code)
        accreditation.revoked_at = max(now or timezone.now(), accreditation.granted_at)
        accreditation.save(update_fields=["revoked_at"])
    organisation.refresh_from_db(fields=["accreditation_version"])
    return accreditation


SETUP_HISTORY_YEARS = 10  # demo journeys start up to 5 years back (R8): the set-up habilitation covers them
SETUP_VALIDITY_YEARS = 5


def ensure_accredited(organisation: Organisation, codes: tuple[str, ...] | list[str]) -> None:
    """Grant the missing ones among ``codes`` (demo and test set-up; idempotent).

    Each also gets a granted CléA habilitation of the organisation's head establishment (R14), covering the
    past ``SETUP_HISTORY_YEARS`` years (seeded journeys start in the past) and the next ``SETUP_VALIDITY_YEARS``.
    """
    missing = set(codes) - active_codes(organisation)
    for code in sorted(missing):
        grant(organisation, code)
    today = timezone.localdate()
    for accreditation in Accreditation.objects.filter(
        organisation=organisation, branch__code__in=codes, revoked_at__isnull=True
    ):
        record_setup_habilitation(
            organisation,
            accreditation.branch_id,
            today.replace(year=today.year - SETUP_HISTORY_YEARS, day=1),
            today.replace(year=today.year + SETUP_VALIDITY_YEARS, day=1),
        )
