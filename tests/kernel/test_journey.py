"""The candidate journey: the state machine and the rules R1–R3, R5–R10 and R13 it enforces."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from tests.kernel.builders import (
    COUNSELLOR,
    EVALUATOR,
    FORBIDDEN_WORDS_FR,
    JURY_SECRETARY,
    ORG,
    OTHER_COUNSELLOR,
    OTHER_ORG,
    REFERRAL,
    SECOND_EVALUATOR,
    SECOND_TRAINER,
    TRAINER,
    TRAINING_ORG,
    all_but,
    calendar_for,
    check_error,
    consent,
    criteria_of,
    final_evaluation,
    initial_evaluation,
    make_evaluation,
    other_version,
    refused,
    walk_to,
)

from clea.kernel.clock import FixedClock, SystemClock
from clea.kernel.errors import DomainError
from clea.kernel.journey import (
    ACTIVE_STATES,
    TRANSITIONS,
    Actor,
    CandidateFile,
    Consent,
    DecisionKind,
    FileState,
    TrainingPath,
    TrainingSession,
    adjust_training_path,
    days_left,
    deadline_for,
    due_reminders,
    expire,
    objectives_from_gaps,
    open_file,
    propose_training_path,
    receive_transfer,
    record_final_evaluation,
    record_initial_evaluation,
    record_jury_outcome,
    reminder_schedule,
    require_jury_ready,
    restart_after_expiry,
    submit_to_jury,
    suggest_calendar,
    transfer_out,
    welcome,
    withdraw,
)
from clea.kernel.jury import Outcome, certificate_number
from clea.kernel.mastery import Evaluation, EvaluationKind, compute_mastery
from clea.kernel.referential import Referential, default_referential, load_shipped

REF = default_referential()
CODES = sorted(REF.criterion_codes)
Walk = Callable[..., CandidateFile]


def opened(clock: FixedClock, referential: Referential = REF) -> CandidateFile:
    return walk_to(FileState.FILE_OPENED, referential, clock)


def path_of(file: CandidateFile) -> TrainingPath:
    path = file.current_path
    assert path is not None
    return path


# ------------------------------------------------------------------------------------------------ the table


def test_transitions_table_covers_every_state_and_terminal_states_are_final() -> None:
    assert set(TRANSITIONS) == set(FileState)
    for state, targets in TRANSITIONS.items():
        assert targets <= set(FileState)
        # A withdrawn file may be restarted with fresh consent: the one edge out of a terminal state.
        assert state.is_terminal == (
            not (targets - {FileState.FILE_OPENED} if state is FileState.WITHDRAWN else targets)
        )
    assert FileState.CERTIFIED in TRANSITIONS[FileState.SUBMITTED]
    assert all(FileState.CERTIFIED not in TRANSITIONS[s] for s in FileState if s is not FileState.SUBMITTED)


def test_r3_french_labels_never_say_failed() -> None:
    labels = [state.label_fr for state in FileState] + [outcome.label_fr for outcome in Outcome]
    assert all(label.strip() for label in labels)
    for label in labels:
        assert not any(word in label.lower() for word in FORBIDDEN_WORDS_FR), label


# ---------------------------------------------------------------------------------------------------- R1, R2


def test_r1_referral_is_recorded_on_the_file_and_in_the_decision(clock: FixedClock) -> None:
    moved = welcome("file-1", "candidate-1", ORG, REF, COUNSELLOR, clock, REFERRAL)
    assert moved.file.state is FileState.REFERRED
    assert moved.file.referral == REFERRAL
    assert moved.decision.kind is DecisionKind.WELCOMED
    assert moved.decision.detail == {"prescriber_type": "france_travail", "prescriber": "France Travail Lille"}
    assert moved.file.decisions == (moved.decision,)
    assert moved.decision.from_state is None


def test_r1_a_person_may_come_without_a_prescriber(clock: FixedClock) -> None:
    moved = welcome("file-1", "candidate-1", ORG, REF, COUNSELLOR, clock)
    assert moved.file.referral is None
    assert moved.decision.detail == {}


def test_r4_no_file_on_an_incomplete_referential(clock: FixedClock) -> None:
    with refused("referential_incomplete", "R4"):
        welcome("file-1", "candidate-1", ORG, load_shipped("clea-numerique.yaml"), COUNSELLOR, clock)


@pytest.mark.parametrize("given", [None, Consent("ouverture", date(2026, 1, 5), given=False)])
def test_r2_a_file_is_opened_only_with_explicit_consent(clock: FixedClock, given: Consent | None) -> None:
    file = walk_to(FileState.REFERRED, REF, clock)
    with refused("consent_required", "R2"):
        open_file(file, given, COUNSELLOR, clock)


def test_r2_consent_is_kept_on_the_opened_file(clock: FixedClock) -> None:
    file = walk_to(FileState.REFERRED, REF, clock)
    agreed = consent(clock.today())
    moved = open_file(file, agreed, COUNSELLOR, clock)
    assert moved.file.state is FileState.FILE_OPENED
    assert moved.file.consent == agreed
    assert moved.decision.detail == {"purpose": agreed.purpose}


@pytest.mark.parametrize(
    "state", [FileState.FILE_OPENED, FileState.EVALUATED, FileState.TRAINING, FileState.READY_FOR_JURY]
)
def test_r2_transfer_needs_consent(walk: Walk, clock: FixedClock, state: FileState) -> None:
    gaps = () if state is FileState.READY_FOR_JURY else ("4.2", "6.1")
    file = walk(state, gaps=gaps)
    with refused("consent_required", "R2"):
        transfer_out(file, OTHER_ORG, None, COUNSELLOR, clock)
    with refused("consent_required", "R2"):
        transfer_out(file, OTHER_ORG, Consent("transfert", clock.today(), given=False), COUNSELLOR, clock)
    with refused("transfer_to_self", "R2"):
        transfer_out(file, ORG, consent(clock.today()), COUNSELLOR, clock)
    moved = transfer_out(file, OTHER_ORG, consent(clock.today()), COUNSELLOR, clock)
    assert moved.file.state is FileState.TRANSFERRED
    assert moved.decision.detail == {"to": OTHER_ORG}


@pytest.mark.parametrize(
    ("state", "gaps", "arrives_as"),
    [
        (FileState.FILE_OPENED, ("4.2",), FileState.FILE_OPENED),
        (FileState.EVALUATED, ("4.2",), FileState.EVALUATED),
        (FileState.TRAINING, ("4.2",), FileState.EVALUATED),  # the receiving organisation proposes its own path
        (FileState.READY_FOR_JURY, (), FileState.READY_FOR_JURY),
    ],
)
def test_r2_transfer_exports_and_imports_keeping_evaluations_and_history(
    walk: Walk, clock: FixedClock, state: FileState, gaps: tuple[str, ...], arrives_as: FileState
) -> None:
    file = walk(state, gaps=gaps)
    exported = transfer_out(file, OTHER_ORG, consent(clock.today()), COUNSELLOR, clock).file
    with refused("consent_required", "R2"):
        receive_transfer(exported, "other-file-7", OTHER_ORG, REF, None, OTHER_COUNSELLOR, clock)
    clock.advance(days=2)
    moved = receive_transfer(exported, "other-file-7", OTHER_ORG, REF, consent(clock.today()), OTHER_COUNSELLOR, clock)
    received = moved.file
    assert received.state is arrives_as
    assert received.file_id == "other-file-7"
    assert received.organisation == OTHER_ORG
    assert received.candidate == file.candidate
    assert received.referential_id == file.referential_id
    assert received.evaluations == file.evaluations
    assert received.paths == file.paths
    assert received.referral == file.referral
    assert received.decisions[: len(exported.decisions)] == exported.decisions
    assert moved.decision.kind is DecisionKind.TRANSFERRED_IN
    assert moved.decision.detail == {"from": ORG}
    assert moved.decision.actor == OTHER_COUNSELLOR
    assert received.consent is not None and received.consent.given_on == clock.today()
    assert received.deadline == file.deadline


def test_r2_only_a_transferred_file_can_be_received(walk: Walk, clock: FixedClock) -> None:
    with refused("state_conflict", "R2"):
        receive_transfer(walk(FileState.EVALUATED), "x", OTHER_ORG, REF, consent(clock.today()), COUNSELLOR, clock)


def test_r2_a_file_not_yet_opened_cannot_be_transferred(walk: Walk, clock: FixedClock) -> None:
    with refused("state_conflict"):
        transfer_out(walk(FileState.REFERRED), OTHER_ORG, consent(clock.today()), COUNSELLOR, clock)


def test_r2_and_r7_the_received_file_still_knows_who_evaluated_and_trained(walk: Walk, clock: FixedClock) -> None:
    exported = transfer_out(walk(FileState.TRAINING), OTHER_ORG, consent(clock.today()), COUNSELLOR, clock).file
    received = receive_transfer(exported, "f", OTHER_ORG, REF, consent(clock.today()), OTHER_COUNSELLOR, clock).file
    with refused("trainer_is_evaluator", "R7"):
        propose_training_path(
            received, EVALUATOR.id, OTHER_ORG, calendar_for(received, REF, clock.today()), REF, OTHER_COUNSELLOR, clock
        )
    moved = propose_training_path(
        received, "trainer-afpa", OTHER_ORG, calendar_for(received, REF, clock.today()), REF, OTHER_COUNSELLOR, clock
    )
    evaluation = final_evaluation(REF, path_of(moved.file), set(), clock.today(), evaluator=TRAINER.id)
    with refused("trainer_is_evaluator", "R7"):  # trained the candidate at the first organisation
        record_final_evaluation(moved.file, evaluation, REF, OTHER_COUNSELLOR, clock)


def test_r2_the_person_may_leave_at_any_time_before_the_jury(walk: Walk, clock: FixedClock) -> None:
    for state in (FileState.REFERRED, FileState.FILE_OPENED, FileState.EVALUATED, FileState.TRAINING):
        moved = withdraw(walk(state), "moved", COUNSELLOR, clock)
        assert moved.file.state is FileState.WITHDRAWN
        assert moved.decision.detail == {"reason_code": "moved", "reason": "A déménagé", "confirmed_on": ""}
    assert (
        withdraw(walk(FileState.READY_FOR_JURY, gaps=()), "health", COUNSELLOR, clock).file.state is FileState.WITHDRAWN
    )
    assert withdraw(walk(FileState.EXPIRED), "unreachable", COUNSELLOR, clock).file.state is FileState.WITHDRAWN


# -------------------------------------------------------------------------------------------------------- R3


def test_r3_initial_evaluation_must_cover_every_criterion(clock: FixedClock) -> None:
    file = opened(clock)
    for dropped in ("1.1.1", "7.4.4"):
        partial = make_evaluation(REF, CODES, clock.today(), criteria=REF.criterion_codes - {dropped})
        with refused("initial_evaluation_incomplete", "R3") as info:
            record_initial_evaluation(file, partial, REF, EVALUATOR, clock)
        assert dropped in info.value.message_fr
    only_one_domain = make_evaluation(REF, CODES, clock.today(), criteria=criteria_of(REF, "1.1", "1.2"))
    with refused("initial_evaluation_incomplete", "R3") as info:
        record_initial_evaluation(file, only_one_domain, REF, EVALUATOR, clock)
    assert "…" in info.value.message_fr  # long lists are cut


def test_r3_initial_evaluation_refuses_unknown_criteria(clock: FixedClock) -> None:
    file = opened(clock)
    evaluation = make_evaluation(REF, set(), clock.today(), criteria=REF.criterion_codes | {"8.1.1"})
    with refused("unknown_criterion"):
        record_initial_evaluation(file, evaluation, REF, EVALUATOR, clock)


def test_r3_the_file_awaits_an_initial_evaluation(clock: FixedClock) -> None:
    evaluation = make_evaluation(REF, CODES, clock.today(), kind=EvaluationKind.FINAL)
    with refused("wrong_evaluation_kind", "R3"):
        record_initial_evaluation(opened(clock), evaluation, REF, EVALUATOR, clock)


def test_r3_an_evaluation_has_days_and_results_and_is_not_in_the_future(clock: FixedClock) -> None:
    file = opened(clock)
    good = initial_evaluation(REF, CODES, clock.today())
    with refused("evaluation_empty", "R3"):
        record_initial_evaluation(file, replace(good, days=()), REF, EVALUATOR, clock)
    with refused("evaluation_empty", "R3"):
        record_initial_evaluation(file, replace(good, results=()), REF, EVALUATOR, clock)
    with refused("evaluation_in_future"):
        record_initial_evaluation(file, replace(good, days=(clock.today() + timedelta(days=1),)), REF, EVALUATOR, clock)
    tomorrow = initial_evaluation(REF, CODES, clock.today() + timedelta(days=1))
    with refused("result_off_days", "R3"):  # a result dated off the evaluation's days (here: tomorrow)
        record_initial_evaluation(file, replace(tomorrow, days=(clock.today(),)), REF, EVALUATOR, clock)


def test_r3_an_evaluation_may_span_several_days(clock: FixedClock) -> None:
    file = opened(clock)
    first = clock.today()
    clock.advance(days=3)
    evaluation = replace(
        initial_evaluation(REF, all_but(REF, "3.3"), first), days=(first, first + timedelta(days=1), clock.today())
    )
    moved = record_initial_evaluation(file, evaluation, REF, EVALUATOR, clock)
    assert moved.file.state is FileState.EVALUATED
    assert moved.file.deadline == deadline_for(first)  # R8: counted from the first day, never stretched


def test_r3_the_evaluation_decision_speaks_of_strengths(clock: FixedClock) -> None:
    moved = record_initial_evaluation(
        opened(clock), initial_evaluation(REF, all_but(REF, "1.1"), clock.today()), REF, EVALUATOR, clock
    )
    assert moved.decision.detail["mastered_domains"] == "2,3,4,5,6,7"
    assert moved.decision.detail["criteria"] == "107"
    assert moved.decision.detail["acquired"] == "105"
    assert moved.file.state.label_fr == "Évalué — parcours à proposer"


# -------------------------------------------------------------------------------------------------------- R5


def test_r5_all_mastered_at_the_initial_evaluation_goes_straight_to_the_jury(
    clock: FixedClock, make_initial: Callable[..., Evaluation], actors: dict[str, Actor]
) -> None:
    moved = record_initial_evaluation(opened(clock), make_initial(REF.criterion_codes), REF, actors["evaluator"], clock)
    assert moved.file.state is FileState.READY_FOR_JURY
    assert moved.decision.to_state is FileState.READY_FOR_JURY
    assert moved.file.paths == ()
    with refused("state_conflict"):
        propose_training_path(moved.file, TRAINER.id, ORG, (), REF, COUNSELLOR, clock)
    submitted = submit_to_jury(moved.file, REF, COUNSELLOR, clock)
    assert submitted.file.state is FileState.SUBMITTED


def test_r5_exactly_at_threshold_everywhere_is_enough(clock: FixedClock) -> None:
    minimal = {c for _, s in REF.iter_subdomains() for c in s.criterion_codes[: -(-3 * len(s.criteria) // 4)]}
    moved = record_initial_evaluation(
        opened(clock), initial_evaluation(REF, minimal, clock.today()), REF, EVALUATOR, clock
    )
    assert moved.file.state is FileState.READY_FOR_JURY


# -------------------------------------------------------------------------------------------------------- R6


def test_r6_objectives_are_exactly_the_gaps(walk: Walk, clock: FixedClock) -> None:
    file = opened(clock)
    half_of_1_2 = set(REF.subdomain("1.2").criterion_codes[:2])
    acquired = all_but(REF, "1.2", "5.1", "7.2") | half_of_1_2 | {"1.4.1"} - {"1.4.2"}
    file = record_initial_evaluation(file, initial_evaluation(REF, acquired, clock.today()), REF, EVALUATOR, clock).file
    assert file.state is FileState.EVALUATED
    report = compute_mastery(REF, file.evaluations)
    moved = propose_training_path(file, TRAINER.id, ORG, calendar_for(file, REF, clock.today()), REF, COUNSELLOR, clock)
    path = path_of(moved.file)
    assert path.objective_subdomains == ("1.2", "5.1", "7.2")
    assert path.objectives == objectives_from_gaps(report)
    assert path.objective_criteria == (criteria_of(REF, "1.2", "5.1", "7.2") - half_of_1_2)
    assert moved.decision.detail["objectives"] == "1.2,5.1,7.2"
    assert moved.decision.detail["trainer"] == TRAINER.id
    # the portfolio keeps what is acquired: nothing acquired is an objective
    assert not (path.objective_criteria & report.acquired_criteria)


def test_r6_calendar_checks(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.EVALUATED, gaps=("4.2", "6.1"))
    today = clock.today()
    deadline = file.deadline
    assert deadline is not None

    def propose(sessions: tuple[TrainingSession, ...]) -> None:
        propose_training_path(file, TRAINER.id, ORG, sessions, REF, COUNSELLOR, clock)

    both = ("4.2", "6.1")
    with refused("calendar_required", "R6"):
        propose(())
    with refused("calendar_incomplete", "R6") as info:
        propose((TrainingSession(today, today + timedelta(days=5), ("4.2",)),))
    assert "6.1" in info.value.message_fr
    with refused("calendar_outside_objectives", "R6") as info:
        propose((TrainingSession(today, today + timedelta(days=5), (*both, "1.1")),))
    assert "1.1" in info.value.message_fr
    with refused("calendar_in_past", "R6"):
        propose((TrainingSession(today - timedelta(days=1), today + timedelta(days=5), both),))
    with refused("calendar_invalid", "R6"):
        propose((TrainingSession(today + timedelta(days=5), today, both),))
    with refused("calendar_after_deadline", "R8"):
        propose((TrainingSession(today, deadline + timedelta(days=1), both),))
    propose((TrainingSession(today, deadline, both),))  # the last day itself is fine


def test_r6_suggested_calendar_has_one_working_block_per_objective() -> None:
    objectives = objectives_from_gaps(
        compute_mastery(REF, [initial_evaluation(REF, all_but(REF, "2.1", "3.3"), date(2026, 1, 5))])
    )
    sessions = suggest_calendar(objectives, date(2026, 1, 10))  # a Saturday
    assert [s.subdomains for s in sessions] == [("2.1",), ("3.3",)]
    assert sessions[0].starts_on == date(2026, 1, 12)  # Monday
    assert all(s.starts_on.weekday() < 5 for s in sessions)
    assert sessions[1].starts_on > sessions[0].ends_on


# -------------------------------------------------------------------------------------------------------- R7


def test_r7_trainer_cannot_be_evaluator_when_proposing_a_path(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.EVALUATED)
    sessions = calendar_for(file, REF, clock.today())
    with refused("trainer_is_evaluator", "R7") as info:
        propose_training_path(file, EVALUATOR.id, ORG, sessions, REF, COUNSELLOR, clock)
    assert EVALUATOR.id in info.value.message_fr
    # same organisation, another person: allowed
    assert TRAINER.organisation == EVALUATOR.organisation
    moved = propose_training_path(file, TRAINER.id, ORG, sessions, REF, COUNSELLOR, clock)
    assert moved.file.state is FileState.TRAINING


def test_r7_an_evaluator_of_a_single_criterion_counts(clock: FixedClock) -> None:
    file = opened(clock)
    evaluation = initial_evaluation(REF, all_but(REF, "4.2"), clock.today())
    results = list(evaluation.results)
    results[0] = replace(results[0], evaluator="helper-evaluator")
    file = record_initial_evaluation(file, replace(evaluation, results=tuple(results)), REF, EVALUATOR, clock).file
    with refused("trainer_is_evaluator", "R7"):
        propose_training_path(
            file, "helper-evaluator", ORG, calendar_for(file, REF, clock.today()), REF, COUNSELLOR, clock
        )


def test_r7_trainer_cannot_run_the_final_evaluation(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.TRAINING)
    path = path_of(file)
    by_trainer = final_evaluation(REF, path, path.objective_criteria, clock.today(), evaluator=TRAINER.id)
    with refused("trainer_is_evaluator", "R7") as info:
        record_final_evaluation(file, by_trainer, REF, TRAINER, clock)
    assert TRAINER.id in info.value.message_fr
    # nor one of its criteria
    evaluation = final_evaluation(REF, path, path.objective_criteria, clock.today())
    results = list(evaluation.results)
    results[-1] = replace(results[-1], evaluator=TRAINER.id)
    with refused("trainer_is_evaluator", "R7"):
        record_final_evaluation(file, replace(evaluation, results=tuple(results)), REF, SECOND_EVALUATOR, clock)
    assert record_final_evaluation(file, evaluation, REF, SECOND_EVALUATOR, clock).file.state is (
        FileState.READY_FOR_JURY
    )


def test_r7_path_cannot_be_adjusted_to_an_evaluator(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.TRAINING)
    sessions = path_of(file).sessions
    with refused("trainer_is_evaluator", "R7"):
        adjust_training_path(file, EVALUATOR.id, sessions, COUNSELLOR, clock)
    moved = adjust_training_path(file, SECOND_TRAINER.id, sessions, COUNSELLOR, clock)
    assert moved.file.state is FileState.TRAINING
    assert path_of(moved.file).trainer == SECOND_TRAINER.id
    assert path_of(moved.file).objectives == path_of(file).objectives
    assert moved.decision.kind is DecisionKind.TRAINING_PATH_ADJUSTED


def test_r7_a_former_trainer_stays_barred_from_evaluating_after_the_path_is_adjusted(
    walk: Walk, clock: FixedClock
) -> None:
    file = walk(FileState.TRAINING)
    sessions = path_of(file).sessions
    file = adjust_training_path(file, SECOND_TRAINER.id, sessions, COUNSELLOR, clock).file
    assert TRAINER.id in file.trainers
    path = path_of(file)
    by_former_trainer = final_evaluation(REF, path, path.objective_criteria, clock.today(), evaluator=TRAINER.id)
    with refused("trainer_is_evaluator", "R7"):
        record_final_evaluation(file, by_former_trainer, REF, TRAINER, clock)


def test_r7_holds_across_an_expiry_and_a_new_initial_evaluation(walk: Walk, clock: FixedClock) -> None:
    file = restart_after_expiry(walk(FileState.EXPIRED), consent(clock.today()), COUNSELLOR, clock).file
    with refused("trainer_is_evaluator", "R7"):
        record_initial_evaluation(
            file, initial_evaluation(REF, CODES, clock.today(), evaluator=TRAINER.id), REF, TRAINER, clock
        )
    file = record_initial_evaluation(
        file,
        initial_evaluation(REF, all_but(REF, "4.2"), clock.today(), evaluator=SECOND_EVALUATOR.id),
        REF,
        SECOND_EVALUATOR,
        clock,
    ).file
    with refused("trainer_is_evaluator", "R7"):  # evaluated before the expiry
        propose_training_path(file, EVALUATOR.id, ORG, calendar_for(file, REF, clock.today()), REF, COUNSELLOR, clock)


# -------------------------------------------------------------------------------------------------------- R8


def test_r8_deadline_is_five_years_after_the_initial_evaluation() -> None:
    assert deadline_for(date(2026, 3, 10)) == date(2031, 3, 10)
    assert deadline_for(date(2024, 2, 29)) == date(2029, 2, 28)
    assert deadline_for(date(2023, 2, 28)) == date(2028, 2, 28)
    assert deadline_for(date(2027, 2, 28)) == date(2032, 2, 28)


def test_r8_file_deadline_follows_its_initial_evaluation(walk: Walk, clock: FixedClock) -> None:
    assert opened(clock).deadline is None
    file = walk(FileState.TRAINING)
    initial = file.initial_evaluation
    assert initial is not None
    assert file.deadline == deadline_for(initial.ended_on)


def test_r8_leap_day_initial_evaluation(clock: FixedClock) -> None:
    clock.current = datetime(2024, 2, 27, 9, tzinfo=UTC)
    file = opened(clock)  # opened on 28/02
    clock.current = datetime(2024, 2, 29, 9, tzinfo=UTC)
    file = record_initial_evaluation(
        file, initial_evaluation(REF, all_but(REF, "2.4"), clock.today()), REF, EVALUATOR, clock
    ).file
    assert file.deadline == date(2029, 2, 28)
    clock.current = datetime(2029, 2, 28, 18, tzinfo=UTC)
    with refused("not_expired", "R8"):
        expire(file, COUNSELLOR, clock)
    clock.current = datetime(2029, 3, 1, 0, 1, tzinfo=UTC)
    assert expire(file, COUNSELLOR, clock).file.state is FileState.EXPIRED


def test_r8_days_left() -> None:
    deadline = date(2031, 1, 10)
    assert days_left(deadline, date(2031, 1, 1)) == 9
    assert days_left(deadline, deadline) == 0
    assert days_left(deadline, date(2031, 1, 12)) == -2


def test_r8_reminders_go_out_before_the_deadline() -> None:
    deadline = date(2031, 1, 10)
    schedule = reminder_schedule(deadline)
    assert [r.days_before for r in schedule] == [180, 90, 30, 7]
    assert [r.due_on for r in schedule] == [deadline - timedelta(days=n) for n in (180, 90, 30, 7)]
    assert all(r.due_on < deadline for r in schedule)
    assert due_reminders(deadline, deadline - timedelta(days=181)) == ()
    assert [r.days_before for r in due_reminders(deadline, deadline - timedelta(days=180))] == [180]
    assert [r.days_before for r in due_reminders(deadline, deadline - timedelta(days=29), frozenset({180, 90}))] == [30]
    assert [r.days_before for r in due_reminders(deadline, deadline, frozenset({180, 90, 30}))] == [7]
    assert due_reminders(deadline, deadline, frozenset({180, 90, 30, 7})) == ()
    assert due_reminders(deadline, deadline + timedelta(days=1)) == ()  # none after expiry


def test_r8_expire_only_after_the_deadline(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.TRAINING)
    deadline = file.deadline
    assert deadline is not None
    with refused("not_expired", "R8"):
        expire(file, COUNSELLOR, clock)
    clock.current = datetime.combine(deadline, datetime.min.time(), UTC) + timedelta(hours=23)
    with refused("not_expired", "R8"):
        expire(file, COUNSELLOR, clock)
    clock.advance(hours=2)
    moved = expire(file, COUNSELLOR, clock)
    assert moved.file.state is FileState.EXPIRED
    assert moved.decision.detail == {"deadline": deadline.isoformat()}
    with refused("not_expired", "R8"):
        expire(opened(clock), COUNSELLOR, clock)


def test_r8_a_file_ready_for_jury_does_not_expire(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.READY_FOR_JURY)
    clock.advance(days=6 * 366)
    with refused("state_conflict"):
        expire(file, COUNSELLOR, clock)


def test_r8_path_transitions_are_refused_after_the_deadline(walk: Walk, clock: FixedClock) -> None:
    evaluated = walk(FileState.EVALUATED)
    training = walk(FileState.TRAINING, file_id="file-2")
    sessions = calendar_for(evaluated, REF, clock.today())
    path = path_of(training)
    assert evaluated.deadline is not None and training.deadline is not None
    after_both = max(evaluated.deadline, training.deadline) + timedelta(days=1)
    clock.current = datetime.combine(after_both, datetime.min.time(), UTC)
    with refused("window_expired", "R8"):
        propose_training_path(evaluated, TRAINER.id, ORG, sessions, REF, COUNSELLOR, clock)
    with refused("window_expired", "R8"):
        adjust_training_path(training, SECOND_TRAINER.id, path.sessions, COUNSELLOR, clock)
    with refused("window_expired", "R8"):
        record_final_evaluation(
            training, final_evaluation(REF, path, path.objective_criteria, clock.today()), REF, SECOND_EVALUATOR, clock
        )
    assert expire(training, COUNSELLOR, clock).file.state is FileState.EXPIRED


def test_r8_an_expired_file_cannot_be_reopened_with_its_old_results(walk: Walk, clock: FixedClock) -> None:
    """Only restart_after_expiry leaves EXPIRED for FILE_OPENED, setting the expired results aside."""
    expired = walk(FileState.EXPIRED)
    with refused("state_conflict"):
        open_file(expired, consent(clock.today()), COUNSELLOR, clock)
    with refused("state_conflict"):
        open_file(walk(FileState.FILE_OPENED, file_id="f2"), consent(clock.today()), COUNSELLOR, clock)


def test_r8_restart_after_expiry_needs_a_new_initial_evaluation(walk: Walk, clock: FixedClock) -> None:
    expired = walk(FileState.EXPIRED)
    with refused("consent_required", "R2"):
        restart_after_expiry(expired, None, COUNSELLOR, clock)
    moved = restart_after_expiry(expired, consent(clock.today()), COUNSELLOR, clock)
    file = moved.file
    assert file.state is FileState.FILE_OPENED
    assert moved.decision.kind is DecisionKind.RESTARTED
    assert file.evaluations == ()
    assert file.archived_evaluations == expired.evaluations
    assert file.deadline is None
    assert compute_mastery(REF, file.evaluations).acquired_criteria == frozenset()  # earlier results no longer count
    file = record_initial_evaluation(
        file,
        initial_evaluation(REF, all_but(REF, "1.1"), clock.today(), evaluator=SECOND_EVALUATOR.id),
        REF,
        SECOND_EVALUATOR,
        clock,
    ).file
    assert file.deadline == deadline_for(clock.today())
    with refused("state_conflict"):
        restart_after_expiry(walk(FileState.TRAINING, file_id="f2"), consent(clock.today()), COUNSELLOR, clock)


# -------------------------------------------------------------------------------------------------------- R9


def test_r9_final_evaluation_covers_exactly_the_objectives(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.TRAINING, gaps=("4.2", "6.1"))
    path = path_of(file)
    scope = path.objective_criteria
    assert scope == criteria_of(REF, "4.2", "6.1")
    today = clock.today()
    with refused("final_evaluation_scope", "R9") as info:
        record_final_evaluation(
            file,
            make_evaluation(
                REF, scope, today, criteria=scope | {"1.1.1"}, kind=EvaluationKind.FINAL, evaluator=SECOND_EVALUATOR.id
            ),
            REF,
            SECOND_EVALUATOR,
            clock,
        )
    assert "1.1.1" in info.value.message_fr
    missing = sorted(scope)[0]
    with refused("final_evaluation_scope", "R9") as info:
        record_final_evaluation(
            file,
            make_evaluation(
                REF, scope, today, criteria=scope - {missing}, kind=EvaluationKind.FINAL, evaluator=SECOND_EVALUATOR.id
            ),
            REF,
            SECOND_EVALUATOR,
            clock,
        )
    assert missing in info.value.message_en
    initial_kind = make_evaluation(REF, scope, today, criteria=scope, evaluator=SECOND_EVALUATOR.id)
    with refused("wrong_evaluation_kind", "R9"):
        record_final_evaluation(file, initial_kind, REF, SECOND_EVALUATOR, clock)


def test_r9_acquired_items_are_kept_and_a_new_path_targets_what_is_left(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.TRAINING, gaps=("4.2", "6.1"))
    before = compute_mastery(REF, file.evaluations).acquired_criteria
    path = path_of(file)
    moved = record_final_evaluation(
        file, final_evaluation(REF, path, criteria_of(REF, "4.2"), clock.today()), REF, SECOND_EVALUATOR, clock
    )
    assert moved.file.state is FileState.EVALUATED
    after = compute_mastery(REF, moved.file.evaluations)
    assert after.acquired_criteria == before | criteria_of(REF, "4.2")
    assert list(after.gaps) == ["6.1"]
    again = propose_training_path(
        moved.file, TRAINER.id, ORG, calendar_for(moved.file, REF, clock.today()), REF, COUNSELLOR, clock
    )
    assert path_of(again.file).objective_subdomains == ("6.1",)
    assert len(again.file.paths) >= 2


# ------------------------------------------------------------------------------------------------------- R10


def test_r10_submit_refuses_when_not_all_domains_are_mastered(walk: Walk, clock: FixedClock) -> None:
    smuggled = replace(walk(FileState.EVALUATED, gaps=("6.1",)), state=FileState.READY_FOR_JURY)
    with refused("not_ready_for_jury", "R10") as info:
        submit_to_jury(smuggled, REF, COUNSELLOR, clock)
    assert "6" in info.value.message_fr
    with refused("not_ready_for_jury", "R10"):
        require_jury_ready(smuggled, REF)


def test_r10_certifying_checks_mastery_again(walk: Walk, clock: FixedClock) -> None:
    smuggled = replace(walk(FileState.EVALUATED, gaps=("6.1",)), state=FileState.SUBMITTED)
    with refused("not_ready_for_jury", "R10"):
        record_jury_outcome(smuggled, "certified", REF, JURY_SECRETARY, clock)
    assert record_jury_outcome(smuggled, "refused", REF, JURY_SECRETARY, clock, reasons="Motif").file.state is (
        FileState.REFUSED
    )


@pytest.mark.parametrize("state", [FileState.REFERRED, FileState.FILE_OPENED, FileState.EVALUATED, FileState.TRAINING])
def test_r10_only_a_ready_file_is_submitted(walk: Walk, clock: FixedClock, state: FileState) -> None:
    with refused("state_conflict"):
        submit_to_jury(walk(state), REF, COUNSELLOR, clock)


# ------------------------------------------------------------------------------------------- R12 on the file


NUMBER = certificate_number(2026, 1)


def test_r12_jury_outcomes_on_the_file(walk: Walk, clock: FixedClock) -> None:
    submitted = walk(FileState.SUBMITTED)
    with refused("reasons_required", "R12"):
        record_jury_outcome(submitted, "refused", REF, JURY_SECRETARY, clock, reasons="  ")
    with refused("unknown_outcome", "R12"):
        record_jury_outcome(submitted, "failed", REF, JURY_SECRETARY, clock)
    adjourned = record_jury_outcome(submitted, "adjourned", REF, JURY_SECRETARY, clock)
    assert adjourned.file.state is FileState.SUBMITTED
    certified = record_jury_outcome(
        adjourned.file, Outcome.CERTIFIED, REF, JURY_SECRETARY, clock, certificate_number=NUMBER
    )
    assert certified.file.state is FileState.CERTIFIED
    assert certified.decision.detail["certificate_number"] == NUMBER
    actions: tuple[Callable[[CandidateFile], object], ...] = (
        lambda f: record_jury_outcome(f, "refused", REF, JURY_SECRETARY, clock, reasons="x"),
        lambda f: withdraw(f, "moved", COUNSELLOR, clock),
        lambda f: transfer_out(f, OTHER_ORG, consent(clock.today()), COUNSELLOR, clock),
    )
    for action in actions:
        with refused("state_conflict"):
            action(certified.file)


def test_r12_refusal_keeps_its_reasons(walk: Walk) -> None:
    refused_file = walk(FileState.REFUSED)
    assert refused_file.state is FileState.REFUSED
    assert refused_file.decisions[-1].detail["reasons"] == "Fraude avérée"


# ------------------------------------------------------------------------------------------------------- R13


def test_r13_every_decision_keeps_who_when_and_which_referential(walk: Walk, clock: FixedClock) -> None:
    file = walk(FileState.CERTIFIED)
    kinds = [d.kind for d in file.decisions]
    assert kinds == [
        DecisionKind.WELCOMED,
        DecisionKind.FILE_OPENED,
        DecisionKind.INITIAL_EVALUATION,
        DecisionKind.TRAINING_PATH,
        DecisionKind.FINAL_EVALUATION,
        DecisionKind.SUBMITTED,
        DecisionKind.JURY_DECISION,
    ]
    for previous, decision in zip(file.decisions, file.decisions[1:], strict=False):
        assert decision.from_state is previous.to_state
        assert decision.to_state in TRANSITIONS[previous.to_state]
        assert decision.at > previous.at
    assert file.decisions[-1].to_state is file.state
    for decision in file.decisions:
        assert decision.actor.id and decision.actor.role and decision.actor.organisation
        assert decision.at.tzinfo is not None
        assert decision.referential_id == REF.identity == file.referential_id
    assert file.decisions[-1].actor == JURY_SECRETARY
    assert file.decisions[-1].at == clock.now()


def test_r13_a_file_stays_on_its_referential_version(walk: Walk, clock: FixedClock) -> None:
    v2 = other_version()
    assert v2.code == REF.code and v2.identity != REF.identity
    file = opened(clock)
    with refused("referential_mismatch", "R13"):
        record_initial_evaluation(file, initial_evaluation(v2, v2.criterion_codes, clock.today()), v2, EVALUATOR, clock)
    with refused("referential_mismatch", "R13"):  # evaluation written against v2, checked with the file's version
        record_initial_evaluation(
            file, initial_evaluation(v2, v2.criterion_codes, clock.today()), REF, EVALUATOR, clock
        )
    evaluated = walk(FileState.EVALUATED, file_id="f2")
    with refused("referential_mismatch", "R13"):
        propose_training_path(
            evaluated, TRAINER.id, ORG, calendar_for(evaluated, REF, clock.today()), v2, COUNSELLOR, clock
        )
    training = walk(FileState.TRAINING, file_id="f3")
    path = path_of(training)
    with refused("referential_mismatch", "R13"):
        record_final_evaluation(
            training, final_evaluation(REF, path, set(), clock.today()), v2, SECOND_EVALUATOR, clock
        )
    ready = walk(FileState.READY_FOR_JURY, gaps=(), file_id="f4")
    with refused("referential_mismatch", "R13"):
        submit_to_jury(ready, v2, COUNSELLOR, clock)
    exported = transfer_out(ready, OTHER_ORG, consent(clock.today()), COUNSELLOR, clock).file
    with refused("referential_mismatch", "R13"):
        receive_transfer(exported, "f5", OTHER_ORG, v2, consent(clock.today()), OTHER_COUNSELLOR, clock)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (FileState.REFERRED, "initial"),
        (FileState.EVALUATED, "initial"),
        (FileState.FILE_OPENED, "open"),
        (FileState.TRAINING, "propose"),
        (FileState.EVALUATED, "adjust"),
        (FileState.EVALUATED, "final"),
        (FileState.READY_FOR_JURY, "jury"),
        (FileState.SUBMITTED, "withdraw"),
        (FileState.WITHDRAWN, "withdraw"),
        (FileState.TRANSFERRED, "transfer"),
        (FileState.CERTIFIED, "submit"),
        (FileState.EXPIRED, "propose"),
    ],
)
def test_state_conflicts_are_refused_with_a_stable_code(
    walk: Walk, clock: FixedClock, state: FileState, action: str
) -> None:
    file = walk(state, gaps=() if state in (FileState.READY_FOR_JURY, FileState.CERTIFIED) else ("4.2",))
    today = clock.today()
    actions: dict[str, Callable[[], object]] = {
        "initial": lambda: record_initial_evaluation(
            file, initial_evaluation(REF, CODES, today), REF, EVALUATOR, clock
        ),
        "open": lambda: open_file(file, consent(today), COUNSELLOR, clock),
        "propose": lambda: propose_training_path(file, TRAINER.id, ORG, (), REF, COUNSELLOR, clock),
        "adjust": lambda: adjust_training_path(file, TRAINER.id, (), COUNSELLOR, clock),
        "final": lambda: record_final_evaluation(
            file, make_evaluation(REF, CODES, today, kind=EvaluationKind.FINAL), REF, EVALUATOR, clock
        ),
        "jury": lambda: record_jury_outcome(file, "certified", REF, JURY_SECRETARY, clock),
        "withdraw": lambda: withdraw(file, "moved", COUNSELLOR, clock),
        "transfer": lambda: transfer_out(file, OTHER_ORG, consent(today), COUNSELLOR, clock),
        "submit": lambda: submit_to_jury(file, REF, COUNSELLOR, clock),
    }
    with refused("state_conflict") as info:
        actions[action]()
    assert file.state.label_fr in info.value.message_fr


def test_clocks_are_timezone_aware() -> None:
    assert SystemClock().now().tzinfo is not None
    assert SystemClock().today() == SystemClock().now().date()
    clock = FixedClock()
    start = clock.now()
    clock.advance(days=1, hours=2)
    assert clock.now() - start == timedelta(days=1, hours=2)
    assert clock.today() == (start + timedelta(days=1, hours=2)).date()


# ------------------------------------------------------------------------------------------------ properties

EVALUATORS = ("evaluator-1", "evaluator-2", "trainer-1", "trainer-2")
TRAINERS = ("trainer-1", "trainer-2", "evaluator-1", "evaluator-2")
ACTIONS = (
    "open",
    "initial",
    "propose",
    "adjust",
    "final",
    "submit",
    "jury",
    "withdraw",
    "transfer",
    "receive",
    "expire",
    "restart",
    "advance",
)
# Actions that move a file in that state forward; drawn most of the time so that walks go deep.
NATURAL: dict[FileState, tuple[str, ...]] = {
    FileState.REFERRED: ("open",),
    FileState.FILE_OPENED: ("initial",),
    FileState.EVALUATED: ("propose", "advance", "expire"),
    FileState.TRAINING: ("final", "final", "adjust", "advance", "expire"),
    FileState.READY_FOR_JURY: ("submit",),
    FileState.SUBMITTED: ("jury",),
    FileState.EXPIRED: ("restart", "open"),
    FileState.TRANSFERRED: ("receive",),
}


def draw_action(data: st.DataObject, state: FileState) -> str:
    natural = NATURAL.get(state, ())
    if natural and data.draw(st.integers(0, 3), label="natural?") > 0:
        return data.draw(st.sampled_from(natural), label="action")
    return data.draw(st.sampled_from(ACTIONS), label="action")


@functools.cache
def acquired_sets(codes: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    """All acquired, all but a few, or any subset (strategies are cached: building them costs more than drawing)."""
    everything = frozenset(codes)
    return (
        st.one_of(
            st.just(everything),
            st.frozensets(st.sampled_from(codes), max_size=6).map(lambda missing: everything - missing),
            st.frozensets(st.sampled_from(codes)),
        )
        if codes
        else st.just(frozenset())
    )


ONE_IN_THREE = st.integers(0, 2)
ANY_EVALUATOR = st.sampled_from(EVALUATORS)
ANY_TRAINER = st.sampled_from(TRAINERS)
EVALUATION_OFFSET = st.integers(-1, 3)  # -1: dated tomorrow
DROPPED = st.sampled_from([frozenset(), frozenset(), frozenset({CODES[0]})])
OUTCOMES = st.sampled_from(["certified", "certified", "refused", "adjourned", "bogus"])
REASONS = st.sampled_from(["", "Motif du jury"])
SESSION_START = st.integers(-1, 30)  # -1: in the past
ADVANCE = st.sampled_from([1, 7, 60, 400, 5 * 366])


def random_step(data: st.DataObject, action: str, file: CandidateFile, clock: FixedClock) -> CandidateFile:
    """One random action with random inputs; raises DomainError when the kernel refuses it."""
    today = clock.today()
    agreed = consent(today) if data.draw(ONE_IN_THREE, label="consent?") else None
    evaluator = data.draw(ANY_EVALUATOR, label="evaluator")
    eval_day = today - timedelta(days=data.draw(EVALUATION_OFFSET, label="eval offset"))
    if action == "open":
        return open_file(file, agreed, COUNSELLOR, clock).file
    if action == "initial":
        drop = data.draw(DROPPED, label="dropped")
        evaluation = make_evaluation(
            REF,
            data.draw(acquired_sets(tuple(CODES)), label="acquired"),
            eval_day,
            criteria=REF.criterion_codes - drop,
            evaluator=evaluator,
        )
        return record_initial_evaluation(file, evaluation, REF, EVALUATOR, clock).file
    if action in ("propose", "adjust"):
        trainer = data.draw(ANY_TRAINER, label="trainer")
        objectives = objectives_from_gaps(compute_mastery(REF, file.evaluations))
        sessions = suggest_calendar(objectives, today + timedelta(days=data.draw(SESSION_START, label="start")))
        perturb = data.draw(ONE_IN_THREE, label="perturb calendar") == 0
        if sessions and perturb:
            sessions = sessions[1:]
        if action == "propose":
            return propose_training_path(file, trainer, TRAINING_ORG, sessions, REF, COUNSELLOR, clock).file
        return adjust_training_path(file, trainer, sessions, COUNSELLOR, clock).file
    if action == "final":
        scope = sorted(file.paths[-1].objective_criteria) if file.paths else CODES[:5]
        criteria = set(scope)
        if data.draw(st.integers(0, 4), label="scope change") == 0:
            criteria ^= {data.draw(st.sampled_from(CODES), label="toggled")}
        acquired = data.draw(acquired_sets(tuple(sorted(criteria))), label="final acquired")
        evaluation = make_evaluation(
            REF, acquired, eval_day, criteria=criteria, kind=EvaluationKind.FINAL, evaluator=evaluator
        )
        return record_final_evaluation(file, evaluation, REF, SECOND_EVALUATOR, clock).file
    if action == "submit":
        return submit_to_jury(file, REF, COUNSELLOR, clock).file
    if action == "jury":
        outcome = data.draw(OUTCOMES, label="outcome")
        reasons = data.draw(REASONS, label="reasons")
        return record_jury_outcome(file, outcome, REF, JURY_SECRETARY, clock, reasons=reasons).file
    if action == "withdraw":
        return withdraw(file, "found_job", COUNSELLOR, clock).file
    if action == "transfer":
        return transfer_out(file, OTHER_ORG if file.organisation == ORG else ORG, agreed, COUNSELLOR, clock).file
    if action == "receive":
        target = OTHER_ORG if file.organisation == ORG else ORG
        return receive_transfer(file, f"{file.file_id}+", target, REF, agreed, OTHER_COUNSELLOR, clock).file
    if action == "expire":
        return expire(file, COUNSELLOR, clock).file
    if action == "restart":
        return restart_after_expiry(file, agreed, COUNSELLOR, clock).file
    assert action == "advance"
    clock.advance(days=data.draw(ADVANCE, label="days"))
    return file


def check_invariants(before: CandidateFile, after: CandidateFile, action: str, clock: FixedClock) -> None:
    if after is before:
        return
    decision = after.decisions[-1]
    assert after.decisions[:-1] == before.decisions
    assert decision.to_state is after.state
    assert decision.referential_id == REF.identity == after.referential_id
    assert decision.at == clock.now()
    if before.state is FileState.EXPIRED and after.state is FileState.FILE_OPENED:
        # R8: results from before the expiry no longer count
        assert after.evaluations == ()
        assert set(before.evaluations) <= set(after.archived_evaluations)
    if action == "receive":
        assert before.state is FileState.TRANSFERRED
        assert after.state in (FileState.FILE_OPENED, FileState.EVALUATED, FileState.READY_FOR_JURY)
    else:
        assert decision.from_state is before.state
        assert after.state in TRANSITIONS[before.state], (before.state, after.state)
    report = compute_mastery(REF, after.evaluations)
    if after.state in (FileState.READY_FOR_JURY, FileState.SUBMITTED, FileState.CERTIFIED):
        assert report.ready_for_jury, after.state
    if after.state is FileState.TRAINING:
        path = after.current_path
        assert path is not None
        assert path.objectives == objectives_from_gaps(report)  # R6
    # R7: nobody who was ever named trainer has evaluated, nobody who evaluated was ever named trainer
    ever_trainers = {d.detail["trainer"] for d in after.decisions if "trainer" in d.detail}
    assert not ever_trainers & after.evaluators
    # R8: no path work after the deadline of the evaluation that started it
    if after.deadline is not None and decision.kind in (
        DecisionKind.TRAINING_PATH,
        DecisionKind.TRAINING_PATH_ADJUSTED,
        DecisionKind.FINAL_EVALUATION,
    ):
        assert decision.at.date() <= after.deadline


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_r10_no_sequence_of_transitions_certifies_without_full_mastery(data: st.DataObject) -> None:
    clock = FixedClock()
    file = walk_to(FileState.REFERRED, REF, clock)
    for _ in range(data.draw(st.integers(1, 30), label="steps")):
        action = draw_action(data, file.state)
        before = file
        try:
            file = random_step(data, action, file, clock)
        except DomainError as error:
            check_error(error, error.code)
            note(f"{action} refused: {error.code}")
            continue
        note(f"{action}: {before.state.value} -> {file.state.value}")
        check_invariants(before, file, action, clock)
    if file.state is FileState.CERTIFIED:
        assert compute_mastery(REF, file.evaluations).ready_for_jury


@st.composite
def gap_sets(draw: st.DrawFn) -> frozenset[str]:
    """An acquired set for the évaluation préalable leaving at least one sub-domain to work on."""
    acquired = draw(acquired_sets(tuple(CODES)))
    if compute_mastery(REF, [initial_evaluation(REF, acquired, date(2026, 1, 5))]).ready_for_jury:
        acquired -= criteria_of(REF, draw(st.sampled_from(sorted(REF.subdomains_by_code))))
    return acquired


@settings(max_examples=80, deadline=None)
@given(acquired=gap_sets(), delta=st.frozensets(st.sampled_from(CODES), max_size=4), data=st.data())
def test_r9_final_evaluation_scope_equals_the_path_objectives(
    acquired: frozenset[str], delta: frozenset[str], data: st.DataObject
) -> None:
    clock = FixedClock()
    file = opened(clock)
    file = record_initial_evaluation(file, initial_evaluation(REF, acquired, clock.today()), REF, EVALUATOR, clock).file
    assert file.state is FileState.EVALUATED
    file = propose_training_path(
        file, TRAINER.id, ORG, calendar_for(file, REF, clock.today()), REF, COUNSELLOR, clock
    ).file
    clock.advance(days=30)
    scope = path_of(file).objective_criteria
    report = compute_mastery(REF, file.evaluations)
    assert scope == frozenset(c for missing in report.gaps.values() for c in missing)
    result_acquired = data.draw(st.frozensets(st.sampled_from(sorted(scope))), label="final acquired")
    other = scope ^ delta
    if other != scope:
        evaluation = make_evaluation(
            REF,
            result_acquired,
            clock.today(),
            criteria=other,
            kind=EvaluationKind.FINAL,
            evaluator=SECOND_EVALUATOR.id,
        )
        with refused("evaluation_empty" if not other else "final_evaluation_scope"):
            record_final_evaluation(file, evaluation, REF, SECOND_EVALUATOR, clock)
    exact = make_evaluation(
        REF, result_acquired, clock.today(), criteria=scope, kind=EvaluationKind.FINAL, evaluator=SECOND_EVALUATOR.id
    )
    moved = record_final_evaluation(file, exact, REF, SECOND_EVALUATOR, clock)
    after = compute_mastery(REF, moved.file.evaluations).acquired_criteria
    assert after == report.acquired_criteria | result_acquired  # R9: what was acquired is kept


def test_active_states_are_the_non_terminal_ones_in_journey_order() -> None:
    """The files still under way (home page to-do list, R8 reminders' scope): every state but the terminal ones."""
    assert ACTIVE_STATES == (
        FileState.REFERRED,
        FileState.FILE_OPENED,
        FileState.EVALUATED,
        FileState.TRAINING,
        FileState.READY_FOR_JURY,
        FileState.SUBMITTED,
        FileState.EXPIRED,
    )
    assert not any(state.is_terminal for state in ACTIVE_STATES)
