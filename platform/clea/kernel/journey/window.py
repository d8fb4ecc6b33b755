"""R8: the training path ends at most 5 years after the évaluation préalable; reminders before the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_YEARS = 5
REMINDER_DAYS_BEFORE: tuple[int, ...] = (180, 90, 30, 7)


def deadline_for(initial_evaluation_on: date, years: int = WINDOW_YEARS) -> date:
    """The last day on which the path may still end (29 February falls back to 28 February)."""
    try:
        return initial_evaluation_on.replace(year=initial_evaluation_on.year + years)
    except ValueError:
        return initial_evaluation_on.replace(year=initial_evaluation_on.year + years, day=28)


def days_left(deadline: date, today: date) -> int:
    """Days remaining until the deadline, 0 on the day itself, negative once it has passed."""
    return (deadline - today).days


def is_expired(deadline: date, today: date) -> bool:
    return today > deadline


@dataclass(frozen=True)
class Reminder:
    due_on: date
    days_before: int


def reminder_schedule(deadline: date, days_before: tuple[int, ...] = REMINDER_DAYS_BEFORE) -> tuple[Reminder, ...]:
    return tuple(Reminder(deadline - timedelta(days=n), n) for n in sorted(days_before, reverse=True))


def due_reminders(deadline: date, today: date, already_sent: frozenset[int] = frozenset()) -> tuple[Reminder, ...]:
    """Reminders whose date has come and that were not sent yet (by their ``days_before``), none after expiry."""
    if is_expired(deadline, today):
        return ()
    return tuple(
        reminder
        for reminder in reminder_schedule(deadline)
        if reminder.due_on <= today and reminder.days_before not in already_sent
    )
