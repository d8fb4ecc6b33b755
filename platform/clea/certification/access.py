"""Who may do what on the federation's juries and certificates (public schema users only).

* ``federation_admin`` plans: juries, members, sessions, convening, assigning files, revoking certificates;
* ``analyst`` reads everything, changes nothing;
* ``jury_member`` sees the sessions they are convened to (and their files' snapshots), deliberates on them
  and approves their minutes; other sessions do not exist for them (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clea.accounts.roles import Role
from clea.certification.models import JuryMember, JurySession

PLANNERS: frozenset[str] = frozenset({Role.FEDERATION_ADMIN})
READERS: frozenset[str] = frozenset({Role.FEDERATION_ADMIN, Role.ANALYST})
SESSION_READERS: frozenset[str] = frozenset({Role.FEDERATION_ADMIN, Role.ANALYST, Role.JURY_MEMBER})


def role_of(user: Any) -> str:
    if not (user and user.is_authenticated and user.is_active):
        return ""
    return str(getattr(user, "role", ""))


def member_of(user: Any) -> JuryMember | None:
    """The jury member record of a signed-in ``jury_member`` user, if any."""
    if role_of(user) != Role.JURY_MEMBER:
        return None
    return JuryMember.objects.filter(user=user, active=True).first()


def visible_sessions(user: Any) -> QuerySet[JurySession]:
    sessions = JurySession.objects.select_related("jury").prefetch_related("convened", "present", "submissions")
    role = role_of(user)
    if role in READERS:
        return sessions
    member = member_of(user)
    if member is not None:
        return sessions.filter(convened=member)
    return sessions.none()
