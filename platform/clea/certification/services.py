"""Receiving files from organisations. R10 is checked again on arrival."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from clea.certification.models import JurySubmission
from clea.kernel.jury import JurySnapshot, check_snapshot_ready
from clea_tenants.schemas import current_tenant


def receive_submission(
    snapshot: JurySnapshot, candidate_pseudonym: str, branch_sections: Sequence[Mapping[str, Any]] = ()
) -> JurySubmission:
    """Store the snapshot in the public schema (called inside the tenant's transaction).

    ``branch_sections`` are the accredited branches' sections of the jury file (``clea_jury_file_sections``),
    stored as ``snapshot["branch_sections"]``: ``[{"branch", "branch_name", "title", "lines": [...]}]``.
    """
    check_snapshot_ready(snapshot)
    organisation = current_tenant()
    payload = dataclasses.asdict(snapshot)
    payload["evaluating_organisations"] = sorted(snapshot.evaluating_organisations)
    payload["training_organisations"] = sorted(snapshot.training_organisations)
    payload["branch_sections"] = [dict(section) for section in branch_sections]
    return JurySubmission.objects.create(
        organisation=organisation,
        file_ref=snapshot.file_ref,
        candidate_pseudonym=candidate_pseudonym,
        candidate_name=snapshot.candidate_name,
        referential_id=snapshot.referential_id,
        snapshot=payload,
    )


def receive_file_submitted(
    sender: object,
    *,
    snapshot: JurySnapshot,
    candidate_pseudonym: str,
    branch_sections: Sequence[Mapping[str, Any]],
    **kwargs: Any,
) -> JurySubmission:
    """Receiver of ``clea.journey.signals.file_submitted``: the journey's submissions reach the jury inbox."""
    return receive_submission(snapshot, candidate_pseudonym, branch_sections)
