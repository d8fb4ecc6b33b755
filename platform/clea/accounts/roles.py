"""Roles, and which schema each one belongs to.

Tenant roles exist only in an organisation's schema, federation roles only in the public schema.
Each role also exists as an ``auth.Group`` of the same name (created in the tenant template, so
every new organisation starts with them).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # organisation (tenant schema)
    ADMIN = "admin", _("Administrateur de l'organisme")
    COUNSELLOR = "counsellor", _("Conseiller")
    TRAINER = "trainer", _("Formateur")
    CANDIDATE = "candidate", _("Candidat")
    # federation (public schema)
    FEDERATION_ADMIN = "federation_admin", _("Administrateur de la fédération")
    ANALYST = "analyst", _("Analyste")
    JURY_MEMBER = "jury_member", _("Membre de jury")
    PRESCRIBER = "prescriber", _("Prescripteur")  # public schema; its organisation is clea.prescribers' member


TENANT_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.COUNSELLOR, Role.TRAINER, Role.CANDIDATE})
FEDERATION_ROLES: frozenset[str] = frozenset(
    {Role.FEDERATION_ADMIN, Role.ANALYST, Role.JURY_MEMBER, Role.PRESCRIBER}
)
# The organisation's staff: they see every file of the organisation (API, web and privacy endpoints alike).
STAFF: tuple[str, ...] = (Role.ADMIN, Role.COUNSELLOR)
# Who may train a candidate (R7 still keeps the candidate's evaluators out) and take progress notes.
TRAINERS: tuple[str, ...] = (Role.TRAINER, *STAFF)


def roles_for_schema(schema_name: str, public_schema_name: str = "public") -> frozenset[str]:
    """The roles a user may hold in ``schema_name``."""
    return FEDERATION_ROLES if schema_name == public_schema_name else TENANT_ROLES


def ensure_role_groups(roles: frozenset[str]) -> None:
    """Create one ``auth.Group`` per role in the current schema (idempotent, one query if done)."""

    existing = set(Group.objects.filter(name__in=roles).values_list("name", flat=True))
    Group.objects.bulk_create([Group(name=name) for name in sorted(roles - existing)])
