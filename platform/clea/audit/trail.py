"""The hash chain: append under a per-schema lock, verify by recomputing every hash.

Each schema (an organisation's, or ``public`` for the federation) has its own chain in its own
``audit_auditentry`` table. An entry's hash is ``SHA-256(prev_hash + canonical_json(entry))`` where the
canonical JSON covers every column but ``id`` and ``hash`` (keys sorted, no spaces, UTF-8). The first
entry's ``prev_hash`` is :data:`GENESIS`.

Appends are serialised per schema by a transaction-level advisory lock: the lock is taken, the last entry
read, the new one inserted, and the lock released at commit. Called inside a journey transaction (a
decision), the entry commits or rolls back with the decision.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from clea.audit.models import AuditEntry

GENESIS = "0" * 64
_LOCK_CLASS = 0x41554454  # "AUDT": advisory lock namespace; the second key is hashtext(schema name)


def current_schema_name() -> str:
    """The schema the connection is routed to (django-tenants' connection attribute; ``public`` without one).

    Read here rather than through ``clea_tenants.schemas``: the trail sits below the tenancy layer, so that
    tenancy can record its own decisions in it too."""
    return str(getattr(connection, "schema_name", "public"))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_payload(
    *,
    seq: int,
    at: datetime,
    schema_name: str,
    actor_ref: str,
    actor_role: str,
    action: str,
    object_ref: str,
    detail: Mapping[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    """What the hash covers (every column but ``id`` and ``hash``)."""
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "schema": schema_name,
        "actor": actor_ref,
        "role": actor_role,
        "action": action,
        "object": object_ref,
        "detail": detail,
        "prev": prev_hash,
    }


def chain_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    """The hash ``entry`` should carry, recomputed from its columns."""
    payload = entry_payload(
        seq=entry.seq,
        at=entry.at,
        schema_name=entry.schema_name,
        actor_ref=entry.actor_ref,
        actor_role=entry.actor_role,
        action=entry.action,
        object_ref=entry.object_ref,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
    )
    return chain_hash(entry.prev_hash, payload)


def actor_of(user: Any) -> tuple[str, str]:
    """``("user:12", "counsellor")`` for a signed-in user, ``("anonymous", "")`` otherwise."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous", ""
    return f"user:{user.pk}", str(getattr(user, "role", "") or "")


def append(
    action: str,
    *,
    actor: Any = None,
    actor_ref: str | None = None,
    actor_role: str | None = None,
    object_ref: str = "",
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the current schema's trail (its own transaction, or the caller's)."""
    ref, role = actor_of(actor)
    ref = actor_ref or ref
    role = actor_role if actor_role is not None else role
    clean_detail: dict[str, Any] = json.loads(canonical_json(dict(detail or {})))  # what jsonb gives back
    schema = current_schema_name()
    # Inside a caller's transaction no savepoint: if the entry cannot be written, the decision rolls back too.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_CLASS, schema])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        at = timezone.now()
        fields: dict[str, Any] = {
            "seq": seq,
            "at": at,
            "schema_name": schema,
            "actor_ref": ref[:100],
            "actor_role": role[:32],
            "action": action[:50],
            "object_ref": object_ref[:100],
            "detail": clean_detail,
            "prev_hash": prev_hash,
        }
        return AuditEntry.objects.create(**fields, hash=chain_hash(prev_hash, entry_payload(**fields)))


@dataclass(frozen=True)
class Verification:
    schema_name: str
    entries: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.reason


def verify_entries(schema_name: str, entries: Iterable[AuditEntry]) -> Verification:
    """Walk the chain in ``seq`` order; the first entry that does not fit is named."""
    expected_prev = GENESIS
    count = 0
    for count, entry in enumerate(entries, start=1):
        problem = ""
        if entry.seq != count:
            problem = f"sequence gap: expected #{count}, found #{entry.seq} (entries removed or inserted)"
        elif entry.prev_hash != expected_prev:
            problem = "prev_hash does not match the previous entry's hash (an entry was removed or reordered)"
        elif hash_of(entry) != entry.hash:
            problem = "hash does not match the entry's content (the entry was altered)"
        if problem:
            return Verification(schema_name, count, entry.seq, entry.pk, problem)
        expected_prev = entry.hash
    return Verification(schema_name, count)


def verify_current_schema() -> Verification:
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    return verify_entries(current_schema_name(), entries)
