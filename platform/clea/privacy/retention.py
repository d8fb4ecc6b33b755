"""The daily purge (``clea.tasks.retention.purge_expired_data``), run in every active organisation.

With the organisation's :class:`~clea.privacy.models.RetentionPolicy`:
* candidates whose files are all closed since more than ``closed_file_months`` are erased;
* welcomes that never became a file (no consent) older than ``unopened_file_months`` are erased;
* evidence of files closed since more than ``evidence_months`` is deleted (rows and storage);
* sign-in logs (django-axes) older than ``login_log_months`` are deleted.

Dates are those of each file's last decision. Each candidate is erased in its own transaction.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from functools import partial
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from clea.audit.trail import append
from clea.journey.models import Candidate, CandidateFileRecord, Evidence
from clea.kernel.journey import FileState
from clea.privacy.erasure import erase_candidate
from clea.privacy.models import ErasureRecord, RetentionPolicy
from clea.versioning import update_versioned

logger = logging.getLogger(__name__)

CLOSED_STATES: tuple[str, ...] = (
    FileState.CERTIFIED.value,
    FileState.REFUSED.value,
    FileState.WITHDRAWN.value,
    FileState.TRANSFERRED.value,
    FileState.EXPIRED.value,
)
ACTOR = "system:retention"


def months_before(day: date, months: int) -> datetime:
    """Midnight (local time) ``months`` calendar months before ``day`` (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + (day.month - 1) - months, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            target = date(year, month, candidate_day)
            break
        except ValueError:
            continue
    return timezone.make_aware(datetime.combine(target, time.min))


def update_policy(changes: dict[str, Any], expected_version: int | None, actor: Any) -> RetentionPolicy:
    """An administrator changes the periods: only those sent, at the version read, recorded in the audit trail
    in the same transaction."""
    with transaction.atomic():
        RetentionPolicy.current()
        policy = update_versioned(
            RetentionPolicy,
            1,
            {**changes, "updated_by": f"user:{actor.pk}"},
            expected_version,
            what_fr="La politique de conservation",
        )
        append("privacy.retention_changed", actor=actor, object_ref="retention-policy", detail=dict(changes))
    return policy


def candidates_to_erase(policy: RetentionPolicy, day: date) -> list[int]:
    closed_before = months_before(day, policy.closed_file_months)
    unopened_before = months_before(day, policy.unopened_file_months)
    erased = ErasureRecord.objects.values("candidate_id")
    files = CandidateFileRecord.objects.annotate(last_decision=Max("decisions__at"))
    # a candidate is due when none of their files is still "young" or active
    young_or_active = files.filter(
        ~Q(state__in=(*CLOSED_STATES, FileState.REFERRED.value))
        | Q(state__in=CLOSED_STATES, last_decision__gte=closed_before)
        | Q(state=FileState.REFERRED.value, created_at__gte=unopened_before)
    ).values("candidate_id")
    due = (
        Candidate.objects.filter(files__isnull=False)
        .exclude(pk__in=erased)
        .exclude(pk__in=young_or_active)
        .distinct()
        .values_list("pk", flat=True)
    )
    return list(due)


def purge_evidence(policy: RetentionPolicy, day: date) -> int:
    closed_before = months_before(day, policy.evidence_months)
    old_files = (
        CandidateFileRecord.objects.filter(state__in=CLOSED_STATES)
        .annotate(last_decision=Max("decisions__at"))
        .filter(last_decision__lt=closed_before)
        .values("pk")
    )
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().filter(file_id__in=old_files)
        names = [str(n) for n in evidence.values_list("content", flat=True) if n]
        count = len(names)
        if count:
            file_ids = sorted(set(evidence.values_list("file_id", flat=True)))
            evidence.delete()
            append(
                "gdpr.purge_evidence",
                actor_ref=ACTOR,
                actor_role="system",
                detail={"files": file_ids, "evidence": count},
            )
            transaction.on_commit(partial(_delete, names))
    return count


def _delete(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover
            logger.exception("could not delete %s", name)


def purge_login_logs(policy: RetentionPolicy, day: date) -> int:
    before = months_before(day, policy.login_log_months)
    deleted = 0
    for model, field_name in (
        (AccessLog, "attempt_time"),
        (AccessFailureLog, "attempt_time"),
        (AccessAttempt, "attempt_time"),
    ):
        count, _ = model.objects.filter(**{f"{field_name}__lt": before}).delete()
        deleted += count
    return deleted


def purge(day: date | None = None) -> dict[str, Any]:
    """Apply this organisation's retention periods on ``day`` (default today). Returns what was done."""
    day = day or timezone.localdate()
    policy = RetentionPolicy.current()
    erased = 0
    for candidate_id in candidates_to_erase(policy, day):
        erase_candidate(candidate_id, actor_ref=ACTOR, reason="retention")
        erased += 1
    return {
        "candidates_erased": erased,
        "evidence_deleted": purge_evidence(policy, day),
        "login_logs_deleted": purge_login_logs(policy, day),
    }
