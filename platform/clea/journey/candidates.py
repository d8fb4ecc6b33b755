"""Changing a candidate's details: partial, versioned, in one transaction (API and web call this)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clea.journey.models import Candidate
from clea.kernel.errors import DomainError

EDITABLE_FIELDS: frozenset[str] = frozenset({"first_name", "last_name", "birth_date", "email", "phone"})


def update_candidate(candidate_id: int, changes: dict[str, Any], expected_version: int | None) -> Candidate:
    """Write only the fields in ``changes``; ``expected_version`` (the version the caller read, from
    ``If-Match`` or the body) must still be the stored one, else ``version_conflict`` (HTTP 409)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
        if expected_version is not None and candidate.version != expected_version:
            raise DomainError(
                "version_conflict",
                None,
                "Ce candidat a été modifié entre-temps par quelqu'un d'autre : rechargez-le avant de recommencer.",
                f"The candidate changed meanwhile (version {candidate.version}, you sent {expected_version}):"
                " reload it first.",
            )
        changed = {field: value for field, value in changes.items() if getattr(candidate, field) != value}
        if not changed:
            return candidate  # nothing to write: the version stays
        for field, value in changed.items():
            setattr(candidate, field, value)
        candidate.version += 1
        candidate.save(update_fields=[*changed, "version"])
    return candidate
