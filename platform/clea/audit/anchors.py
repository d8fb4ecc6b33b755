"""Anchoring each schema's audit chain in the federation's (public) trail, so that a cut tail shows.

A hash chain detects an altered, inserted or removed entry, but not the removal of its *last* entries:
what is left is still a valid chain. :func:`anchor_schema` writes the head of a schema's chain (its last
``seq`` and ``hash``) as an ``audit.anchor`` entry of the public trail — itself hash-chained — and
:func:`check_anchor` fails a chain that is shorter than its last anchor or whose entry at the anchored
``seq`` no longer has the anchored hash. ``clea.tasks.audit.anchor_audit_trail`` anchors every active
organisation's trail each hour (Celery beat); the public trail is anchored by the same task in public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_tenants.utils import schema_context

from clea.audit.models import AuditEntry
from clea.audit.trail import append

ANCHOR_ACTION = "audit.anchor"


@dataclass(frozen=True)
class Anchor:
    schema_name: str
    seq: int
    hash: str


def latest_anchor(schema_name: str) -> Anchor | None:
    """The last anchor of ``schema_name`` written in the public trail."""
    with schema_context("public"):
        entry = (
            AuditEntry.objects.filter(action=ANCHOR_ACTION, object_ref=f"schema:{schema_name}")
            .order_by("-seq")
            .values_list("detail", flat=True)
            .first()
        )
    if not entry:
        return None
    return Anchor(schema_name, int(entry["seq"]), str(entry["hash"]))


def anchor_schema(schema_name: str) -> Anchor | None:
    """Write the head of ``schema_name``'s chain to the public trail (nothing when it has not moved)."""
    with schema_context(schema_name):
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    if head is None:
        return None
    anchor = Anchor(schema_name, int(head[0]), str(head[1]))
    previous = latest_anchor(schema_name)
    if previous == anchor:
        return previous
    with schema_context("public"):
        append(
            ANCHOR_ACTION,
            actor_ref="system:audit-anchor",
            actor_role="system",
            object_ref=f"schema:{schema_name}",
            detail={"seq": anchor.seq, "hash": anchor.hash},
        )
    return anchor


def check_anchor(schema_name: str, entries: int) -> str:
    """Why the chain of ``schema_name`` (``entries`` long, already verified) contradicts its last anchor;
    empty when it does not."""
    anchor = latest_anchor(schema_name)
    if anchor is None:
        return ""
    if entries < anchor.seq:
        return (
            f"the chain ends at #{entries} but entry #{anchor.seq} was anchored in the public trail: "
            f"its last {anchor.seq - entries} entr{'y' if anchor.seq - entries == 1 else 'ies'} were removed"
        )
    with schema_context(schema_name):
        anchored = AuditEntry.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
    if anchored != anchor.hash:
        return f"entry #{anchor.seq} no longer has the hash anchored in the public trail"
    return ""
