"""The values hooks take and return: plain frozen dataclasses, no Django, no ORM.

Every branch plugin codes against these types (and the kernel's ``Referential``, ``Evaluation``,
``Objective``, ``JurySnapshot`` and ``Decision``). They are immutable and hashable, so the platform can
cache them, compare them and pass them between threads and Celery tasks.

.. versionadded:: 0.1
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol


class Method(StrEnum):
    """How a sub-domain is evaluated. The allowed set is closed: the jury knows each of them."""

    MISE_EN_SITUATION_PROFESSIONNELLE = "mise_en_situation_professionnelle"
    ENTRETIEN = "entretien"
    EPREUVE_ECRITE = "epreuve_ecrite"
    OBSERVATION_EN_SITUATION_DE_TRAVAIL = "observation_en_situation_de_travail"
    EPREUVE_NUMERIQUE = "epreuve_numerique"

    @property
    def label_fr(self) -> str:
        return _METHOD_LABELS_FR[self]

    @property
    def is_real_work_situation(self) -> bool:
        """Observed while doing the job (or a faithful simulation of it), not talked or written about."""
        return self in (Method.OBSERVATION_EN_SITUATION_DE_TRAVAIL, Method.MISE_EN_SITUATION_PROFESSIONNELLE)


_METHOD_LABELS_FR = {
    Method.MISE_EN_SITUATION_PROFESSIONNELLE: "Mise en situation professionnelle",
    Method.ENTRETIEN: "Entretien",
    Method.EPREUVE_ECRITE: "Épreuve écrite",
    Method.OBSERVATION_EN_SITUATION_DE_TRAVAIL: "Observation en situation de travail",
    Method.EPREUVE_NUMERIQUE: "Épreuve numérique",
}

BRANCH_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class Severity(StrEnum):
    ERROR = "error"  # the evaluation cannot be recorded as it is
    WARNING = "warning"  # recorded, but the evaluator is told


@dataclass(frozen=True)
class BranchIdentity:
    """Who the branch plugin is. ``code`` equals the plugin's entry-point name (``btp``).

    ``not_covered`` lists the sub-domains this branch deliberately does not evaluate itself (another
    modality does); every other sub-domain of the referential must have at least one modality.
    """

    code: str
    name: str
    version: str
    description: str
    contact: str
    not_covered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Modality:
    """One way a branch evaluates one sub-domain: method, scenarios in the trade's context, logistics."""

    subdomain: str
    method: Method
    scenarios: tuple[str, ...]
    duration_minutes: int
    group_size: int
    on_site: bool
    branch: str

    @property
    def key(self) -> str:
        """Stable reference stored on an evaluation (``Evaluation.modality``): ``btp:7.2:observation_…``."""
        return f"{self.branch}:{self.subdomain}:{self.method.value}"


@dataclass(frozen=True)
class CandidateProfile:
    """What planning needs to know of a candidate, nothing personal beyond it.

    ``max_minutes_per_day`` caps a day of evaluation (fatigue, part-time work, disability adjustments);
    ``adjustments`` are free-text arrangements the plan must respect (``"tiers temps"``, ``"pas de port
    de charges"``); ``on_site_possible`` is false when the candidate cannot go to a workplace.
    """

    reference: str
    job_title: str = ""
    max_minutes_per_day: int = 360
    on_site_possible: bool = True
    adjustments: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanDay:
    """One day of evaluation and the modalities run on it, in order."""

    on: date
    modalities: tuple[Modality, ...]

    @property
    def subdomains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(modality.subdomain for modality in self.modalities))

    @property
    def minutes(self) -> int:
        return sum(modality.duration_minutes for modality in self.modalities)


@dataclass(frozen=True)
class EvaluationPlan:
    """An évaluation préalable spread over one or several days (R3)."""

    branch: str
    referential_id: str
    days: tuple[PlanDay, ...]
    notes: tuple[str, ...] = ()

    @property
    def subdomains(self) -> frozenset[str]:
        return frozenset(code for day in self.days for code in day.subdomains)

    @property
    def starts_on(self) -> date:
        return min(day.on for day in self.days)

    @property
    def ends_on(self) -> date:
        return max(day.on for day in self.days)


@dataclass(frozen=True)
class ValidationIssue:
    """A branch rule an evaluation breaks. ``code`` is stable (``btp.domain7_real_situation``)."""

    branch: str
    code: str
    message_fr: str
    message_en: str
    subdomain: str = ""
    criteria: tuple[str, ...] = ()
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class TrainingOffer:
    """A training action the branch suggests for one objective of an individual training path (R6)."""

    subdomain: str
    title: str
    hours: int
    provider_hint: str
    branch: str


@dataclass(frozen=True)
class JuryFileSection:
    """A titled block the branch adds to the file the jury reads (plain text lines, no HTML)."""

    title: str
    lines: tuple[str, ...]
    branch: str = field(default="")


class TaskEnqueuer(Protocol):
    """How a plugin gets slow work done without importing Django or Celery (``clea_journey_event``'s ``enqueue``).

    ``enqueue("clea_branch_btp.observations.tasks.remind", [file_ref], {})`` records the Celery task *by name*
    in the decision's outbox, in the decision's transaction: it is sent once the transaction commits (never if
    it rolls back) and runs in the organisation's schema. Arguments must be JSON-serialisable. The task lives
    in the branch's optional Django app (``<app>/tasks.py``, found by the worker's autodiscovery).

    .. versionadded:: 0.2
    """

    def __call__(
        self, task_name: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None
    ) -> None: ...
