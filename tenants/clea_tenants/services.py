"""Lifecycle of an organisation after creation: suspension, reactivation, deletion."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from clea.versioning import bump, check_version
from clea_tenants.models import Organisation, OrganisationStatus


class ExportRequired(Exception):
    """Deletion refused: the organisation's data was never exported in full."""

    code = "export_required_conflict"

    def __init__(self) -> None:
        super().__init__(
            _("Suppression refusée : faites d'abord un export complet de l'organisme (export_organisation).")
        )


def set_status(
    organisation: Organisation, status: OrganisationStatus, expected_version: int | None = None
) -> Organisation:
    """Change the status at the version the caller read (else ``version_conflict``)."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        check_version(locked, expected_version, "Cet organisme")
        locked.status = status
        bump(locked, ("status",))
    organisation.status, organisation.version = locked.status, locked.version
    return organisation


def suspend(organisation: Organisation, expected_version: int | None = None) -> Organisation:
    """Read-only: the tenant keeps answering reads; every write is refused (423)."""
    return set_status(organisation, OrganisationStatus.SUSPENDED, expected_version)


def reactivate(organisation: Organisation, expected_version: int | None = None) -> Organisation:
    return set_status(organisation, OrganisationStatus.ACTIVE, expected_version)


def delete_organisation(organisation: Organisation, expected_version: int | None = None) -> None:
    """Drop the schema and the rows, only once a full export exists."""
    if organisation.last_export_at is None:
        raise ExportRequired()
    with transaction.atomic():
        set_status(organisation, OrganisationStatus.DELETING, expected_version)
        with connection.cursor() as cursor:
            # Deferred foreign-key checks pending in this transaction would block DROP SCHEMA.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        organisation.delete(force_drop=True)
