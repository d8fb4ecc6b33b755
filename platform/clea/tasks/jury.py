"""Jury decisions flowing back from the federation (public schema) to the organisation's file."""

from __future__ import annotations

from typing import Any

from django_tenants.utils import schema_context

from clea.celery import task
from clea.certification.models import JurySubmission, SubmissionStatus
from clea.journey import services
from clea.kernel.journey import Actor
from clea.tasks.ledger import run_once


@task("clea.tasks.jury.record_jury_decision", bind=True)
def record_jury_decision(self: Any, submission_id: int) -> str:
    """Enter the organisation's schema and record the jury's outcome on the file (R12), once per decision."""
    submission = JurySubmission.objects.select_related("organisation").get(pk=submission_id)
    if submission.status == SubmissionStatus.PENDING:
        return "pending"
    schema = submission.organisation.schema_name
    decided = submission.decided_at.isoformat() if submission.decided_at else ""
    actor = Actor(f"jury:submission:{submission.pk}", "jury", "public")
    with schema_context(schema):
        ran, _ = run_once(
            f"{schema}:jury:{submission.pk}:{submission.status}:{decided}",
            lambda: services.do_record_jury_outcome(
                int(submission.file_ref),
                str(submission.status),
                actor,
                reasons=submission.reasons,
                certificate_number=submission.certificate_number,
            ),
            task_name=self.name,
            task_id=self.request.id or "",
        )
    return str(submission.status) if ran else "already recorded"
