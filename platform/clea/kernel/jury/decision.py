"""R12: the jury certifies (only when R10 holds), refuses with reasons, or adjourns each file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from clea.kernel.errors import DomainError
from clea.kernel.evidence import EvidenceRef
from clea.kernel.jury.composition import JuryMember


class Outcome(StrEnum):
    CERTIFIED = "certified"
    REFUSED = "refused"
    ADJOURNED = "adjourned"

    @property
    def label_fr(self) -> str:
        return {"certified": "Certifié", "refused": "Refusé", "adjourned": "Ajourné"}[self.value]


@dataclass(frozen=True)
class JurySnapshot:
    """What the jury needs of a file, and no more: mastery per domain, who evaluated and trained, evidence list."""

    file_ref: str
    candidate_name: str
    referential_id: str
    domains_mastered: tuple[str, ...]
    domains_total: tuple[str, ...]
    evaluating_organisations: frozenset[str]
    training_organisations: frozenset[str]
    evidence: tuple[str, ...] = ()
    # ``evidence`` with the kind of each reference (photo, document…), in the same order.
    # .. versionadded:: 0.2 (plugin SDK)
    evidence_items: tuple[EvidenceRef, ...] = field(default=(), compare=False)
    # The accommodations the candidate was evaluated with (R3), in French, for the jury.
    # .. versionadded:: 0.3 (plugin SDK)
    accommodations: tuple[str, ...] = ()

    @property
    def all_domains_mastered(self) -> bool:
        return bool(self.domains_total) and set(self.domains_total) <= set(self.domains_mastered)


@dataclass(frozen=True)
class FileDecision:
    file_ref: str
    outcome: Outcome
    reasons: str
    decided_at: datetime
    members_present: tuple[str, ...]
    referential_id: str


def check_snapshot_ready(snapshot: JurySnapshot) -> None:
    """R10, checked again when a file arrives at the jury and when it is certified."""
    if not snapshot.all_domains_mastered:
        missing = sorted(set(snapshot.domains_total) - set(snapshot.domains_mastered))
        raise DomainError(
            "not_ready_for_jury",
            "R10",
            f"Le dossier {snapshot.file_ref} ne maîtrise pas tous les domaines : {', '.join(missing)}.",
            f"File {snapshot.file_ref} does not master every domain: {', '.join(missing)}.",
        )


def decide(
    snapshot: JurySnapshot,
    outcome: Outcome,
    present: tuple[JuryMember, ...],
    decided_at: datetime,
    reasons: str = "",
) -> FileDecision:
    if outcome is Outcome.CERTIFIED:
        check_snapshot_ready(snapshot)
    elif outcome is Outcome.REFUSED and not reasons.strip():
        raise DomainError("reasons_required", "R12", "Un refus doit être motivé.", "A refusal must give its reasons.")
    return FileDecision(
        snapshot.file_ref,
        outcome,
        reasons.strip(),
        decided_at,
        tuple(m.id for m in present),
        snapshot.referential_id,
    )
