"""Issue 17 §4: plausible birth and session dates (plain Python, no database)."""

from __future__ import annotations

import datetime as dt

from clea.kernel.plausibility import birth_date_problem, session_date_problem

TODAY = dt.date(2026, 12, 4)


def test_birth_dates() -> None:
    assert birth_date_problem(dt.date(1800, 1, 1), TODAY) is not None
    assert birth_date_problem(dt.date(2999, 1, 1), TODAY) is not None
    assert birth_date_problem(dt.date(2020, 1, 1), TODAY) is not None  # six years old
    assert birth_date_problem(dt.date(1980, 5, 17), TODAY) is None
    assert birth_date_problem(None, TODAY) is None
    assert birth_date_problem(dt.date(1915, 3, 1), dt.date(2024, 2, 29)) is None  # leap day: no crash


def test_session_dates() -> None:
    assert session_date_problem(dt.datetime(137, 1, 1, 9), TODAY) is not None
    assert session_date_problem(dt.datetime(2999, 1, 1, 9), TODAY) is not None
    assert session_date_problem(dt.datetime(2027, 3, 1, 9), TODAY) is None
    assert session_date_problem(dt.date(2026, 6, 1), TODAY) is None
