"""E-mails on journey events (tenant schema). SMTP errors are retried with back-off (see ``base``)."""

from __future__ import annotations

from typing import Any

from clea.celery import task
from clea.journey import notifications
from clea.journey.models import CandidateFileRecord, DecisionRecord
from clea.tasks.ledger import run_once
from clea_tenants.schemas import current_schema


@task("clea.tasks.notifications.notify_decision", bind=True)
def notify_decision(self: Any, file_id: int, decision_id: int) -> int:
    """Tell the candidate, counsellor and trainer about a decision; once per decision. Messages sent."""
    decision = DecisionRecord.objects.get(pk=decision_id, file_id=file_id)
    record = CandidateFileRecord.objects.select_related("candidate", "counsellor").get(pk=file_id)
    messages = notifications.messages_for_decision(record, decision)
    if not messages:
        return 0
    _, sent = run_once(
        f"{current_schema()}:notify:decision:{decision_id}",
        lambda: notifications.send(messages),
        task_name=self.name,
        task_id=self.request.id or "",
    )
    return sent or 0
