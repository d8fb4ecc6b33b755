"""The snapshot a tenant submits to the federation's jury: what the jury needs, no more."""

from __future__ import annotations

from collections.abc import Mapping

from clea.kernel.evidence import EvidenceRef, evidence_items
from clea.kernel.journey.file import CandidateFile
from clea.kernel.jury.composition import FileOnSession
from clea.kernel.jury.decision import JurySnapshot
from clea.kernel.mastery import compute_mastery
from clea.kernel.referential.model import Referential


def snapshot_for_jury(
    file: CandidateFile,
    referential: Referential,
    candidate_name: str,
    known_evidence: Mapping[str, EvidenceRef] | None = None,
) -> JurySnapshot:
    """``known_evidence`` describes the uploaded pieces by reference (kind, type, title); others get their prefix."""
    report = compute_mastery(referential, file.evaluations)
    evidence = tuple(sorted({ref for result in report.standing.values() if result.acquired for ref in result.evidence}))
    return JurySnapshot(
        file_ref=file.file_id,
        candidate_name=candidate_name,
        referential_id=file.referential_id,
        domains_mastered=report.mastered_domains,
        domains_total=tuple(domain.code for domain in referential.domains),
        evaluating_organisations=file.evaluating_organisations,
        training_organisations=file.training_organisations,
        evidence=evidence,
        evidence_items=evidence_items(evidence, known_evidence or {}),
    )


def file_on_session(snapshot: JurySnapshot) -> FileOnSession:
    return FileOnSession(snapshot.file_ref, snapshot.evaluating_organisations, snapshot.training_organisations)
