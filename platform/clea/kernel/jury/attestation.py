"""R12: an attestation of what is acquired, for a candidate who stops before certification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clea.kernel.mastery import MasteryReport
from clea.kernel.referential.model import Referential


@dataclass(frozen=True)
class AttestedSubDomain:
    code: str
    title: str
    acquired_criteria: tuple[tuple[str, str], ...]  # (code, title)
    acquired: bool


@dataclass(frozen=True)
class PartialAttestation:
    candidate_name: str
    referential_id: str
    issued_on: date
    mastered_domains: tuple[tuple[str, str], ...]  # (code, title)
    subdomains: tuple[AttestedSubDomain, ...]

    @property
    def is_empty(self) -> bool:
        return not any(sub.acquired_criteria for sub in self.subdomains)


def partial_attestation(
    referential: Referential, report: MasteryReport, candidate_name: str, issued_on: date
) -> PartialAttestation:
    """Strengths only: what is acquired is listed, nothing is worded as failed (R3)."""
    acquired = report.acquired_criteria
    subdomains = tuple(
        AttestedSubDomain(
            code=sub.code,
            title=sub.title,
            acquired_criteria=tuple((c.code, c.title) for c in sub.criteria if c.code in acquired),
            acquired=sub.code in report.acquired_subdomains,
        )
        for _, sub in referential.iter_subdomains()
    )
    mastered = tuple(
        (domain.code, domain.title) for domain in referential.domains if domain.code in report.mastered_domains
    )
    return PartialAttestation(candidate_name, report.referential_id, issued_on, mastered, subdomains)
