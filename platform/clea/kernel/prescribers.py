"""R1, the prescriber's side: what a prescriber may follow of a person it referred, and its own figures.

A prescriber sees the *stage* of a referred person (never the evaluation's content), and only while the
person's consent to share results holds. Plain Python: the platform maps its records to these types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import median

from clea.kernel.journey.states import FileState


class Stage(StrEnum):
    """What a prescriber reads of a referral, in journey order."""

    SENT = "sent"  # waiting in the organisation's inbox
    DECLINED = "declined"  # the organisation declined it (with a reason the prescriber reads)
    WELCOMED = "welcomed"
    EVALUATED = "evaluated"
    IN_TRAINING = "in_training"
    AT_JURY = "at_jury"
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"
    WITHDRAWN = "withdrawn"

    @property
    def label_fr(self) -> str:
        return STAGE_LABELS_FR[self]

    @property
    def is_final(self) -> bool:
        return self in FINAL_STAGES


STAGE_LABELS_FR: dict[Stage, str] = {
    Stage.SENT: "Orientation envoyée",
    Stage.DECLINED: "Orientation déclinée",
    Stage.WELCOMED: "Accueilli",
    Stage.EVALUATED: "Évalué",
    Stage.IN_TRAINING: "En formation",
    Stage.AT_JURY: "Au jury",
    Stage.CERTIFIED: "Certifié",
    Stage.NOT_CERTIFIED: "Non certifié",
    Stage.WITHDRAWN: "Sorti du dispositif",
}
FINAL_STAGES = frozenset({Stage.DECLINED, Stage.CERTIFIED, Stage.NOT_CERTIFIED, Stage.WITHDRAWN})
# Stages that mean the person started the journey in the organisation.
STARTED_STAGES = frozenset(set(Stage) - {Stage.SENT, Stage.DECLINED})

_STAGE_OF_STATE: dict[FileState, Stage] = {
    FileState.REFERRED: Stage.WELCOMED,
    FileState.FILE_OPENED: Stage.WELCOMED,
    FileState.EVALUATED: Stage.EVALUATED,
    FileState.TRAINING: Stage.IN_TRAINING,
    FileState.SUBMITTED: Stage.AT_JURY,
    FileState.CERTIFIED: Stage.CERTIFIED,
    FileState.REFUSED: Stage.NOT_CERTIFIED,
    FileState.WITHDRAWN: Stage.WITHDRAWN,
    FileState.EXPIRED: Stage.WITHDRAWN,
}


def stage_of(state: FileState) -> Stage | None:
    """R1: the stage a prescriber reads for a file in ``state``; ``None`` when it has nothing new to read: a
    file ready for the jury but not sent yet keeps its stage (evaluated, or in training), and a transfer to
    another organisation keeps the last one (the referral stays with the first organisation)."""
    return _STAGE_OF_STATE.get(state)


@dataclass(frozen=True)
class FollowedReferral:
    """What the figures need of one referral: its date, its stage and when it reached it."""

    referred_on: date
    stage: Stage
    stage_on: date


@dataclass(frozen=True)
class PrescriberFigures:
    referred: int
    started: int
    certified: int
    median_days_to_certificate: float | None
    by_stage: Mapping[str, int]


def figures(referrals: Iterable[FollowedReferral]) -> PrescriberFigures:
    """A prescriber's own figures: referred, started, certified, median days from referral to certificate."""
    items = list(referrals)
    certified = [item for item in items if item.stage == Stage.CERTIFIED]
    by_stage = {stage.value: sum(1 for item in items if item.stage == stage) for stage in Stage}
    durations = [(item.stage_on - item.referred_on).days for item in certified]
    return PrescriberFigures(
        referred=len(items),
        started=sum(1 for item in items if item.stage in STARTED_STAGES),
        certified=len(certified),
        median_days_to_certificate=float(median(durations)) if durations else None,
        by_stage=by_stage,
    )
