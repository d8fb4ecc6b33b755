"""The referential: domains → sub-domains → criteria, and the mastery rule of each sub-domain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

DEFAULT_THRESHOLD = Fraction(3, 4)


@dataclass(frozen=True)
class MasteryRule:
    """A sub-domain is acquired when ``threshold`` of its criteria are, including every mandatory one (R4)."""

    threshold: Fraction = DEFAULT_THRESHOLD
    mandatory: frozenset[str] = frozenset()

    def holds(self, acquired: frozenset[str], criteria: tuple[str, ...]) -> bool:
        if not criteria:
            return False  # nothing to assess: never acquired by default
        count = sum(1 for code in criteria if code in acquired)
        return Fraction(count, len(criteria)) >= self.threshold and self.mandatory <= acquired


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    title_provisional: bool = False


@dataclass(frozen=True)
class SubDomain:
    code: str
    title: str
    criteria: tuple[Criterion, ...]
    rule: MasteryRule = MasteryRule()
    title_provisional: bool = False

    @property
    def criterion_codes(self) -> tuple[str, ...]:
        return tuple(criterion.code for criterion in self.criteria)


@dataclass(frozen=True)
class Domain:
    code: str
    title: str
    subdomains: tuple[SubDomain, ...]
    title_provisional: bool = False


@dataclass(frozen=True)
class Referential:
    """One version of a referential. Its identity is its code plus a hash of its content (R13)."""

    code: str
    title: str
    content_hash: str
    domains: tuple[Domain, ...]
    source_name: str = ""
    gaps: tuple[str, ...] = field(default=(), compare=False)

    @property
    def identity(self) -> str:
        return f"{self.code}@{self.content_hash[:16]}"

    @property
    def is_complete(self) -> bool:
        """Every domain has sub-domains and every sub-domain has criteria: mastery can be decided."""
        return bool(self.domains) and all(
            domain.subdomains and all(sub.criteria for sub in domain.subdomains) for domain in self.domains
        )

    def iter_subdomains(self) -> Iterator[tuple[Domain, SubDomain]]:
        for domain in self.domains:
            for subdomain in domain.subdomains:
                yield domain, subdomain

    def iter_criteria(self) -> Iterator[tuple[Domain, SubDomain, Criterion]]:
        for domain, subdomain in self.iter_subdomains():
            for criterion in subdomain.criteria:
                yield domain, subdomain, criterion

    @cached_property
    def criterion_codes(self) -> frozenset[str]:
        return frozenset(criterion.code for _, _, criterion in self.iter_criteria())

    @cached_property
    def subdomain_of_criterion(self) -> dict[str, str]:
        return {criterion.code: sub.code for _, sub, criterion in self.iter_criteria()}

    @cached_property
    def subdomains_by_code(self) -> dict[str, SubDomain]:
        return {sub.code: sub for _, sub in self.iter_subdomains()}

    @cached_property
    def domains_by_code(self) -> dict[str, Domain]:
        return {domain.code: domain for domain in self.domains}

    def subdomain(self, code: str) -> SubDomain:
        return self.subdomains_by_code[code]

    def criterion(self, code: str) -> Criterion:
        sub = self.subdomains_by_code[self.subdomain_of_criterion[code]]
        return next(criterion for criterion in sub.criteria if criterion.code == code)

    def unknown_criteria(self, codes: frozenset[str] | set[str]) -> list[str]:
        return sorted(set(codes) - self.criterion_codes)
