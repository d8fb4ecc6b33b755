"""The one seam between journey decisions and asynchronous work.

``services.apply_transition`` and ``services.do_refer`` call :func:`emit` right after saving a decision.
The accredited branch plugins' ``clea_journey_event`` hook runs first, synchronously, inside the decision's
transaction: a plugin raising (``PluginError``) rolls the decision back.
The follow-up tasks (national fact, e-mails, documents) are written to the outbox (``clea.outbox``) in the
decision's transaction, for the schema the decision was taken in: nothing is sent if the transaction rolls
back, a task never sees a decision that is not committed yet, and a broker that is down at commit time only
delays them (the outbox relays them once it is back).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clea.audit.access import record_decision
from clea.journey import branches, repository
from clea.journey.models import CandidateFileRecord, DecisionRecord
from clea.kernel.journey import DecisionKind, FileState
from clea.outbox.writer import enqueue_many
from clea_tenants.schemas import current_schema

logger = logging.getLogger(__name__)

# Decisions after which the candidate stops before certification: R12 gives them an attestation of what
# is acquired.
ATTESTATION_AFTER: frozenset[tuple[str, str]] = frozenset(
    {
        (DecisionKind.WITHDRAWN.value, FileState.WITHDRAWN.value),
        (DecisionKind.EXPIRED.value, FileState.EXPIRED.value),
        (DecisionKind.JURY_DECISION.value, FileState.REFUSED.value),
    }
)
SILENT: frozenset[str] = frozenset(
    {DecisionKind.WELCOMED.value, DecisionKind.TRANSFERRED_OUT.value, DecisionKind.TRANSFERRED_IN.value}
)


@dataclass(frozen=True)
class JourneyEvent:
    schema_name: str
    file_id: int
    decision_id: int
    kind: str
    to_state: str


def followups(event: JourneyEvent) -> list[str]:
    """Names of the tasks that follow a decision."""
    names = ["clea.tasks.facts.publish_decision_fact"]
    if event.kind not in SILENT:
        names.append("clea.tasks.notifications.notify_decision")
    if (event.kind, event.to_state) in ATTESTATION_AFTER:
        names.append("clea.tasks.documents.generate_partial_attestation")
    return names


def emit(record: CandidateFileRecord, decision: DecisionRecord) -> None:
    """Tell the accredited branch plugins (now), then record the follow-up tasks of ``decision`` (outbox).

    A plugin's ``enqueue(task_name, args, kwargs)`` writes to the same outbox, for the same schema.
    """
    schema = current_schema()

    def enqueue_for_plugin(task_name: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None) -> None:
        enqueue_many([(task_name, list(args), dict(kwargs or {}))], schema_name=schema)

    branches.notify_journey_event(repository.decision_from_record(decision), enqueue=enqueue_for_plugin)
    record_decision(int(record.pk), decision)  # the audit trail, in the decision's transaction (clea.audit)
    event = JourneyEvent(schema, int(record.pk), int(decision.pk), decision.kind, decision.to_state)
    enqueue_many([(name, [event.file_id, event.decision_id], {}) for name in followups(event)], schema_name=schema)
