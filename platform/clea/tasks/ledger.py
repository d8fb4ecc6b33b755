"""Idempotency: a task's effect happens at most once per key.

    run_once(f"{schema}:document:{decision_id}", lambda: make_the_document(...))

The key is claimed with ``INSERT ... ON CONFLICT DO NOTHING`` in the same transaction as the effect:

* delivered twice in a row: the second delivery finds the key and skips;
* delivered twice at the same time: PostgreSQL makes the second insert wait for the first transaction,
  then skip (committed) or proceed (rolled back);
* worker killed mid-effect: the connection drops, the transaction (key included) rolls back, and the
  redelivered message does the work once.

Effects outside the database (an e-mail sent, a file written) are at-least-once: they run before the
commit, so a crash between them and the commit repeats them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import connection, transaction

from clea.tasks.models import TaskExecution
from clea_tenants.schemas import current_schema

T = TypeVar("T")

_CLAIM = (
    'INSERT INTO "public"."{table}" (key, task_name, task_id, schema_name, done_at) '
    "VALUES (%s, %s, %s, %s, now()) ON CONFLICT (key) DO NOTHING RETURNING id"
)


def claim(key: str, task_name: str = "", task_id: str = "") -> bool:
    """Record ``key`` in the ledger; ``False`` when it is already there. Call inside ``transaction.atomic``."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM.format(table=TaskExecution._meta.db_table),
            [key, task_name, task_id or "", current_schema()],
        )
        return cursor.fetchone() is not None


def run_once(key: str, effect: Callable[[], T], *, task_name: str = "", task_id: str = "") -> tuple[bool, T | None]:
    """Run ``effect`` unless ``key`` was done already, atomically with the claim. ``(ran, result)``."""
    with transaction.atomic():
        if not claim(key, task_name, task_id):
            return False, None
        return True, effect()


def is_done(key: str) -> bool:
    return TaskExecution.objects.filter(key=key).exists()
