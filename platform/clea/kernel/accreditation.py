"""R14: an organisation evaluates only while it holds a valid accreditation (habilitation).

An accreditation is for one establishment (SIRET) of the organisation, for CléA or CléA Numérique, optionally
for one branch, with a validity window and a Qualiopi certificate. Its status history (applied, granted,
suspended, withdrawn, expired) says when it was in force: from each grant (or renewal, or lifting of a
suspension) until the next suspension, withdrawal or expiry. A day is covered when it falls within the window,
within a period in force, and on or before the Qualiopi certificate's expiry.

:func:`periods_in_force` turns the history into date ranges; :func:`check_accredited_on` refuses a day that no
accreditation of the organisation covers (code ``not_accredited_on_day``), naming the day in French.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clea.kernel.errors import DomainError


class Programme(StrEnum):
    CLEA = "clea"  # CléA (socle de connaissances et de compétences professionnelles)
    CLEA_NUMERIQUE = "clea_numerique"  # CléA Numérique

    @property
    def label_fr(self) -> str:
        return "CléA" if self is Programme.CLEA else "CléA Numérique"


class Status(StrEnum):
    APPLIED = "applied"  # demandée
    GRANTED = "granted"  # accordée (also after a renewal or the lifting of a suspension)
    SUSPENDED = "suspended"  # suspendue
    WITHDRAWN = "withdrawn"  # retirée (final)
    EXPIRED = "expired"  # échue (final)

    @property
    def label_fr(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.APPLIED: "demandée",
    Status.GRANTED: "accordée",
    Status.SUSPENDED: "suspendue",
    Status.WITHDRAWN: "retirée",
    Status.EXPIRED: "échue",
}

# Which status may follow which (a renewal is granted → granted with a new window).
ALLOWED: dict[Status, frozenset[Status]] = {
    Status.APPLIED: frozenset({Status.GRANTED, Status.WITHDRAWN}),
    Status.GRANTED: frozenset({Status.GRANTED, Status.SUSPENDED, Status.WITHDRAWN, Status.EXPIRED}),
    Status.SUSPENDED: frozenset({Status.GRANTED, Status.WITHDRAWN, Status.EXPIRED}),
    Status.WITHDRAWN: frozenset(),
    Status.EXPIRED: frozenset({Status.GRANTED}),  # renewed after its end
}


@dataclass(frozen=True)
class StatusChange:
    status: Status
    on: date  # the day it takes effect


@dataclass(frozen=True)
class Accreditation:
    """What R14 needs of one accreditation: its window, Qualiopi expiry and status history (oldest first)."""

    ref: str
    programme: Programme
    valid_from: date
    valid_to: date
    qualiopi_expires_on: date | None
    history: tuple[StatusChange, ...]
    branch: str | None = None


def check_transition(current: Status, new: Status) -> None:
    if new not in ALLOWED[current]:
        raise DomainError(
            "accreditation_transition_conflict",
            "R14",
            f"Une habilitation {current.label_fr} ne peut pas être {new.label_fr}.",
            f"An accreditation that is {current.value} cannot become {new.value}.",
        )


def check_window(valid_from: date, valid_to: date, qualiopi_expires_on: date | None) -> None:
    if valid_to < valid_from:
        raise DomainError(
            "accreditation_window_invalid",
            "R14",
            "La fin de validité de l'habilitation précède son début.",
            "The accreditation's validity ends before it starts.",
        )
    if qualiopi_expires_on is not None and qualiopi_expires_on < valid_from:
        raise DomainError(
            "qualiopi_expired",
            "R14",
            "Le certificat Qualiopi expire avant le début de validité de l'habilitation.",
            "The Qualiopi certificate expires before the accreditation's validity starts.",
        )


def periods_in_force(accreditation: Accreditation) -> list[tuple[date, date]]:
    """The date ranges (inclusive) in which the accreditation was in force."""
    end_limit = accreditation.valid_to
    if accreditation.qualiopi_expires_on is not None:
        end_limit = min(end_limit, accreditation.qualiopi_expires_on)
    periods: list[tuple[date, date]] = []
    start: date | None = None
    for change in sorted(accreditation.history, key=lambda c: c.on):
        if change.status is Status.GRANTED:
            if start is None:
                start = change.on
        elif start is not None and change.status in (Status.SUSPENDED, Status.WITHDRAWN, Status.EXPIRED):
            periods.append((start, date.fromordinal(change.on.toordinal() - 1)))
            start = None
    if start is not None:
        periods.append((start, end_limit))
    # Clip to the validity window: a grant recorded before the window opens counts from its start.
    clipped = []
    for begin, end in periods:
        begin, end = max(begin, accreditation.valid_from), min(end, end_limit)
        if begin <= end:
            clipped.append((begin, end))
    return clipped


def covers(accreditation: Accreditation, day: date) -> bool:
    return any(begin <= day <= end for begin, end in periods_in_force(accreditation))


def check_accredited_on(
    organisation: str,
    days: Sequence[date],
    accreditations: Iterable[Accreditation],
    programme: Programme = Programme.CLEA,
) -> None:
    """R14: every day of an evaluation falls within an accreditation of ``programme`` in force."""
    relevant = [a for a in accreditations if a.programme is programme]
    for day in sorted(days):
        if not any(covers(a, day) for a in relevant):
            raise DomainError(
                "not_accredited_on_day",
                "R14",
                f"L'organisme {organisation} n'a pas d'habilitation {programme.label_fr} valide le "
                f"{day:%d/%m/%Y} (établissement habilité, période de validité, certificat Qualiopi) : "
                "l'évaluation ne peut pas être enregistrée.",
                f"Organisation {organisation} holds no valid {programme.label_fr} accreditation on {day.isoformat()} "
                "(accredited establishment, validity window, Qualiopi certificate): the evaluation is refused.",
            )


def expiring(accreditation: Accreditation, today: date, within_days: int) -> list[tuple[str, date]]:
    """What ends within ``within_days`` of ``today`` while in force: ``("accreditation"|"qualiopi", day)``."""
    if not covers(accreditation, today):
        return []
    due: list[tuple[str, date]] = []
    horizon = today.toordinal() + within_days
    if accreditation.valid_to.toordinal() <= horizon:
        due.append(("accreditation", accreditation.valid_to))
    if accreditation.qualiopi_expires_on is not None and accreditation.qualiopi_expires_on.toordinal() <= horizon:
        due.append(("qualiopi", accreditation.qualiopi_expires_on))
    return due
