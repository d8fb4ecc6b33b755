"""Statement periods are whole months: ``("2026-01", "2026-06")`` → 1 January to 30 June."""

from __future__ import annotations

import calendar
from datetime import date

from django.utils import timezone


def parse_month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def month_period(start: str | None, end: str | None, today: date | None = None) -> tuple[date, date]:
    """First day of ``start``'s month, last day of ``end``'s (default: the current month for both)."""
    now = today or timezone.localdate()
    first = parse_month(start) if start else (parse_month(end) if end else now.replace(day=1))
    last_month = parse_month(end) if end else (first if start else now.replace(day=1))
    if last_month < first:
        raise ValueError("La fin de la période précède son début.")
    if (last_month.year - first.year) * 12 + last_month.month - first.month >= 36:
        raise ValueError("Une période couvre au plus 36 mois.")
    last = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    return first, last
