"""R6: the training path's objectives are exactly the gaps; it has a calendar inside the R8 window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from clea.kernel.errors import DomainError
from clea.kernel.mastery import MasteryReport


@dataclass(frozen=True)
class Objective:
    """A sub-domain to acquire and the criteria of it still missing."""

    subdomain: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class TrainingSession:
    starts_on: date
    ends_on: date
    subdomains: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class TrainingPath:
    trainer: str
    training_organisation: str
    objectives: tuple[Objective, ...]
    sessions: tuple[TrainingSession, ...]

    @property
    def objective_criteria(self) -> frozenset[str]:
        return frozenset(code for objective in self.objectives for code in objective.criteria)

    @property
    def objective_subdomains(self) -> tuple[str, ...]:
        return tuple(objective.subdomain for objective in self.objectives)

    @property
    def ends_on(self) -> date:
        return max(session.ends_on for session in self.sessions)


def objectives_from_gaps(report: MasteryReport) -> tuple[Objective, ...]:
    return tuple(Objective(code, criteria) for code, criteria in report.gaps.items())


def suggest_calendar(
    objectives: tuple[Objective, ...], starts_on: date, days_per_subdomain: int = 7
) -> tuple[TrainingSession, ...]:
    """A first calendar to adjust: one block per sub-domain, one after the other, working days only."""
    sessions = []
    cursor = starts_on
    for objective in objectives:
        while cursor.weekday() >= 5:
            cursor += timedelta(days=1)
        end = cursor + timedelta(days=days_per_subdomain - 1)
        sessions.append(TrainingSession(cursor, end, (objective.subdomain,), f"Sous-domaine {objective.subdomain}"))
        cursor = end + timedelta(days=1)
    return tuple(sessions)


def check_calendar(
    objectives: tuple[Objective, ...], sessions: tuple[TrainingSession, ...], today: date, deadline: date
) -> None:
    """Every objective is worked on, no session targets anything else, all inside [today, deadline] (R6, R8)."""
    if not sessions:
        raise DomainError(
            "calendar_required",
            "R6",
            "Le parcours de formation doit comporter un calendrier (au moins une séance).",
            "A training path needs a calendar (at least one session).",
        )
    wanted = {objective.subdomain for objective in objectives}
    covered = {code for session in sessions for code in session.subdomains}
    if covered - wanted:
        listed = ", ".join(sorted(covered - wanted))
        raise DomainError(
            "calendar_outside_objectives",
            "R6",
            f"Le calendrier vise des sous-domaines qui ne sont pas des objectifs du parcours : {listed}.",
            f"The calendar targets sub-domains that are not objectives of the path: {listed}.",
        )
    if wanted - covered:
        listed = ", ".join(sorted(wanted - covered))
        raise DomainError(
            "calendar_incomplete",
            "R6",
            f"Aucune séance n'est prévue pour les sous-domaines : {listed}.",
            f"No session is planned for sub-domains: {listed}.",
        )
    for session in sessions:
        if session.ends_on < session.starts_on:
            raise DomainError(
                "calendar_invalid",
                "R6",
                f"La séance du {session.starts_on:%d/%m/%Y} se termine avant de commencer.",
                f"The session of {session.starts_on.isoformat()} ends before it starts.",
            )
        if session.starts_on < today:
            raise DomainError(
                "calendar_in_past",
                "R6",
                f"La séance du {session.starts_on:%d/%m/%Y} est dans le passé.",
                f"The session of {session.starts_on.isoformat()} is in the past.",
            )
        if session.ends_on > deadline:
            raise DomainError(
                "calendar_after_deadline",
                "R8",
                f"Le parcours doit se terminer au plus tard le {deadline:%d/%m/%Y} (5 ans après "
                "l'évaluation préalable).",
                f"The path must end by {deadline.isoformat()} (5 years after the initial evaluation).",
            )
