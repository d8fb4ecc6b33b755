"""The candidate journey as pure functions: each returns a :class:`Transition` or raises a :class:`DomainError`.

Every function checks its edge of :data:`~clea.kernel.journey.states.TRANSITIONS`, the rules it is named for,
and records a :class:`Decision` (who, when, which referential version: R13).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from clea.kernel.errors import DomainError
from clea.kernel.journey.dates import DEFAULT_MAX_SPAN_DAYS, check_days, check_result_dates
from clea.kernel.journey.file import (
    Actor,
    CandidateFile,
    Consent,
    Decision,
    DecisionKind,
    Referral,
    Transition,
)
from clea.kernel.journey.states import TRANSITIONS, FileState
from clea.kernel.journey.training import (
    TrainingPath,
    TrainingSession,
    check_calendar,
    objectives_from_gaps,
)
from clea.kernel.journey.window import is_expired
from clea.kernel.journey.withdrawal import withdrawal
from clea.kernel.mastery import Evaluation, EvaluationKind, MasteryReport, check_results, compute_mastery
from clea.kernel.ports import Clock
from clea.kernel.referential.model import Referential


def _move(
    file: CandidateFile,
    to_state: FileState,
    kind: DecisionKind,
    actor: Actor,
    clock: Clock,
    detail: Mapping[str, str] | None = None,
    **changes: object,
) -> Transition:
    if to_state not in TRANSITIONS[file.state]:
        raise DomainError(
            "state_conflict",
            None,
            f"Action impossible : le dossier est à l'étape « {file.state.label_fr} ».",
            f"Not allowed while the file is {file.state.value} (to {to_state.value}).",
        )
    decision = Decision(kind, actor, clock.now(), file.referential_id, file.state, to_state, dict(detail or {}))
    moved = replace(file, state=to_state, decisions=(*file.decisions, decision), **changes)  # type: ignore[arg-type]
    return Transition(moved, decision)


def _require_state(file: CandidateFile, *states: FileState, rule: str | None = None) -> None:
    if file.state not in states:
        raise DomainError(
            "state_conflict",
            rule,
            f"Action impossible : le dossier est à l'étape « {file.state.label_fr} ».",
            f"Not allowed while the file is {file.state.value}.",
        )


def _require_pinned(file: CandidateFile, referential: Referential) -> None:
    """R13: a file stays on the referential version it started with."""
    if referential.identity != file.referential_id:
        raise DomainError(
            "referential_mismatch",
            "R13",
            f"Ce dossier suit le référentiel {file.referential_id} et ne peut pas être évalué avec "
            f"{referential.identity}.",
            f"This file is pinned to {file.referential_id}, not {referential.identity}.",
        )


def _require_within_window(file: CandidateFile, today: date) -> None:
    deadline = file.deadline
    if deadline is not None and is_expired(deadline, today):
        raise DomainError(
            "window_expired",
            "R8",
            f"Le délai de 5 ans après l'évaluation préalable est dépassé depuis le {deadline:%d/%m/%Y} : "
            "une nouvelle évaluation préalable est nécessaire.",
            f"The 5-year window ended on {deadline.isoformat()}: a new initial evaluation is needed.",
        )


def _require_consent(consent: Consent | None, action_fr: str, action_en: str) -> Consent:
    if consent is None or not consent.given:
        raise DomainError(
            "consent_required",
            "R2",
            f"Le consentement explicite de la personne est nécessaire pour {action_fr}.",
            f"The person's explicit consent is required to {action_en}.",
        )
    return consent


def _check_evaluation(
    file: CandidateFile,
    evaluation: Evaluation,
    referential: Referential,
    today: date,
    max_span_days: int = DEFAULT_MAX_SPAN_DAYS,
) -> None:
    _require_pinned(file, referential)
    if evaluation.referential_id != file.referential_id:
        raise DomainError(
            "referential_mismatch",
            "R13",
            "L'évaluation ne porte pas sur la version du référentiel du dossier.",
            "The evaluation uses another referential version than the file.",
        )
    if not evaluation.days or not evaluation.results:
        raise DomainError(
            "evaluation_empty",
            "R3",
            "Une évaluation doit comporter au moins une journée et un résultat par critère évalué.",
            "An evaluation needs at least one day and one criterion result.",
        )
    initial = file.initial_evaluation if evaluation.kind is EvaluationKind.FINAL else None
    check_days(
        evaluation.days,
        today,
        file.consent.given_on if file.consent is not None else None,
        max_span_days,
        initial.ended_on if initial is not None else None,
    )
    check_result_dates(evaluation.days, ((r.criterion, r.evaluated_on) for r in evaluation.results))
    check_results(referential, evaluation.results)
    evaluators = {evaluation.evaluator} | {r.evaluator for r in evaluation.results}
    conflicted = sorted(evaluators & file.trainers)
    if conflicted:
        raise DomainError(
            "trainer_is_evaluator",
            "R7",
            f"{', '.join(conflicted)} forme ce candidat et ne peut donc pas l'évaluer.",
            f"{', '.join(conflicted)} trains this candidate and so cannot evaluate them.",
        )


def welcome(
    file_id: str,
    candidate: str,
    organisation: str,
    referential: Referential,
    actor: Actor,
    clock: Clock,
    referral: Referral | None = None,
) -> Transition:
    """R1: a person is welcomed, possibly referred by a prescriber; the referral is recorded."""
    if not referential.is_complete:
        raise DomainError(
            "referential_incomplete",
            "R4",
            f"Le référentiel {referential.identity} est incomplet : aucun dossier ne peut s'y rattacher.",
            f"Referential {referential.identity} is incomplete: no file can be opened on it.",
        )
    detail = (
        {"prescriber_type": referral.prescriber_type.value, "prescriber": referral.prescriber_name} if referral else {}
    )
    decision = Decision(
        DecisionKind.WELCOMED, actor, clock.now(), referential.identity, None, FileState.REFERRED, detail
    )
    file = CandidateFile(
        file_id=file_id,
        candidate=candidate,
        organisation=organisation,
        referential_id=referential.identity,
        state=FileState.REFERRED,
        referral=referral,
        decisions=(decision,),
    )
    return Transition(file, decision)


def open_file(file: CandidateFile, consent: Consent | None, actor: Actor, clock: Clock) -> Transition:
    """R2: a file is opened only with the person's explicit consent.

    Only a welcomed person's file is opened here; an expired file starts again through
    :func:`restart_after_expiry`, which sets its earlier results aside (R8).
    """
    _require_state(file, FileState.REFERRED)
    given = _require_consent(consent, "ouvrir son dossier", "open their file")
    return _move(
        file,
        FileState.FILE_OPENED,
        DecisionKind.FILE_OPENED,
        actor,
        clock,
        {"purpose": given.purpose},
        consent=given,
    )


def _after_evaluation(report: MasteryReport) -> FileState:
    return FileState.READY_FOR_JURY if report.ready_for_jury else FileState.EVALUATED


def _evaluation_detail(evaluation: Evaluation, report: MasteryReport) -> dict[str, str]:
    return {
        "evaluator": evaluation.evaluator,
        "criteria": str(len(evaluation.results)),
        "acquired": str(sum(1 for r in evaluation.results if r.acquired)),
        "mastered_domains": ",".join(report.mastered_domains),
        "modality": evaluation.modality,
    }


def record_initial_evaluation(
    file: CandidateFile,
    evaluation: Evaluation,
    referential: Referential,
    actor: Actor,
    clock: Clock,
    max_span_days: int = DEFAULT_MAX_SPAN_DAYS,
) -> Transition:
    """R3: the évaluation préalable covers every criterion of the 7 domains; R5: all mastered → jury."""
    _require_state(file, FileState.FILE_OPENED)
    if evaluation.kind is not EvaluationKind.INITIAL:
        raise DomainError(
            "wrong_evaluation_kind",
            "R3",
            "Le dossier attend l'évaluation préalable.",
            "The file awaits its initial evaluation.",
        )
    _check_evaluation(file, evaluation, referential, clock.today(), max_span_days)
    missing = sorted(referential.criterion_codes - evaluation.criteria)
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise DomainError(
            "initial_evaluation_incomplete",
            "R3",
            f"L'évaluation préalable porte sur tous les critères des 7 domaines ; il manque : {shown}.",
            f"The initial evaluation covers every criterion of the 7 domains; missing: {shown}.",
        )
    evaluations = (*file.evaluations, evaluation)
    report = compute_mastery(referential, evaluations)
    return _move(
        file,
        _after_evaluation(report),
        DecisionKind.INITIAL_EVALUATION,
        actor,
        clock,
        _evaluation_detail(evaluation, report),
        evaluations=evaluations,
    )


def _check_trainer(file: CandidateFile, trainer: str) -> None:
    if trainer in file.evaluators:
        raise DomainError(
            "trainer_is_evaluator",
            "R7",
            f"{trainer} a évalué ce candidat et ne peut donc pas être son formateur.",
            f"{trainer} evaluated this candidate and so cannot be their trainer.",
        )


def propose_training_path(
    file: CandidateFile,
    trainer: str,
    training_organisation: str,
    sessions: tuple[TrainingSession, ...],
    referential: Referential,
    actor: Actor,
    clock: Clock,
) -> Transition:
    """R6: objectives are exactly the gaps (derived, never typed in), with a calendar; R7; R8."""
    _require_state(file, FileState.EVALUATED)
    _require_pinned(file, referential)
    today = clock.today()
    _require_within_window(file, today)
    _check_trainer(file, trainer)
    objectives = objectives_from_gaps(compute_mastery(referential, file.evaluations))
    deadline = file.deadline
    assert deadline is not None  # EVALUATED implies an initial evaluation
    check_calendar(objectives, sessions, today, deadline)
    path = TrainingPath(trainer, training_organisation, objectives, sessions)
    detail = {
        "trainer": trainer,
        "objectives": ",".join(path.objective_subdomains),
        "ends_on": path.ends_on.isoformat(),
    }
    return _move(file, FileState.TRAINING, DecisionKind.TRAINING_PATH, actor, clock, detail, paths=(*file.paths, path))


def adjust_training_path(
    file: CandidateFile,
    trainer: str,
    sessions: tuple[TrainingSession, ...],
    actor: Actor,
    clock: Clock,
) -> Transition:
    """Change the trainer or the calendar of the current path; its objectives stay the gaps (R6, R7, R8).

    The adjusted path is appended after the one it replaces, which stays in ``file.paths``: a former trainer
    trained the candidate and must stay barred from evaluating them (R7).
    """
    _require_state(file, FileState.TRAINING)
    current = file.current_path
    assert current is not None
    today = clock.today()
    _require_within_window(file, today)
    _check_trainer(file, trainer)
    deadline = file.deadline
    assert deadline is not None
    check_calendar(current.objectives, sessions, today, deadline)
    adjusted = replace(current, trainer=trainer, sessions=sessions)
    detail = {"trainer": trainer, "ends_on": adjusted.ends_on.isoformat()}
    return _move(
        file,
        FileState.TRAINING,
        DecisionKind.TRAINING_PATH_ADJUSTED,
        actor,
        clock,
        detail,
        paths=(*file.paths, adjusted),
    )


def record_final_evaluation(
    file: CandidateFile,
    evaluation: Evaluation,
    referential: Referential,
    actor: Actor,
    clock: Clock,
    max_span_days: int = DEFAULT_MAX_SPAN_DAYS,
) -> Transition:
    """R9: covers exactly what the path worked on; acquired items are kept; R7; R8; then jury or more training."""
    _require_state(file, FileState.TRAINING)
    if evaluation.kind is not EvaluationKind.FINAL:
        raise DomainError(
            "wrong_evaluation_kind",
            "R9",
            "Le dossier attend l'évaluation finale.",
            "The file awaits its final evaluation.",
        )
    today = clock.today()
    _require_within_window(file, today)
    _check_evaluation(file, evaluation, referential, today, max_span_days)
    path = file.current_path
    assert path is not None
    scope = path.objective_criteria
    outside = sorted(evaluation.criteria - scope)
    missing = sorted(scope - evaluation.criteria)
    if outside or missing:
        raise DomainError(
            "final_evaluation_scope",
            "R9",
            "L'évaluation finale porte exactement sur les objectifs du parcours"
            + (f" ; hors parcours : {', '.join(outside)}" if outside else "")
            + (f" ; non évalués : {', '.join(missing)}" if missing else "")
            + ".",
            "The final evaluation covers exactly the path's objectives"
            + (f"; outside the path: {', '.join(outside)}" if outside else "")
            + (f"; not evaluated: {', '.join(missing)}" if missing else "")
            + ".",
        )
    evaluations = (*file.evaluations, evaluation)
    report = compute_mastery(referential, evaluations)
    return _move(
        file,
        _after_evaluation(report),
        DecisionKind.FINAL_EVALUATION,
        actor,
        clock,
        _evaluation_detail(evaluation, report),
        evaluations=evaluations,
    )


def require_jury_ready(file: CandidateFile, referential: Referential) -> MasteryReport:
    """R10: a file reaches (and leaves certified from) the jury only with every competence of the 7 domains."""
    _require_pinned(file, referential)
    report = compute_mastery(referential, file.evaluations)
    if not report.ready_for_jury:
        missing = [d.code for d in report.domains if not d.mastered]
        raise DomainError(
            "not_ready_for_jury",
            "R10",
            f"Tous les domaines doivent être maîtrisés ; domaines non maîtrisés : {', '.join(missing)}.",
            f"Every domain must be mastered; not mastered: {', '.join(missing)}.",
        )
    return report


def submit_to_jury(file: CandidateFile, referential: Referential, actor: Actor, clock: Clock) -> Transition:
    _require_state(file, FileState.READY_FOR_JURY, rule="R10")  # R10: only a file ready for the jury goes
    require_jury_ready(file, referential)
    return _move(file, FileState.SUBMITTED, DecisionKind.SUBMITTED, actor, clock)


def record_jury_outcome(
    file: CandidateFile,
    outcome: str,
    referential: Referential,
    actor: Actor,
    clock: Clock,
    reasons: str = "",
    certificate_number: str = "",
) -> Transition:
    """R12, seen from the file: certified (R10 checked again), refused with reasons, or adjourned."""
    _require_state(file, FileState.SUBMITTED)
    detail = {"outcome": outcome, "reasons": reasons, "certificate_number": certificate_number}
    if outcome == "certified":
        require_jury_ready(file, referential)
        return _move(file, FileState.CERTIFIED, DecisionKind.JURY_DECISION, actor, clock, detail)
    if outcome == "refused":
        if not reasons.strip():
            raise DomainError(
                "reasons_required",
                "R12",
                "Un refus doit être motivé.",
                "A refusal must give its reasons.",
            )
        return _move(file, FileState.REFUSED, DecisionKind.JURY_DECISION, actor, clock, detail)
    if outcome == "adjourned":
        return _move(file, FileState.SUBMITTED, DecisionKind.JURY_DECISION, actor, clock, detail)
    raise DomainError(
        "unknown_outcome",
        "R12",
        f"Décision du jury inconnue : {outcome!r} (certifié, refusé ou ajourné).",
        f"Unknown jury outcome {outcome!r} (certified, refused or adjourned).",
    )


def withdraw(
    file: CandidateFile,
    reason: str,
    actor: Actor,
    clock: Clock,
    detail: str = "",
    confirmed_on: date | None = None,
) -> Transition:
    """R2: the person may leave at any time, for a reason from the list (the code is what gets counted)."""
    checked = withdrawal(reason, detail, confirmed_on, clock.today())
    recorded = {
        "reason_code": checked.reason.value,
        "reason": checked.detail or checked.reason.label_fr,
        "confirmed_on": checked.confirmed_on.isoformat() if checked.confirmed_on else "",
    }
    return _move(file, FileState.WITHDRAWN, DecisionKind.WITHDRAWN, actor, clock, recorded)


def transfer_out(
    file: CandidateFile, target_organisation: str, consent: Consent | None, actor: Actor, clock: Clock
) -> Transition:
    """R2: with consent, the file moves to another organisation; this copy is closed."""
    _require_consent(consent, "transférer son dossier", "transfer their file")
    if target_organisation == file.organisation:
        raise DomainError(
            "transfer_to_self",
            "R2",
            "Le dossier est déjà dans cet organisme.",
            "The file already belongs to that organisation.",
        )
    return _move(file, FileState.TRANSFERRED, DecisionKind.TRANSFERRED_OUT, actor, clock, {"to": target_organisation})


def receive_transfer(
    exported: CandidateFile,
    file_id: str,
    organisation: str,
    referential: Referential,
    consent: Consent | None,
    actor: Actor,
    clock: Clock,
) -> Transition:
    """R2: the receiving organisation resumes the file where it stood, keeping evaluations and history."""
    given = _require_consent(consent, "reprendre son dossier", "take over their file")
    _require_pinned(exported, referential)
    if exported.state is not FileState.TRANSFERRED:
        raise DomainError(
            "state_conflict",
            "R2",
            "Seul un dossier transféré avec le consentement de la personne peut être repris.",
            "Only a file transferred with the person's consent can be taken over.",
        )
    if not exported.evaluations:
        state = FileState.FILE_OPENED
    else:
        state = _after_evaluation(compute_mastery(referential, exported.evaluations))
    decision = Decision(
        DecisionKind.TRANSFERRED_IN,
        actor,
        clock.now(),
        exported.referential_id,
        FileState.TRANSFERRED,
        state,
        {"from": exported.organisation},
    )
    file = replace(
        exported,
        file_id=file_id,
        organisation=organisation,
        state=state,
        consent=given,
        decisions=(*exported.decisions, decision),
    )
    return Transition(file, decision)


def expire(file: CandidateFile, actor: Actor, clock: Clock) -> Transition:
    """R8: once the 5-year window is over, the path stops and a new évaluation préalable is needed."""
    deadline = file.deadline
    if deadline is None or not is_expired(deadline, clock.today()):
        raise DomainError(
            "not_expired",
            "R8",
            "Le délai de 5 ans n'est pas dépassé.",
            "The 5-year window is not over.",
        )
    return _move(file, FileState.EXPIRED, DecisionKind.EXPIRED, actor, clock, {"deadline": deadline.isoformat()})


def restart_after_expiry(file: CandidateFile, consent: Consent | None, actor: Actor, clock: Clock) -> Transition:
    """R8 (and R2): after expiry or a withdrawal, the file starts again, with fresh consent, from a new évaluation
    préalable; earlier results no longer count."""
    _require_state(file, FileState.EXPIRED, FileState.WITHDRAWN)
    given = _require_consent(consent, "reprendre son parcours", "restart their path")
    return _move(
        file,
        FileState.FILE_OPENED,
        DecisionKind.RESTARTED,
        actor,
        clock,
        consent=given,
        evaluations=(),
        archived_evaluations=(*file.archived_evaluations, *file.evaluations),
    )
