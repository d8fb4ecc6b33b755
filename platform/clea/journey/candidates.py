"""A candidate's details: welcoming a new person with their referral, and partial versioned changes, each in one
transaction (the API and the web both call these)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clea.accounts.models import User
from clea.journey import services
from clea.journey.models import Candidate
from clea.kernel.journey import Referral
from clea.versioning import update_versioned

EDITABLE_FIELDS: frozenset[str] = frozenset({"first_name", "last_name", "birth_date", "email", "phone"})


def update_candidate(candidate_id: int, changes: dict[str, Any], expected_version: int | None) -> Candidate:
    """Write only the fields in ``changes``; ``expected_version`` (the version the caller read, from
    ``If-Match`` or the body) must still be the stored one, else ``version_conflict`` (HTTP 409)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return update_versioned(Candidate, candidate_id, changes, expected_version, what_fr="Ce candidat")


def welcome_new_candidate(details: dict[str, Any], counsellor: User, referral: Referral | None) -> services.Loaded:
    """R1: create the person and record the welcome (with the prescriber's referral) in one transaction: if the
    welcome fails (a kernel rule, a branch plugin), no candidate is left without a file."""
    unknown = set(details) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        candidate = Candidate.objects.create(**details)
        return services.do_refer(candidate, counsellor, referral)
