"""The candidate's file as the kernel sees it, and the decisions recorded on it (R13)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from clea.kernel.journey.states import FileState
from clea.kernel.journey.training import TrainingPath
from clea.kernel.journey.window import deadline_for
from clea.kernel.mastery import Evaluation, EvaluationKind


class PrescriberType(StrEnum):
    """Who may refer a person (R1, process rule 12)."""

    EMPLOYER = "employer"
    OPCO = "opco"
    REGION = "region"
    FRANCE_TRAVAIL = "france_travail"
    CEP = "cep"
    MISSION_LOCALE = "mission_locale"
    CAP_EMPLOI = "cap_emploi"
    SIAE = "siae"
    SPIP = "spip"
    BRANCH = "branch"
    OTHER = "other"


@dataclass(frozen=True)
class Referral:
    prescriber_type: PrescriberType
    prescriber_name: str
    referred_on: date


@dataclass(frozen=True)
class Consent:
    """The person's explicit consent, with what it is for and when it was given (R2)."""

    purpose: str
    given_on: date
    given: bool = True


@dataclass(frozen=True)
class Actor:
    id: str
    role: str
    organisation: str


class DecisionKind(StrEnum):
    WELCOMED = "welcomed"
    FILE_OPENED = "file_opened"
    INITIAL_EVALUATION = "initial_evaluation"
    TRAINING_PATH = "training_path"
    TRAINING_PATH_ADJUSTED = "training_path_adjusted"
    FINAL_EVALUATION = "final_evaluation"
    SUBMITTED = "submitted"
    JURY_DECISION = "jury_decision"
    WITHDRAWN = "withdrawn"
    TRANSFERRED_OUT = "transferred_out"
    TRANSFERRED_IN = "transferred_in"
    EXPIRED = "expired"
    RESTARTED = "restarted"


@dataclass(frozen=True)
class Decision:
    """Who decided what, when, on which referential version, and the resulting state (R13)."""

    kind: DecisionKind
    actor: Actor
    at: datetime
    referential_id: str
    from_state: FileState | None
    to_state: FileState
    detail: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CandidateFile:
    file_id: str
    candidate: str
    organisation: str
    referential_id: str
    state: FileState
    referral: Referral | None = None
    consent: Consent | None = None
    evaluations: tuple[Evaluation, ...] = ()
    archived_evaluations: tuple[Evaluation, ...] = ()  # before an expiry (R8): no longer count, still known for R7
    paths: tuple[TrainingPath, ...] = ()  # every path and adjusted version, the current one last (R7)
    decisions: tuple[Decision, ...] = ()

    @property
    def initial_evaluation(self) -> Evaluation | None:
        initials = [e for e in self.evaluations if e.kind is EvaluationKind.INITIAL]
        return initials[-1] if initials else None

    @property
    def deadline(self) -> date | None:
        """R8: 5 years after the **first** day of the (latest) évaluation préalable; ``None`` before it.

        Later days of the same évaluation cannot stretch the window.
        """
        initial = self.initial_evaluation
        return deadline_for(initial.started_on) if initial else None

    @property
    def current_path(self) -> TrainingPath | None:
        return self.paths[-1] if self.state is FileState.TRAINING and self.paths else None

    @property
    def evaluators(self) -> frozenset[str]:
        every = (*self.archived_evaluations, *self.evaluations)
        return frozenset({e.evaluator for e in every} | {r.evaluator for e in every for r in e.results})

    @property
    def trainers(self) -> frozenset[str]:
        return frozenset(path.trainer for path in self.paths)

    @property
    def evaluating_organisations(self) -> frozenset[str]:
        """Every organisation that evaluated the candidate (R11), also before a transfer or an expiry.

        An evaluation need not name its organisation, so the organisation of whoever recorded it counts too.
        """
        every = (*self.archived_evaluations, *self.evaluations)
        recorded_by = {
            d.actor.organisation
            for d in self.decisions
            if d.kind in (DecisionKind.INITIAL_EVALUATION, DecisionKind.FINAL_EVALUATION) and d.actor.organisation
        }
        return frozenset({e.organisation for e in every if e.organisation} | recorded_by | {self.organisation})

    @property
    def training_organisations(self) -> frozenset[str]:
        return frozenset(path.training_organisation for path in self.paths)


@dataclass(frozen=True)
class Transition:
    """What every transition returns: the file in its new state and the decision recorded for it."""

    file: CandidateFile
    decision: Decision
