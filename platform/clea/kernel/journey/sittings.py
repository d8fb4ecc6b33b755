"""Sittings (R3): an evaluation recorded over one or several sittings, then closed explicitly.

An *open evaluation* gathers sittings; each sitting is one evaluator on one day entering some criteria.
A later entry for a criterion corrects the earlier one (both stay in the history); the result that counts is
the latest. Nothing here changes the file's stage: :func:`close` turns the open evaluation into an
:class:`~clea.kernel.mastery.Evaluation` once every criterion it must cover has a result, and only the
transition that records that evaluation (R3/R9) lets mastery move the file on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from clea.kernel.errors import DomainError
from clea.kernel.journey.dates import DEFAULT_MAX_SPAN_DAYS, check_days
from clea.kernel.journey.file import CandidateFile
from clea.kernel.journey.states import FileState
from clea.kernel.mastery import CriterionResult, Evaluation, EvaluationKind, check_results
from clea.kernel.referential.model import Referential


@dataclass(frozen=True)
class SittingEntry:
    criterion: str
    acquired: bool
    comment: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sitting:
    """Who evaluated, on which day, which criteria; who typed it in and when (R13)."""

    day: date
    evaluator: str
    recorded_by: str
    recorded_at: datetime
    entries: tuple[SittingEntry, ...]


@dataclass(frozen=True)
class OpenEvaluation:
    kind: EvaluationKind
    referential_id: str
    modality: str = ""
    organisation: str = ""
    sittings: tuple[Sitting, ...] = ()

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(sorted({s.day for s in self.sittings}))

    def current(self) -> dict[str, CriterionResult]:
        """The result that counts per criterion: the latest entry (sittings in recording order)."""
        found: dict[str, CriterionResult] = {}
        for sitting in self.sittings:
            for entry in sitting.entries:
                found[entry.criterion] = CriterionResult(
                    entry.criterion, entry.acquired, sitting.day, sitting.evaluator, entry.evidence, entry.comment
                )
        return found

    def corrected(self) -> frozenset[str]:
        """Criteria entered more than once (their earlier entries are the correction history)."""
        seen: set[str] = set()
        twice: set[str] = set()
        for sitting in self.sittings:
            for entry in sitting.entries:
                (twice if entry.criterion in seen else seen).add(entry.criterion)
        return frozenset(twice)

    def missing(self, scope: frozenset[str]) -> tuple[str, ...]:
        return tuple(sorted(scope - set(self.current())))


def scope_of(file: CandidateFile, kind: EvaluationKind, referential: Referential) -> frozenset[str]:
    """Which criteria the evaluation must cover: all (préalable, R3) or the path's objectives (finale, R9)."""
    if kind is EvaluationKind.INITIAL:
        return frozenset(referential.criterion_codes)
    path = file.current_path
    return path.objective_criteria if path is not None else frozenset()


def expected_kind(file: CandidateFile) -> EvaluationKind:
    """The evaluation the file awaits, or ``state_conflict``."""
    if file.state is FileState.FILE_OPENED:
        return EvaluationKind.INITIAL
    if file.state is FileState.TRAINING and file.current_path is not None:
        return EvaluationKind.FINAL
    raise DomainError(
        "state_conflict",
        None,
        f"Aucune évaluation n'est attendue à l'étape « {file.state.label_fr} ».",
        f"No evaluation is awaited while the file is {file.state.value}.",
    )


def add_sitting(
    file: CandidateFile,
    opened: OpenEvaluation,
    sitting: Sitting,
    referential: Referential,
    today: date,
    max_span_days: int = DEFAULT_MAX_SPAN_DAYS,
) -> OpenEvaluation:
    """Check one sitting against the file and the sittings before it; return the open evaluation with it."""
    if opened.kind is not expected_kind(file):
        raise DomainError(
            "wrong_evaluation_kind",
            "R3",
            "Cette évaluation n'est pas celle que le dossier attend.",
            "This evaluation is not the one the file awaits.",
        )
    if not sitting.entries:
        raise DomainError(
            "sitting_empty",
            "R3",
            "Une séance enregistre au moins un critère.",
            "A sitting records at least one criterion.",
        )
    evaluators = {sitting.evaluator, sitting.recorded_by}
    conflicted = sorted(evaluators & file.trainers)
    if conflicted:
        raise DomainError(
            "trainer_is_evaluator",
            "R7",
            f"{', '.join(conflicted)} forme ce candidat et ne peut donc pas l'évaluer.",
            f"{', '.join(conflicted)} trains this candidate and so cannot evaluate them.",
        )
    results = [CriterionResult(e.criterion, e.acquired, sitting.day, sitting.evaluator) for e in sitting.entries]
    check_results(referential, results)  # unknown or repeated within the sitting
    scope = scope_of(file, opened.kind, referential)
    outside = sorted({e.criterion for e in sitting.entries} - scope)
    if outside:
        raise DomainError(
            "final_evaluation_scope",
            "R9",
            f"Hors du champ de cette évaluation : {', '.join(outside)}.",
            f"Outside this evaluation's scope: {', '.join(outside)}.",
        )
    initial = file.initial_evaluation if opened.kind is EvaluationKind.FINAL else None
    check_days(
        (*opened.days, sitting.day),
        today,
        file.consent.given_on if file.consent is not None else None,
        max_span_days,
        initial.ended_on if initial is not None else None,
    )
    return OpenEvaluation(
        opened.kind, opened.referential_id, opened.modality, opened.organisation, (*opened.sittings, sitting)
    )


def close(file: CandidateFile, opened: OpenEvaluation, referential: Referential) -> Evaluation:
    """The evaluation to record, once every criterion in scope has a result (R3 for the préalable, R9 finale)."""
    scope = scope_of(file, opened.kind, referential)
    missing = opened.missing(scope)
    if not opened.sittings or missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise DomainError(
            "evaluation_incomplete",
            "R3" if opened.kind is EvaluationKind.INITIAL else "R9",
            "L'évaluation ne peut être clôturée que lorsque chaque critère a un résultat ; "
            f"il manque ({len(missing)}) : {shown}.",
            f"The evaluation is closed only once every criterion has a result; missing ({len(missing)}): {shown}.",
        )
    results = tuple(sorted(opened.current().values(), key=lambda r: r.criterion))
    return Evaluation(
        kind=opened.kind,
        referential_id=opened.referential_id,
        evaluator=opened.sittings[0].evaluator,
        days=opened.days,
        results=results,
        modality=opened.modality,
        organisation=opened.organisation,
    )


def sitting_evaluators(sittings: Iterable[Sitting]) -> tuple[str, ...]:
    return tuple(sorted({s.evaluator for s in sittings}))
