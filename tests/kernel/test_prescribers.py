"""R1, prescriber side: stages read from file states, and the prescriber's figures."""

from __future__ import annotations

from datetime import date

from clea.kernel.journey import FileState
from clea.kernel.prescribers import FollowedReferral, Stage, figures, stage_of


def test_every_file_state_but_a_transfer_or_readiness_has_a_stage() -> None:
    for state in FileState:
        if state in (FileState.TRANSFERRED, FileState.READY_FOR_JURY):
            assert stage_of(state) is None
        else:
            assert stage_of(state) in set(Stage)
    assert stage_of(FileState.SUBMITTED) == Stage.AT_JURY
    assert stage_of(FileState.REFUSED) == Stage.NOT_CERTIFIED


def test_figures_count_started_certified_and_the_median_time() -> None:
    start = date(2026, 1, 1)
    items = [
        FollowedReferral(start, Stage.SENT, start),
        FollowedReferral(start, Stage.DECLINED, start),
        FollowedReferral(start, Stage.IN_TRAINING, date(2026, 2, 1)),
        FollowedReferral(start, Stage.CERTIFIED, date(2026, 1, 11)),
        FollowedReferral(start, Stage.CERTIFIED, date(2026, 1, 31)),
        FollowedReferral(start, Stage.CERTIFIED, date(2026, 3, 2)),
    ]
    result = figures(items)
    assert (result.referred, result.started, result.certified) == (6, 4, 3)
    assert result.median_days_to_certificate == 30.0
    assert result.by_stage["certified"] == 3 and result.by_stage["sent"] == 1


def test_no_certificate_no_median() -> None:
    assert figures([]).median_days_to_certificate is None
    assert figures([]).referred == 0
