"""Coherent dates of an evaluation (R3, R8, R9): refused here, in one place, before anything is stored.

- R8: consent ≤ every day of an evaluation ≤ today (``day_before_consent``, ``evaluation_in_future``);
- R3: each result is dated on one of its evaluation's days (``result_off_days``), and the days of one
  evaluation stay within a bounded span (``evaluation_span``, :data:`DEFAULT_MAX_SPAN_DAYS` by default);
- R9: an évaluation finale's days all come after the évaluation préalable's (none before its last day:
  ``final_before_initial``; the same day is allowed, as a préalable may end in the morning).

The 5-year window of R8 runs from the *first* day of the évaluation préalable
(:attr:`~clea.kernel.journey.file.CandidateFile.deadline`): adding later days cannot stretch it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from clea.kernel.errors import DomainError

DEFAULT_MAX_SPAN_DAYS = 90


def _fr(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def check_days(
    days: Iterable[date],
    today: date,
    consent_on: date | None,
    max_span_days: int = DEFAULT_MAX_SPAN_DAYS,
    initial_ended_on: date | None = None,
) -> None:
    """Refuse an evaluation's days that break R8 (consent ≤ day ≤ today), R3 (span) or R9 (after the préalable)."""
    ordered = sorted(set(days))
    if not ordered:
        raise DomainError(
            "evaluation_empty",
            "R3",
            "Une évaluation doit comporter au moins une journée.",
            "An evaluation needs at least one day.",
        )
    first, last = ordered[0], ordered[-1]
    if last > today:
        raise DomainError(
            "evaluation_in_future",
            "R8",
            f"Une évaluation ne peut pas être datée dans le futur (journée du {_fr(last)}).",
            f"An evaluation day cannot be in the future ({last.isoformat()}).",
        )
    if consent_on is not None and first < consent_on:
        raise DomainError(
            "day_before_consent",
            "R8",
            f"La journée du {_fr(first)} précède le consentement de la personne ({_fr(consent_on)}).",
            f"Day {first.isoformat()} is before the person's consent ({consent_on.isoformat()}).",
        )
    if (last - first).days > max_span_days:
        raise DomainError(
            "evaluation_span",
            "R3",
            f"Les journées d'une même évaluation tiennent en {max_span_days} jours au plus "
            f"(du {_fr(first)} au {_fr(last)}).",
            f"The days of one evaluation fit within {max_span_days} days ({first.isoformat()}–{last.isoformat()}).",
        )
    if initial_ended_on is not None and first < initial_ended_on:
        raise DomainError(
            "final_before_initial",
            "R9",
            f"L'évaluation finale a lieu après l'évaluation préalable (terminée le {_fr(initial_ended_on)}) : "
            f"la journée du {_fr(first)} la précède.",
            f"The final evaluation comes after the initial one (which ended on {initial_ended_on.isoformat()}).",
        )


def check_result_dates(days: Iterable[date], result_dates: Iterable[tuple[str, date]]) -> None:
    """R3: each result is dated on one of its evaluation's days."""
    allowed = set(days)
    off = sorted(code for code, on in result_dates if on not in allowed)
    if off:
        shown = ", ".join(off[:10]) + (" …" if len(off) > 10 else "")
        raise DomainError(
            "result_off_days",
            "R3",
            f"Chaque résultat est daté d'une journée de l'évaluation ; hors journées : {shown}.",
            f"Each result is dated on one of the evaluation's days; off the days: {shown}.",
        )
