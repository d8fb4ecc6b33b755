"""DRF permission classes by role.

    permission_classes = [HasRole(Role.COUNSELLOR, Role.ADMIN)]

``HasRole`` builds a permission class accepting authenticated users holding one of the roles.
Users are per schema, so a role is always read in the schema the request was routed to.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from clea.accounts.roles import Role


class _RolePermission(BasePermission):
    roles: frozenset[str] = frozenset()
    message = "Votre rôle ne permet pas cette action. / Your role does not allow this action."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user: Any = request.user
        return bool(user and user.is_authenticated and user.is_active and user.role in self.roles)


def HasRole(*roles: str) -> type[BasePermission]:
    """A permission class admitting authenticated users whose role is one of ``roles``."""
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise ValueError(f"unknown roles: {sorted(unknown)}" if unknown else "at least one role is required")
    name = "HasRole_" + "_".join(sorted(roles))
    return type(name, (_RolePermission,), {"roles": frozenset(roles)})


IsOrganisationAdmin = HasRole(Role.ADMIN)
IsCounsellor = HasRole(Role.COUNSELLOR, Role.ADMIN)
IsTrainer = HasRole(Role.TRAINER)
IsCandidate = HasRole(Role.CANDIDATE)
IsFederationAdmin = HasRole(Role.FEDERATION_ADMIN)
IsAnalyst = HasRole(Role.ANALYST, Role.FEDERATION_ADMIN)
IsJuryMember = HasRole(Role.JURY_MEMBER)
