"""Writing follow-ups: :func:`enqueue`, called by services inside the transaction of their change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from clea.outbox.models import OutboxMessage
from clea.outbox.relay import relay_messages

# Per connection: the ids written by the transaction in progress, relayed together once it commits.
_PENDING_ATTRIBUTE = "_clea_outbox_ids"


def enqueue(
    task_name: str, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None, *, schema_name: str | None = None
) -> OutboxMessage:
    """Record that ``task_name(*args, **kwargs)`` must run in ``schema_name`` (default: the current schema)
    once the current transaction commits. Must be called inside ``transaction.atomic()``."""
    return enqueue_many([(task_name, args, kwargs or {})], schema_name=schema_name)[0]


def enqueue_many(
    tasks: Sequence[tuple[str, Sequence[Any], dict[str, Any]]], *, schema_name: str | None = None
) -> list[OutboxMessage]:
    """:func:`enqueue` for several tasks at once, in one INSERT (the follow-ups of one decision)."""
    if not connection.in_atomic_block:
        raise RuntimeError("clea.outbox.enqueue() belongs inside the transaction of the change it follows")
    schema = schema_name or str(getattr(connection, "schema_name", "public"))
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(task_name=name, args=list(args), kwargs=dict(kwargs), schema_name=schema)
            for name, args, kwargs in tasks
        ]
    )
    # One after-commit relay per transaction. Django drops the callbacks of a rolled-back transaction (or
    # savepoint): when ours is no longer registered, this is a new transaction and the list starts afresh.
    registered = any(entry[1] is _relay_this_transaction for entry in connection.run_on_commit)
    if not registered:
        setattr(connection, _PENDING_ATTRIBUTE, [])
        transaction.on_commit(_relay_this_transaction, robust=True)
    getattr(connection, _PENDING_ATTRIBUTE).extend(int(m.pk) for m in messages)
    return messages


def _relay_this_transaction() -> None:
    """After the commit: send what this transaction wrote. A module-level function, never a ``partial``:
    Django's robust ``on_commit`` names the callable (``__qualname__``) when it logs a failure."""
    ids: list[int] = getattr(connection, _PENDING_ATTRIBUTE, None) or []
    setattr(connection, _PENDING_ATTRIBUTE, None)
    if ids:
        relay_messages(ids)
