"""What a referential must look like before the federation may publish it (R4, R13).

The loader already refuses what cannot be read (duplicate codes, thresholds outside ]0, 1], mandatory
criteria outside their sub-domain). These checks add the shape: a CléA referential has 7 domains and 28
sub-domains with positional codes (``3.2`` under ``3``, ``3.2.1`` under ``3.2``), and in any published
version every sub-domain has criteria, so that mastery can be decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from clea.kernel.referential.model import Referential


@dataclass(frozen=True)
class ExpectedShape:
    """The shape a referential line must keep from one version to the next."""

    domains: int
    subdomains: int
    positional_codes: bool = True


# The CléA socle (DESIGN.md §1): 7 domains, 28 sub-domains. Other lines (CléA Numérique) have no fixed shape yet.
EXPECTED_SHAPES: dict[str, ExpectedShape] = {"CLEA": ExpectedShape(domains=7, subdomains=28)}


@dataclass(frozen=True)
class StructureProblem:
    rule: str
    place: str
    message_fr: str
    message_en: str


class ReferentialStructureError(ValueError):
    """Every problem found, so that the federation can fix the file in one go."""

    def __init__(self, problems: list[StructureProblem]) -> None:
        super().__init__("; ".join(problem.message_en for problem in problems))
        self.problems = problems

    @property
    def messages_fr(self) -> list[str]:
        return [problem.message_fr for problem in self.problems]


def structure_problems(referential: Referential) -> list[StructureProblem]:
    problems: list[StructureProblem] = []
    shape = EXPECTED_SHAPES.get(referential.code)
    subdomain_count = sum(len(domain.subdomains) for domain in referential.domains)
    if shape is not None:
        if len(referential.domains) != shape.domains:
            problems.append(
                StructureProblem(
                    "structure_domains",
                    "domains",
                    f"Le référentiel {referential.code} doit compter {shape.domains} domaines : "
                    f"ce fichier en compte {len(referential.domains)}.",
                    f"{referential.code} needs {shape.domains} domains, this file has {len(referential.domains)}.",
                )
            )
        if subdomain_count != shape.subdomains:
            problems.append(
                StructureProblem(
                    "structure_subdomains",
                    "subdomains",
                    f"Le référentiel {referential.code} doit compter {shape.subdomains} sous-domaines : "
                    f"ce fichier en compte {subdomain_count}.",
                    f"{referential.code} needs {shape.subdomains} sub-domains, this file has {subdomain_count}.",
                )
            )
    for domain in referential.domains:
        if not domain.subdomains:
            problems.append(
                StructureProblem(
                    "structure_empty_domain",
                    f"domaine {domain.code}",
                    f"Le domaine {domain.code} n'a aucun sous-domaine.",
                    f"Domain {domain.code} has no sub-domain.",
                )
            )
        for sub in domain.subdomains:
            if shape is not None and shape.positional_codes and not sub.code.startswith(f"{domain.code}."):
                problems.append(
                    StructureProblem(
                        "structure_codes",
                        f"sous-domaine {sub.code}",
                        f"Le code du sous-domaine {sub.code} doit commencer par celui de son domaine ({domain.code}.).",
                        f"Sub-domain {sub.code} must start with its domain's code ({domain.code}.).",
                    )
                )
            if not sub.criteria:
                problems.append(
                    StructureProblem(
                        "structure_empty_subdomain",
                        f"sous-domaine {sub.code}",
                        f"Le sous-domaine {sub.code} n'a aucun critère : sa maîtrise ne pourrait jamais être décidée.",
                        f"Sub-domain {sub.code} has no criterion: its mastery could never be decided.",
                    )
                )
            for criterion in sub.criteria:
                if shape is not None and shape.positional_codes and not criterion.code.startswith(f"{sub.code}."):
                    problems.append(
                        StructureProblem(
                            "structure_codes",
                            f"critère {criterion.code}",
                            f"Le code du critère {criterion.code} doit commencer par celui de son sous-domaine "
                            f"({sub.code}.).",
                            f"Criterion {criterion.code} must start with its sub-domain's code ({sub.code}.).",
                        )
                    )
    return problems


def check_structure(referential: Referential) -> None:
    """Raise :class:`ReferentialStructureError` with every problem, or return quietly."""
    problems = structure_problems(referential)
    if problems:
        raise ReferentialStructureError(problems)
