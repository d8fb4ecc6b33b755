"""The evidence file grows along the path (issue 13 §4, R6): the candidate's own uploads wait for a review.

A piece the candidate uploads from the portal is ``to_review`` until a counsellor (or administrator) accepts it,
or rejects it with a reason the candidate then reads in the portal. Pieces added by staff or the candidate's
trainer are accepted as they are added. Only accepted pieces may be cited by an evaluation or reach the jury
(:func:`clea.journey.services.evidence_on_file`). One service for the API and the web.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.accounts.roles import Role
from clea.journey.evidence import add_evidence
from clea.journey.models import CandidateFileRecord, Evidence, ReviewStatus
from clea.kernel.errors import DomainError

MAX_REASON = 500
DECISIONS = {"accept": ReviewStatus.ACCEPTED, "reject": ReviewStatus.REJECTED}


def upload(record: CandidateFileRecord, content: UploadedFile[Any], title: str, criterion: str, user: User) -> Evidence:
    """Adds one piece (content checked by :func:`add_evidence`); a candidate's piece waits for review."""
    with transaction.atomic():
        evidence = add_evidence(record, content, title, criterion, user)
        if user.role == Role.CANDIDATE:
            evidence.review_status = ReviewStatus.TO_REVIEW
            evidence.save(update_fields=["review_status"])
    return evidence


def review(record: CandidateFileRecord, uid: str, decision: str, reason: str, user: User) -> Evidence:
    """Accepts or rejects a piece waiting for review; a rejection needs its reason (shown to the candidate)."""
    status = DECISIONS.get(decision)
    if status is None:
        raise DomainError(
            "invalid_decision", None, "Décision inconnue : accepter ou refuser.", "Unknown decision: accept or reject."
        )
    reason = (reason or "").strip()
    if status == ReviewStatus.REJECTED and not reason:
        raise DomainError("reason_required", None, "Indiquez le motif du refus.", "A rejection needs its reason.")
    if len(reason) > MAX_REASON:
        raise DomainError(
            "reason_too_long", None, f"Motif trop long ({MAX_REASON} caractères au plus).", "Reason too long."
        )
    if not _is_uuid(uid):
        raise Evidence.DoesNotExist
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().filter(file=record, uid=uid).first()
        if evidence is None:
            raise Evidence.DoesNotExist
        if evidence.review_status != ReviewStatus.TO_REVIEW:
            raise DomainError(
                "already_reviewed", None, "Cette preuve a déjà été examinée.", "This piece was already reviewed."
            )
        evidence.review_status = status
        evidence.review_reason = reason
        evidence.reviewed_by = user
        evidence.reviewed_at = timezone.now()
        evidence.save(update_fields=["review_status", "review_reason", "reviewed_by", "reviewed_at"])
    return evidence


def not_accepted(record: CandidateFileRecord, references: list[str]) -> list[str]:
    """Among ``references``, the uploaded pieces of this file that are not accepted (to review or rejected)."""
    uids = [ref for ref in references if _is_uuid(ref)]
    if not uids:
        return []
    rows = Evidence.objects.filter(file=record, uid__in=uids).exclude(review_status=ReviewStatus.ACCEPTED)
    return sorted(str(uid) for uid in rows.values_list("uid", flat=True))


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
