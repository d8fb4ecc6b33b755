"""Mastery is computed, never typed in (R4); what is acquired is kept across evaluations (R9)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction

from clea.kernel.errors import DomainError
from clea.kernel.evidence import EvidenceRef
from clea.kernel.referential.model import Referential


class EvaluationKind(StrEnum):
    INITIAL = "initial"  # évaluation préalable: every criterion of every domain (R3)
    FINAL = "final"  # évaluation finale: only what the training path worked on (R9)


@dataclass(frozen=True)
class CriterionResult:
    """One criterion as observed by one evaluator on one day (R3), with its evidence references."""

    criterion: str
    acquired: bool
    evaluated_on: date
    evaluator: str
    evidence: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class Evaluation:
    """An evaluation of a candidate; it may span several days (``days``)."""

    kind: EvaluationKind
    referential_id: str
    evaluator: str
    days: tuple[date, ...]
    results: tuple[CriterionResult, ...]
    modality: str = ""
    organisation: str = ""
    # The cited evidence with its kind, filled by the platform before the branch rules run (not stored).
    # .. versionadded:: 0.2 (plugin SDK)
    evidence_items: tuple[EvidenceRef, ...] = field(default=(), compare=False)

    @property
    def started_on(self) -> date:
        return min(self.days)

    @property
    def ended_on(self) -> date:
        return max(self.days)

    @property
    def criteria(self) -> frozenset[str]:
        return frozenset(result.criterion for result in self.results)


def check_results(referential: Referential, results: Iterable[CriterionResult]) -> None:
    """Refuse unknown or repeated criterion codes."""
    codes = [result.criterion for result in results]
    unknown = referential.unknown_criteria(set(codes))
    if unknown:
        listed = ", ".join(unknown)
        raise DomainError(
            "unknown_criterion",
            "R13",
            f"Critères inconnus dans le référentiel {referential.identity} : {listed}.",
            f"Unknown criteria for referential {referential.identity}: {listed}.",
        )
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        listed = ", ".join(repeated)
        raise DomainError(
            "duplicate_criterion",
            None,
            f"Un critère ne peut figurer qu'une fois par évaluation : {listed}.",
            f"A criterion may appear only once per evaluation: {listed}.",
        )


def capitalise(evaluations: Iterable[Evaluation]) -> dict[str, CriterionResult]:
    """The standing result of each criterion across evaluations, oldest first.

    A later evaluation replaces earlier results only for the criteria it covers, and an acquired criterion
    is never lost: a later "not acquired" does not undo it (R9, process rule 31).
    """
    standing: dict[str, CriterionResult] = {}
    ordered = sorted(enumerate(evaluations), key=lambda pair: (pair[1].ended_on, pair[0]))
    for _, evaluation in ordered:
        for result in evaluation.results:
            previous = standing.get(result.criterion)
            if previous is not None and previous.acquired and not result.acquired:
                continue
            standing[result.criterion] = result
    return standing


@dataclass(frozen=True)
class SubDomainMastery:
    code: str
    domain: str
    acquired: bool
    acquired_criteria: tuple[str, ...]
    missing_criteria: tuple[str, ...]
    missing_mandatory: tuple[str, ...]
    threshold: Fraction

    @property
    def share(self) -> Fraction:
        total = len(self.acquired_criteria) + len(self.missing_criteria)
        return Fraction(len(self.acquired_criteria), total) if total else Fraction(0)


@dataclass(frozen=True)
class DomainMastery:
    code: str
    mastered: bool
    subdomains: tuple[SubDomainMastery, ...]


@dataclass(frozen=True)
class MasteryReport:
    """Sub-domain, domain and overall mastery of a candidate for one referential version."""

    referential_id: str
    domains: tuple[DomainMastery, ...]
    standing: Mapping[str, CriterionResult]

    @property
    def ready_for_jury(self) -> bool:
        """R4/R10: every domain mastered, whatever the trade or sector."""
        return bool(self.domains) and all(domain.mastered for domain in self.domains)

    @property
    def mastered_domains(self) -> tuple[str, ...]:
        return tuple(domain.code for domain in self.domains if domain.mastered)

    @property
    def subdomains(self) -> tuple[SubDomainMastery, ...]:
        return tuple(sub for domain in self.domains for sub in domain.subdomains)

    @property
    def acquired_subdomains(self) -> tuple[str, ...]:
        return tuple(sub.code for sub in self.subdomains if sub.acquired)

    @property
    def acquired_criteria(self) -> frozenset[str]:
        return frozenset(code for code, result in self.standing.items() if result.acquired)

    @property
    def gaps(self) -> dict[str, tuple[str, ...]]:
        """Sub-domains not acquired, each with the criteria still to acquire."""
        return {sub.code: sub.missing_criteria for sub in self.subdomains if not sub.acquired}


def compute_mastery(referential: Referential, evaluations: Iterable[Evaluation]) -> MasteryReport:
    evaluations = tuple(evaluations)
    for evaluation in evaluations:
        check_results(referential, evaluation.results)
    standing = capitalise(evaluations)
    acquired = frozenset(code for code, result in standing.items() if result.acquired)
    domains = []
    for domain in referential.domains:
        subs = []
        for sub in domain.subdomains:
            codes = sub.criterion_codes
            subs.append(
                SubDomainMastery(
                    code=sub.code,
                    domain=domain.code,
                    acquired=sub.rule.holds(acquired, codes),
                    acquired_criteria=tuple(code for code in codes if code in acquired),
                    missing_criteria=tuple(code for code in codes if code not in acquired),
                    missing_mandatory=tuple(sorted(sub.rule.mandatory - acquired)),
                    threshold=sub.rule.threshold,
                )
            )
        mastered = bool(subs) and all(sub.acquired for sub in subs)
        domains.append(DomainMastery(domain.code, mastered, tuple(subs)))
    return MasteryReport(referential.identity, tuple(domains), standing)
