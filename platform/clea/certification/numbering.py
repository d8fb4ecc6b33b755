"""Numbers allocated under a row lock: certificate sequences per year, status list indexes.

A counter row is created once (``INSERT … ON CONFLICT DO NOTHING``) then locked (``SELECT … FOR UPDATE``)
for the rest of the caller's transaction: two juries certifying at the same time get consecutive numbers,
and a rolled-back certification gives its number back. ``Certificate.number`` is unique as a last guard.
"""

from __future__ import annotations

from django.db import connection, transaction

from clea.certification.models import Counter
from clea.kernel.jury import certificate_number

STATUS_LIST_COUNTER = "status-list"


def next_value(name: str) -> int:
    """The next value of counter ``name`` (1, 2, …); must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "public"."{Counter._meta.db_table}" (name, value) VALUES (%s, 0) '
            "ON CONFLICT (name) DO NOTHING",
            [name],
        )
    counter = Counter.objects.select_for_update().get(name=name)
    counter.value += 1
    counter.save(update_fields=["value"])
    return int(counter.value)


def next_certificate_number(year: int) -> str:
    """``CLEA-<year>-<sequence>-<check>``: the sequence restarts each year (kernel ``certificate_number``)."""
    return certificate_number(year, next_value(f"certificate:{year}"))


def next_status_list_index() -> int:
    """0, 1, 2, …: the certificate's bit in the federation's revocation status list."""
    return next_value(STATUS_LIST_COUNTER) - 1
