"""Plausible dates (issue 17, §4): refused before anything is stored, by the API and the web alike.

Plain Python, no database. Each function returns the French message of the refusal, or ``None``.
"""

from __future__ import annotations

import datetime as dt

MIN_CANDIDATE_AGE = 14  # CléA is for adults in training or work; 14 leaves room for early apprenticeships
MAX_CANDIDATE_AGE = 110
SESSION_PAST_DAYS = 366  # a session may be recorded up to a year after it sat
SESSION_FUTURE_DAYS = 5 * 366  # and planned up to five years ahead


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def birth_date_problem(birth_date: dt.date | None, today: dt.date) -> str | None:
    if birth_date is None:
        return None
    if birth_date > _years_before(today, MIN_CANDIDATE_AGE):
        return f"Date de naissance peu plausible : le candidat doit avoir au moins {MIN_CANDIDATE_AGE} ans."
    if birth_date < _years_before(today, MAX_CANDIDATE_AGE):
        return f"Date de naissance peu plausible : plus de {MAX_CANDIDATE_AGE} ans."
    return None


def session_date_problem(starts_at: dt.datetime | dt.date | None, today: dt.date) -> str | None:
    if starts_at is None:
        return None
    day = starts_at.date() if isinstance(starts_at, dt.datetime) else starts_at
    if day < today - dt.timedelta(days=SESSION_PAST_DAYS):
        return "Date de session peu plausible : plus d'un an dans le passé."
    if day > today + dt.timedelta(days=SESSION_FUTURE_DAYS):
        return "Date de session peu plausible : plus de cinq ans à l'avance."
    return None
