"""Collective sessions (R3): schedule, enrolment, attendance and the reminder, as pure rules."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests.kernel.builders import refused

from clea.kernel.collective import (
    Attendance,
    SessionPlan,
    check_attendance,
    check_enrolment,
    check_session,
    needs_another_session,
    reminder_due,
    week_of,
)

TODAY = date(2026, 6, 10)
PLAN = SessionPlan(TODAY + timedelta(days=7), time(9), time(12), "GRETA, salle 3", "", 10, ("user:1",))


def test_a_coherent_session_is_accepted() -> None:
    check_session(PLAN, TODAY)


def test_each_refusal_names_its_rule() -> None:
    from dataclasses import replace

    with refused("session_in_past", "R3"):
        check_session(replace(PLAN, on=TODAY - timedelta(days=1)), TODAY)
    with refused("session_times", "R3"):
        check_session(replace(PLAN, ends_at=time(9)), TODAY)
    with refused("session_place", "R3"):
        check_session(replace(PLAN, place=" "), TODAY)
    with refused("session_capacity", "R3"):
        check_session(replace(PLAN, capacity=0), TODAY)
    with refused("session_evaluators", "R3"):
        check_session(replace(PLAN, evaluators=()), TODAY)
    check_session(replace(PLAN, place="", video_link="https://visio.example/abc"), TODAY)


@given(enrolled=st.integers(0, 60), capacity=st.integers(1, 50))
def test_enrolment_respects_the_capacity(enrolled: int, capacity: int) -> None:
    if enrolled < capacity:
        check_enrolment(PLAN.on, TODAY, enrolled, capacity, False, True)
    else:
        with refused("session_full", "R3"):
            check_enrolment(PLAN.on, TODAY, enrolled, capacity, False, True)


def test_enrolment_refusals() -> None:
    with refused("session_over", "R3"):
        check_enrolment(TODAY - timedelta(days=1), TODAY, 0, 5, False, True)
    with refused("already_enrolled", "R3"):
        check_enrolment(TODAY, TODAY, 1, 5, True, True)
    with refused("state_conflict", "R3"):
        check_enrolment(TODAY, TODAY, 0, 5, False, False)


@given(offset=st.integers(-30, 30), value=st.sampled_from(list(Attendance)))
def test_attendance_is_taken_on_the_day_or_after(offset: int, value: Attendance) -> None:
    on = TODAY + timedelta(days=offset)
    if value is Attendance.PENDING:
        with refused("attendance_value", "R3"):
            check_attendance(on, TODAY, value)
    elif on > TODAY:
        with refused("attendance_too_early", "R3"):
            check_attendance(on, TODAY, value)
    else:
        check_attendance(on, TODAY, value)


def test_an_absence_offers_another_session_and_the_reminder_is_the_day_before() -> None:
    assert needs_another_session(Attendance.ABSENT) and needs_another_session(Attendance.EXCUSED)
    assert not needs_another_session(Attendance.PRESENT)
    assert reminder_due(TODAY + timedelta(days=1), TODAY)
    assert not reminder_due(TODAY + timedelta(days=2), TODAY) and not reminder_due(TODAY, TODAY)
    monday, sunday = week_of(TODAY)
    assert monday.weekday() == 0 and sunday - monday == timedelta(days=6) and monday <= TODAY <= sunday
