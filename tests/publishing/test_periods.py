"""Statement periods are whole months."""

from __future__ import annotations

from datetime import date

import pytest

from clea.publishing.periods import month_period


def test_whole_months_and_defaults() -> None:
    today = date(2026, 2, 17)
    assert month_period("2026-01", "2026-02", today) == (date(2026, 1, 1), date(2026, 2, 28))
    assert month_period(None, None, today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_period("2024-02", None, today) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_period(None, "2025-12", today) == (date(2025, 12, 1), date(2025, 12, 31))


@pytest.mark.parametrize(("start", "end"), [("2026-03", "2026-01"), ("2020-01", "2023-01")])
def test_refused_periods(start: str, end: str) -> None:
    with pytest.raises(ValueError):
        month_period(start, end)
