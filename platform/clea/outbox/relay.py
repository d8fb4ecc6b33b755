"""Sending outbox rows to the broker: right after their commit, then periodically until they are sent.

A row is sent as the Celery task it names, in its schema (message header), with ``outbox-<id>`` as task id.
Sending never raises: a broker that cannot be reached leaves the row pending with its error, and the next
attempt waits ``CLEA_OUTBOX_RETRY_BACKOFF`` × 2ⁿ seconds (at most ``CLEA_OUTBOX_RETRY_BACKOFF_MAX``). Rows
are locked while they are sent (``FOR UPDATE SKIP LOCKED``), so concurrent relays never send one row twice;
a relay killed between sending and marking sends the row again later, and the task's ledger keeps its
effect single.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clea.celery import app
from clea.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelayOutcome:
    sent: int = 0
    deferred: int = 0
    failed: int = 0


def pending() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(sent_at__isnull=True, failed_at__isnull=True)


def given_up() -> QuerySet[OutboxMessage]:
    """Rows that could not be sent after every attempt, newest first (listed beside the failed tasks)."""
    return OutboxMessage.objects.filter(failed_at__isnull=False, sent_at__isnull=True).order_by("-failed_at")


def relay_messages(ids: Iterable[int]) -> RelayOutcome:
    """Send the given rows now (after their transaction's commit), whatever their back-off."""
    return _relay(pending().filter(pk__in=list(ids)))


def relay_due(limit: int = 500) -> RelayOutcome:
    """Send the pending rows whose next attempt is due, oldest first (beat, worker start)."""
    total = RelayOutcome()
    while True:
        outcome = _relay(pending().filter(next_attempt_at__lte=timezone.now()), limit=limit)
        total = RelayOutcome(
            total.sent + outcome.sent, total.deferred + outcome.deferred, total.failed + outcome.failed
        )
        if outcome.sent < limit or outcome.deferred or outcome.failed:
            return total


def resend(message: OutboxMessage) -> RelayOutcome:
    """An admin's "send again" of a row given up on: pending again, sent now."""
    OutboxMessage.objects.filter(pk=message.pk).update(failed_at=None, next_attempt_at=timezone.now())
    return relay_messages([int(message.pk)])


def _relay(rows: QuerySet[OutboxMessage], limit: int = 500) -> RelayOutcome:
    sent = deferred = failed = 0
    with transaction.atomic():
        batch = list(rows.select_for_update(skip_locked=True).order_by("id")[:limit])
        if not batch:
            return RelayOutcome()
        error = _send(batch)
        now = timezone.now()
        if error is None:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in batch]).update(sent_at=now, last_error="")
            return RelayOutcome(sent=len(batch))
        for message in batch:
            message.attempts += 1
            message.last_error = error[:2000]
            if message.attempts >= settings.CLEA_OUTBOX_MAX_ATTEMPTS:
                message.failed_at = now
                failed += 1
            else:
                message.next_attempt_at = now + _backoff(message.attempts)
                deferred += 1
        OutboxMessage.objects.bulk_update(batch, ["attempts", "last_error", "failed_at", "next_attempt_at"])
    logger.warning("outbox: broker unreachable, %s row(s) deferred, %s given up: %s", deferred, failed, error)
    return RelayOutcome(sent, deferred, failed)


def _backoff(attempts: int) -> timedelta:
    seconds = min(settings.CLEA_OUTBOX_RETRY_BACKOFF * 2 ** (attempts - 1), settings.CLEA_OUTBOX_RETRY_BACKOFF_MAX)
    return timedelta(seconds=seconds)


def _send(batch: list[OutboxMessage]) -> str | None:
    """Publish every row of ``batch`` on one broker connection; the error's text if the broker failed."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=settings.CLEA_OUTBOX_CONNECT_RETRIES)
            producer = app.amqp.Producer(connection)
            for message in batch:
                app.send_task(
                    message.task_name,
                    args=list(message.args),
                    kwargs=dict(message.kwargs),
                    task_id=message.task_id,
                    headers={"_schema_name": message.schema_name},
                    producer=producer,
                    retry=False,
                )
    except Exception as exc:  # any broker or transport error: the rows stay pending, the caller goes on
        return f"{type(exc).__name__}: {exc}"
    return None


def outstanding_summary() -> dict[str, int]:
    """Counts for the health detail and the failed-tasks page."""
    now = timezone.now()
    return {
        "pending": pending().count(),
        "overdue": pending().filter(Q(next_attempt_at__lte=now - timedelta(minutes=5))).count(),
        "given_up": given_up().count(),
    }
