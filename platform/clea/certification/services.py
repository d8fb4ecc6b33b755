"""Receiving files from organisations. R10 is checked again on arrival."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from clea.certification.models import HolderIdentity, JurySubmission
from clea.identity.models import CandidateIdentity
from clea.journey.models import Candidate
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
    submission = JurySubmission.objects.create(
        organisation=organisation,
        file_ref=snapshot.file_ref,
        candidate_pseudonym=candidate_pseudonym,
        candidate_name=snapshot.candidate_name,
        referential_id=snapshot.referential_id,
        snapshot=payload,
    )
    seal_holder_identity(submission)
    return submission


def seal_holder_identity(submission: JurySubmission) -> HolderIdentity:
    """R15: copy the organisation's identity of the candidate (read in the tenant's schema, where this runs)
    beside the submission, out of the jury's snapshot."""
    candidate = Candidate.objects.filter(pseudonym=submission.candidate_pseudonym).first()
    identity = CandidateIdentity.objects.filter(candidate=candidate).first() if candidate else None
    fields: dict[str, Any] = {"email": candidate.email if candidate else ""}
    if identity is not None:
        fields.update(
            civility=identity.civility,
            birth_name=identity.birth_name,
            usage_name=identity.usage_name,
            first_names=list(identity.first_names),
            birth_date=identity.birth_date,
            birth_country=identity.birth_country,
            birth_insee_code=identity.birth_insee_code,
            birth_commune_name=identity.birth_commune_name,
            birth_town_abroad=identity.birth_town_abroad,
        )
    elif candidate is not None:
        fields.update(
            birth_name=candidate.last_name.upper(), first_names=[candidate.first_name], birth_date=candidate.birth_date
        )
    holder, _ = HolderIdentity.objects.update_or_create(submission=submission, defaults=fields)
    return holder


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
