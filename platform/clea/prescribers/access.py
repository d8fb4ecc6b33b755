"""Who sees what: a prescriber sees only its own organisation's referrals, and a person only while they
consent to share (R1). Every page and endpoint reads through these functions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clea.accounts.roles import Role
from clea.prescribers.models import Cohort, PrescriberMember, Referral


def member_of(user: Any) -> PrescriberMember | None:
    """The membership of a signed-in, active ``prescriber`` user of an approved organisation."""
    if not (user and user.is_authenticated and user.is_active and getattr(user, "role", "") == Role.PRESCRIBER):
        return None
    member = PrescriberMember.objects.select_related("organisation").filter(user=user).first()
    if member is None or not member.organisation.is_approved:
        return None
    return member


def visible_referrals(member: PrescriberMember) -> QuerySet[Referral]:
    """The organisation's referrals whose person has not withdrawn consent (a withdrawn one is hidden)."""
    return (
        Referral.objects.filter(prescriber=member.organisation, consent_withdrawn_at__isnull=True)
        .select_related("organisation", "cohort")
        .order_by("-created_at", "-id")
    )


def visible_cohorts(member: PrescriberMember) -> QuerySet[Cohort]:
    return Cohort.objects.filter(prescriber=member.organisation).select_related("organisation")
