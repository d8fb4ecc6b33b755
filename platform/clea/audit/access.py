"""File accesses, audited in one place: the API views and the web pages call :func:`record_file_access`.

An access by the file's own counsellor is its daily work and is not logged; anyone else (another
counsellor, an administrator, the trainer, the candidate) leaves an entry: who, when, which file, how.
"""

from __future__ import annotations

from typing import Any

from clea.audit.trail import append


def record_file_access(
    user: Any, file_id: int, counsellor_id: int | None, channel: str, *, object_ref: str = ""
) -> bool:
    """Log that ``user`` read file ``file_id`` through ``channel`` (``api.detail``, ``web.file``...).

    Returns whether an entry was written (``False`` for the file's own counsellor).
    """
    if counsellor_id is not None and getattr(user, "pk", None) == counsellor_id:
        return False
    append(
        "file.access",
        actor=user,
        object_ref=object_ref or f"file:{file_id}",
        detail={"file": file_id, "channel": channel},
    )
    return True


def record_decision(file_id: int, decision: Any) -> None:
    """One entry per journey decision (R13), written in the decision's transaction (called by the event seam)."""
    append(
        "decision",
        actor_ref=str(decision.actor_ref),
        actor_role=str(decision.actor_role),
        object_ref=f"file:{file_id}",
        detail={
            "decision": int(decision.pk),
            "kind": str(decision.kind),
            "from_state": str(decision.from_state),
            "to_state": str(decision.to_state),
            "referential_id": str(decision.referential_id),
            "organisation": str(decision.actor_organisation),
            "decided_at": decision.at.isoformat() if hasattr(decision.at, "isoformat") else str(decision.at),
        },
    )
