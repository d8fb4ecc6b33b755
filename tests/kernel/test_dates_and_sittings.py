"""Coherent dates (R3, R8, R9) and sittings (R3, R7): kernel rules, with property tests over random dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.kernel.builders import (
    COUNSELLOR,
    EVALUATOR,
    SECOND_EVALUATOR,
    TRAINER,
    all_but,
    initial_evaluation,
    refused,
    walk_to,
)

from clea.kernel.clock import FixedClock
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState, deadline_for, record_final_evaluation, record_initial_evaluation
from clea.kernel.journey.dates import DEFAULT_MAX_SPAN_DAYS, check_days, check_result_dates
from clea.kernel.journey.sittings import OpenEvaluation, Sitting, SittingEntry, add_sitting, close
from clea.kernel.mastery import EvaluationKind
from clea.kernel.referential import Referential, default_referential

REFERENTIAL = default_referential()
TODAY = date(2026, 6, 1)
AT = datetime(2026, 6, 1, 9, tzinfo=UTC)

day_offsets = st.lists(st.integers(min_value=-400, max_value=30), min_size=1, max_size=6)


# ------------------------------------------------------------------------------------------ dates (pure)


@given(offsets=day_offsets, consent_offset=st.integers(min_value=-400, max_value=0))
def test_check_days_accepts_exactly_the_coherent_sequences(offsets: list[int], consent_offset: int) -> None:
    days = [TODAY + timedelta(days=o) for o in offsets]
    consent_on = TODAY + timedelta(days=consent_offset)
    coherent = max(days) <= TODAY and min(days) >= consent_on and (max(days) - min(days)).days <= DEFAULT_MAX_SPAN_DAYS
    try:
        check_days(days, TODAY, consent_on)
    except DomainError as error:
        assert not coherent
        assert error.rule in ("R3", "R8")
        assert error.code in ("evaluation_in_future", "day_before_consent", "evaluation_span")
    else:
        assert coherent


@given(offsets=day_offsets, initial_end=st.integers(min_value=-400, max_value=0))
def test_final_days_come_after_the_initial(offsets: list[int], initial_end: int) -> None:
    days = [TODAY + timedelta(days=o) for o in offsets]
    ended = TODAY + timedelta(days=initial_end)
    try:
        check_days(days, TODAY, None, 10_000, initial_ended_on=ended)
    except DomainError as error:
        assert max(days) > TODAY or min(days) < ended
        if max(days) <= TODAY:
            assert (error.code, error.rule) == ("final_before_initial", "R9")
    else:
        assert min(days) >= ended and max(days) <= TODAY


@given(offsets=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=5), extra=st.integers(1, 30))
def test_results_are_dated_on_the_days(offsets: list[int], extra: int) -> None:
    days = {TODAY - timedelta(days=o) for o in offsets}
    check_result_dates(days, [(f"c{i}", d) for i, d in enumerate(sorted(days))])
    stray = TODAY + timedelta(days=extra)
    with refused("result_off_days", "R3"):
        check_result_dates(days, [("1.1.1", stray)])


def test_each_refusal_has_its_rule_and_french_message() -> None:
    with refused("evaluation_in_future", "R8"):
        check_days([TODAY + timedelta(days=1)], TODAY, None)
    with refused("day_before_consent", "R8"):
        check_days([TODAY - timedelta(days=3)], TODAY, TODAY - timedelta(days=2))
    with refused("evaluation_span", "R3"):
        check_days([TODAY - timedelta(days=40), TODAY], TODAY, None, max_span_days=30)
    with refused("final_before_initial", "R9"):
        check_days([TODAY - timedelta(days=2)], TODAY, None, initial_ended_on=TODAY - timedelta(days=1))
    with refused("evaluation_empty", "R3"):
        check_days([], TODAY, None)


# ------------------------------------------------------------------------------- dates through transitions


def test_initial_evaluation_before_consent_is_refused() -> None:
    clock = FixedClock()
    file = walk_to(FileState.FILE_OPENED, REFERENTIAL, clock)
    assert file.consent is not None
    evaluation = initial_evaluation(REFERENTIAL, REFERENTIAL.criterion_codes, file.consent.given_on - timedelta(1))
    with refused("day_before_consent", "R8"):
        record_initial_evaluation(file, evaluation, REFERENTIAL, EVALUATOR, clock)


def test_result_dated_off_the_days_is_refused() -> None:
    clock = FixedClock()
    file = walk_to(FileState.FILE_OPENED, REFERENTIAL, clock)
    clock.advance(days=2)
    evaluation = initial_evaluation(REFERENTIAL, REFERENTIAL.criterion_codes, clock.today())
    stray = replace(evaluation.results[0], evaluated_on=clock.today() - timedelta(days=1))
    evaluation = replace(evaluation, results=(stray, *evaluation.results[1:]))
    with refused("result_off_days", "R3"):
        record_initial_evaluation(file, evaluation, REFERENTIAL, EVALUATOR, clock)


def test_span_is_a_parameter() -> None:
    clock = FixedClock()
    file = walk_to(FileState.FILE_OPENED, REFERENTIAL, clock)
    clock.advance(days=20)
    evaluation = initial_evaluation(REFERENTIAL, REFERENTIAL.criterion_codes, clock.today())
    evaluation = replace(evaluation, days=(clock.today() - timedelta(days=15), clock.today()))
    with refused("evaluation_span", "R3"):
        record_initial_evaluation(file, evaluation, REFERENTIAL, EVALUATOR, clock, max_span_days=10)
    assert record_initial_evaluation(file, evaluation, REFERENTIAL, EVALUATOR, clock).file.state is (
        FileState.READY_FOR_JURY
    )


def test_window_runs_from_the_first_day_of_the_initial_evaluation() -> None:
    clock = FixedClock()
    file = walk_to(FileState.FILE_OPENED, REFERENTIAL, clock)
    clock.advance(days=30)
    first = clock.today() - timedelta(days=25)
    evaluation = initial_evaluation(REFERENTIAL, all_but(REFERENTIAL, "4.2"), clock.today())
    evaluation = replace(evaluation, days=(first, clock.today()))
    moved = record_initial_evaluation(file, evaluation, REFERENTIAL, EVALUATOR, clock).file
    assert moved.deadline == deadline_for(first)


def test_final_evaluation_before_the_initial_ended_is_refused() -> None:
    clock = FixedClock()
    file = walk_to(FileState.TRAINING, REFERENTIAL, clock)
    path = file.current_path
    initial = file.initial_evaluation
    assert path is not None and initial is not None
    from tests.kernel.builders import final_evaluation

    evaluation = final_evaluation(REFERENTIAL, path, path.objective_criteria, initial.ended_on - timedelta(days=1))
    with refused("final_before_initial", "R9"):
        record_final_evaluation(file, evaluation, REFERENTIAL, SECOND_EVALUATOR, clock)


# ------------------------------------------------------------------------------------------------ sittings


def _sitting(day: date, evaluator: str, codes: list[str], acquired: bool = True) -> Sitting:
    return Sitting(day, evaluator, evaluator, AT, tuple(SittingEntry(c, acquired) for c in codes))


def _thirds(referential: Referential) -> list[list[str]]:
    codes = sorted(referential.criterion_codes)
    n = len(codes) // 3
    return [codes[:n], codes[n : 2 * n], codes[2 * n :]]


def test_three_sittings_two_evaluators_then_close_changes_the_stage() -> None:
    clock = FixedClock()
    file = walk_to(FileState.FILE_OPENED, REFERENTIAL, clock)
    opened = OpenEvaluation(EvaluationKind.INITIAL, REFERENTIAL.identity, "btp")
    parts = _thirds(REFERENTIAL)
    evaluators = [EVALUATOR.id, SECOND_EVALUATOR.id, EVALUATOR.id]
    for part, who in zip(parts, evaluators, strict=True):
        clock.advance(days=2)
        opened = add_sitting(file, opened, _sitting(clock.today(), who, part), REFERENTIAL, clock.today())
        if part is not parts[-1]:
            with refused("evaluation_incomplete", "R3"):
                close(file, opened, REFERENTIAL)
    assert len(opened.days) == 3
    # A correction while open: the latest entry counts, the earlier one stays in the history.
    corrected = parts[0][0]
    opened = add_sitting(
        file, opened, _sitting(clock.today(), SECOND_EVALUATOR.id, [corrected], False), REFERENTIAL, clock.today()
    )
    assert opened.corrected() == {corrected}
    evaluation = close(file, opened, REFERENTIAL)
    assert {r.evaluator for r in evaluation.results} == {EVALUATOR.id, SECOND_EVALUATOR.id}
    result = next(r for r in evaluation.results if r.criterion == corrected)
    assert result.acquired is False and result.evaluated_on == clock.today()
    moved = record_initial_evaluation(file, evaluation, REFERENTIAL, COUNSELLOR, clock).file
    assert moved.state is FileState.EVALUATED
    assert moved.deadline == deadline_for(opened.days[0])


def test_sitting_by_the_candidates_trainer_is_refused() -> None:
    clock = FixedClock()
    file = walk_to(FileState.TRAINING, REFERENTIAL, clock)
    path = file.current_path
    assert path is not None
    clock.advance(days=10)
    opened = OpenEvaluation(EvaluationKind.FINAL, REFERENTIAL.identity)
    with refused("trainer_is_evaluator", "R7"):
        add_sitting(
            file,
            opened,
            _sitting(clock.today(), TRAINER.id, sorted(path.objective_criteria)),
            REFERENTIAL,
            clock.today(),
        )
    outside = sorted(REFERENTIAL.criterion_codes - path.objective_criteria)[:1]
    with refused("final_evaluation_scope", "R9"):
        add_sitting(file, opened, _sitting(clock.today(), EVALUATOR.id, outside), REFERENTIAL, clock.today())


@given(offsets=st.lists(st.integers(min_value=-200, max_value=5), min_size=1, max_size=5))
def test_sitting_days_follow_the_date_rules(offsets: list[int]) -> None:
    clock = FixedClock()
    file = walk_to(FileState.FILE_OPENED, REFERENTIAL, clock)
    assert file.consent is not None
    clock.advance(days=100)
    today = clock.today()
    opened = OpenEvaluation(EvaluationKind.INITIAL, REFERENTIAL.identity)
    code = sorted(REFERENTIAL.criterion_codes)[0]
    accepted: list[date] = []
    for offset in offsets:
        day = today + timedelta(days=offset)
        candidate_days = [*accepted, day]
        coherent = (
            day <= today
            and day >= file.consent.given_on
            and (max(candidate_days) - min(candidate_days)).days <= DEFAULT_MAX_SPAN_DAYS
        )
        try:
            opened = add_sitting(file, opened, _sitting(day, EVALUATOR.id, [code]), REFERENTIAL, today)
        except DomainError as error:
            assert not coherent, error.message_en
            assert error.rule in ("R3", "R8")
        else:
            assert coherent
            accepted.append(day)
    assert list(opened.days) == sorted(set(accepted))


def test_empty_sitting_and_duplicates_are_refused() -> None:
    clock = FixedClock()
    file = walk_to(FileState.FILE_OPENED, REFERENTIAL, clock)
    opened = OpenEvaluation(EvaluationKind.INITIAL, REFERENTIAL.identity)
    with refused("sitting_empty", "R3"):
        add_sitting(file, opened, _sitting(clock.today(), EVALUATOR.id, []), REFERENTIAL, clock.today())
    code = sorted(REFERENTIAL.criterion_codes)[0]
    with refused("duplicate_criterion"):
        add_sitting(file, opened, _sitting(clock.today(), EVALUATOR.id, [code, code]), REFERENTIAL, clock.today())
    with refused("unknown_criterion", "R13"):
        add_sitting(file, opened, _sitting(clock.today(), EVALUATOR.id, ["9.9.9"]), REFERENTIAL, clock.today())


@pytest.mark.parametrize("state", [FileState.REFERRED, FileState.EVALUATED])
def test_no_sitting_when_no_evaluation_is_awaited(state: FileState) -> None:
    clock = FixedClock()
    file = walk_to(state, REFERENTIAL, clock)
    opened = OpenEvaluation(EvaluationKind.INITIAL, REFERENTIAL.identity)
    code = sorted(REFERENTIAL.criterion_codes)[0]
    with refused("state_conflict"):
        add_sitting(file, opened, _sitting(clock.today(), EVALUATOR.id, [code]), REFERENTIAL, clock.today())


def test_no_evidence_before_consent() -> None:
    from clea.kernel.evidence import require_consent_for_evidence

    with refused("consent_required", "R2"):
        require_consent_for_evidence(None)
    require_consent_for_evidence(TODAY)
