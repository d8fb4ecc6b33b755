"""Which files a user may see in the organisation: one rule for the API, the web and the privacy endpoints."""

from __future__ import annotations

from django.db.models import QuerySet

from clea.accounts.models import User
from clea.accounts.roles import STAFF, Role
from clea.journey.models import CandidateFileRecord


def visible_files(user: User) -> QuerySet[CandidateFileRecord]:
    """The files a user may see in this organisation: everything for staff, their own for others."""
    files = CandidateFileRecord.objects.all()
    if user.role in STAFF:
        return files
    if user.role == Role.TRAINER:
        return files.filter(paths__trainer=user).distinct()
    if user.role == Role.CANDIDATE:
        return files.filter(candidate__user=user)
    return files.none()
