"""Lifecycle of an organisation after creation: suspension, reactivation, deletion."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from clea_tenants.models import Organisation, OrganisationStatus


class ExportRequired(Exception):
    """Deletion refused: the organisation's data was never exported in full."""

    code = "export_required_conflict"

    def __init__(self) -> None:
        super().__init__(
            _("Suppression refusée : faites d'abord un export complet de l'organisme (export_organisation).")
        )


def set_status(organisation: Organisation, status: OrganisationStatus) -> Organisation:
    Organisation.objects.filter(pk=organisation.pk).update(status=status)
    organisation.status = status
    return organisation


def suspend(organisation: Organisation) -> Organisation:
    """Read-only: the tenant keeps answering reads; every write is refused (423)."""
    return set_status(organisation, OrganisationStatus.SUSPENDED)


def reactivate(organisation: Organisation) -> Organisation:
    return set_status(organisation, OrganisationStatus.ACTIVE)


def delete_organisation(organisation: Organisation) -> None:
    """Drop the schema and the rows, only once a full export exists."""
    if organisation.last_export_at is None:
        raise ExportRequired()
    with transaction.atomic():
        set_status(organisation, OrganisationStatus.DELETING)
        with connection.cursor() as cursor:
            # Deferred foreign-key checks pending in this transaction would block DROP SCHEMA.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        organisation.delete(force_drop=True)
