"""Second factor of the federation's people: backup codes (self-service) and a device reset by an administrator.

Both are audited in the public trail (who, for whom, why); the codes themselves are never logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from clea.accounts import backup_codes
from clea.accounts.roles import FEDERATION_ROLES
from clea.audit.trail import append


def federation_people(query: str = "") -> QuerySet[Any]:
    people = get_user_model().objects.filter(role__in=FEDERATION_ROLES).order_by("username")
    return people.filter(username__icontains=query) if query else people


def issue_backup_codes(user: Any) -> list[str]:
    with transaction.atomic():
        codes = backup_codes.issue(user)
        append("otp.backup_codes_issued", actor=user, object_ref=f"user:{user.pk}", detail={"count": len(codes)})
    return codes


def reset_second_factor(target: Any, reason: str, actor: Any) -> int:
    """Remove the person's devices (lost phone and codes): the next sign-in enrols a new authenticator."""
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de la réinitialisation (vérification d'identité faite)."})
    if target.role not in FEDERATION_ROLES:
        raise ValidationError({"user": "Seuls les comptes de la fédération ont un second facteur."})
    with transaction.atomic():
        removed = backup_codes.reset_devices(target)
        append(
            "otp.reset",
            actor=actor,
            object_ref=f"user:{target.pk}",
            detail={"username": target.username, "reason": reason.strip(), "devices_removed": removed},
        )
    return removed
