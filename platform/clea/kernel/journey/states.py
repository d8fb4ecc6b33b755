"""The states of a candidate's file and the transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum


class FileState(StrEnum):
    REFERRED = "referred"  # welcomed (possibly referred by a prescriber, R1), no file yet
    FILE_OPENED = "file_opened"  # consent given (R2), évaluation préalable to run
    EVALUATED = "evaluated"  # gaps found by an evaluation: a training path is to be proposed (R6)
    TRAINING = "training"  # individual training path under way
    READY_FOR_JURY = "ready_for_jury"  # all 7 domains mastered (R5, R10)
    SUBMITTED = "submitted"  # snapshot sent to the jury
    CERTIFIED = "certified"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"  # moved to another organisation (R2)
    EXPIRED = "expired"  # 5-year window over (R8): a new évaluation préalable is needed

    @property
    def label_fr(self) -> str:
        return LABELS_FR[self]

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATES


LABELS_FR: dict[FileState, str] = {
    FileState.REFERRED: "Accueilli",
    FileState.FILE_OPENED: "Dossier ouvert",
    FileState.EVALUATED: "Évalué — parcours à proposer",
    FileState.TRAINING: "En parcours de formation",
    FileState.READY_FOR_JURY: "Prêt pour le jury",
    FileState.SUBMITTED: "Transmis au jury",
    FileState.CERTIFIED: "Certifié",
    FileState.REFUSED: "Non certifié par le jury",
    FileState.WITHDRAWN: "Sorti du dispositif",
    FileState.TRANSFERRED: "Transféré",
    FileState.EXPIRED: "Délai de 5 ans dépassé",
}

# A withdrawn file is closed (terminal) but may be restarted with fresh consent: the one edge out of a terminal state.
TERMINAL_STATES = frozenset({FileState.CERTIFIED, FileState.REFUSED, FileState.WITHDRAWN, FileState.TRANSFERRED})
# The files still under way (an expired one waits for a new évaluation préalable), in journey order.
ACTIVE_STATES: tuple[FileState, ...] = tuple(state for state in FileState if state not in TERMINAL_STATES)

# Every edge of the state machine; each transition function checks its own edge against this table.
TRANSITIONS: dict[FileState, frozenset[FileState]] = {
    FileState.REFERRED: frozenset({FileState.FILE_OPENED, FileState.WITHDRAWN}),
    FileState.FILE_OPENED: frozenset(
        {FileState.READY_FOR_JURY, FileState.EVALUATED, FileState.WITHDRAWN, FileState.TRANSFERRED}
    ),
    FileState.EVALUATED: frozenset({FileState.TRAINING, FileState.WITHDRAWN, FileState.TRANSFERRED, FileState.EXPIRED}),
    FileState.TRAINING: frozenset(
        {
            FileState.TRAINING,
            FileState.READY_FOR_JURY,
            FileState.EVALUATED,
            FileState.WITHDRAWN,
            FileState.TRANSFERRED,
            FileState.EXPIRED,
        }
    ),
    FileState.READY_FOR_JURY: frozenset({FileState.SUBMITTED, FileState.WITHDRAWN, FileState.TRANSFERRED}),
    FileState.SUBMITTED: frozenset({FileState.CERTIFIED, FileState.REFUSED, FileState.SUBMITTED}),
    FileState.EXPIRED: frozenset({FileState.FILE_OPENED, FileState.WITHDRAWN}),
    FileState.CERTIFIED: frozenset(),
    FileState.REFUSED: frozenset(),
    FileState.WITHDRAWN: frozenset({FileState.FILE_OPENED}),  # restarted with fresh consent (R2, issue 13)
    FileState.TRANSFERRED: frozenset(),
}
