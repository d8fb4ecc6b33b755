"""Collective evaluation sessions (R3): a sitting the candidate is convened to, with others.

Pure rules: a session's schedule is coherent, enrolment respects its capacity and the file's stage, attendance
is recorded only once the session has started, and an absence never records any criterion (R3: an absence is
never a "not acquired"). The reminder goes out the day before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

from clea.kernel.errors import DomainError


class Attendance(StrEnum):
    PENDING = "pending"
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label_fr(self) -> str:
        return {"pending": "à venir", "present": "présent", "absent": "absent", "excused": "excusé"}[self.value]


@dataclass(frozen=True)
class SessionPlan:
    on: date
    starts_at: time
    ends_at: time
    place: str
    video_link: str
    capacity: int
    evaluators: tuple[str, ...]


MAX_CAPACITY = 50


def check_session(plan: SessionPlan, today: date) -> None:
    """A session takes place today or later, ends after it starts, somewhere, with evaluators and seats."""
    if plan.on < today:
        raise DomainError(
            "session_in_past",
            "R3",
            f"Une séance collective se programme à partir d'aujourd'hui (et non le {plan.on:%d/%m/%Y}).",
            f"A collective session is scheduled from today on (not {plan.on.isoformat()}).",
        )
    if plan.ends_at <= plan.starts_at:
        raise DomainError(
            "session_times",
            "R3",
            "L'heure de fin de la séance doit suivre l'heure de début.",
            "The session must end after it starts.",
        )
    if not plan.place.strip() and not plan.video_link.strip():
        raise DomainError(
            "session_place",
            "R3",
            "Indiquez le lieu de la séance ou le lien de la visioconférence.",
            "Give the session's place or its video link.",
        )
    if not 1 <= plan.capacity <= MAX_CAPACITY:
        raise DomainError(
            "session_capacity",
            "R3",
            f"La capacité d'une séance est comprise entre 1 et {MAX_CAPACITY} personnes.",
            f"A session holds between 1 and {MAX_CAPACITY} people.",
        )
    if not plan.evaluators:
        raise DomainError(
            "session_evaluators",
            "R3",
            "Une séance collective a au moins un évaluateur.",
            "A collective session has at least one evaluator.",
        )


def check_enrolment(
    session_on: date, today: date, enrolled: int, capacity: int, already: bool, awaiting_evaluation: bool
) -> None:
    if session_on < today:
        raise DomainError(
            "session_over",
            "R3",
            "Cette séance est passée : proposez une autre séance à la personne.",
            "This session is over: offer the person another one.",
        )
    if already:
        raise DomainError(
            "already_enrolled",
            "R3",
            "Cette personne est déjà convoquée à cette séance.",
            "This person is already convened to this session.",
        )
    if not awaiting_evaluation:
        raise DomainError(
            "state_conflict",
            "R3",
            "Seul un dossier qui attend une évaluation (préalable ou finale) peut être convoqué.",
            "Only a file awaiting an evaluation can be convened.",
        )
    if enrolled >= capacity:
        raise DomainError(
            "session_full",
            "R3",
            f"La séance est complète ({capacity} places) : proposez une autre séance.",
            f"The session is full ({capacity} seats): offer another one.",
        )


def check_attendance(session_on: date, today: date, attendance: Attendance) -> None:
    """Attendance is taken on the day or after; ``pending`` is not an answer."""
    if attendance is Attendance.PENDING:
        raise DomainError(
            "attendance_value",
            "R3",
            "Indiquez présent, absent ou excusé.",
            "Say present, absent or excused.",
        )
    if session_on > today:
        raise DomainError(
            "attendance_too_early",
            "R3",
            f"La présence se note le jour de la séance ({session_on:%d/%m/%Y}) ou après.",
            f"Attendance is taken on the session's day ({session_on.isoformat()}) or later.",
        )


def needs_another_session(attendance: Attendance) -> bool:
    """Absent or excused: the person is offered another session; nothing is recorded as not acquired (R3)."""
    return attendance in (Attendance.ABSENT, Attendance.EXCUSED)


def reminder_due(session_on: date, today: date) -> bool:
    return session_on - timedelta(days=1) == today


def week_of(today: date) -> tuple[date, date]:
    """Monday to Sunday of ``today``'s week (the counsellor's dashboard)."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)
