"""Issue 13 §7: withdrawal reasons (R2), restart with fresh consent, inactivity levels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from tests.kernel.builders import COUNSELLOR, consent

from clea.kernel.clock import FixedClock
from clea.kernel.errors import DomainError
from clea.kernel.journey import (
    CandidateFile,
    FileState,
    WithdrawalReason,
    inactivity_level,
    restart_after_expiry,
    withdraw,
)
from clea.kernel.journey.inactivity import check_thresholds

Walk = Callable[..., CandidateFile]


def test_r2_the_reason_list_is_the_issue_s_and_every_reason_has_a_french_label() -> None:
    assert [r.value for r in WithdrawalReason] == [
        "found_job",
        "moved",
        "health",
        "no_longer_wishes",
        "unreachable",
        "other",
    ]
    assert all(r.label_fr and r.label_fr[0].isupper() for r in WithdrawalReason)


@pytest.mark.parametrize("reason", [r.value for r in WithdrawalReason if r is not WithdrawalReason.OTHER])
def test_r2_withdrawal_records_the_reason_code(walk: Walk, clock: FixedClock, reason: str) -> None:
    moved = withdraw(walk(FileState.TRAINING), reason, COUNSELLOR, clock, confirmed_on=clock.today())
    assert moved.file.state is FileState.WITHDRAWN
    assert moved.decision.detail["reason_code"] == reason
    assert moved.decision.detail["reason"] == WithdrawalReason(reason).label_fr
    assert moved.decision.detail["confirmed_on"] == clock.today().isoformat()


def test_r2_other_needs_a_detail_which_is_kept(walk: Walk, clock: FixedClock) -> None:
    with pytest.raises(DomainError) as refused:
        withdraw(walk(FileState.FILE_OPENED), "other", COUNSELLOR, clock, detail="   ")
    assert refused.value.code == "withdrawal_detail_required" and refused.value.rule == "R2"
    moved = withdraw(walk(FileState.FILE_OPENED), "other", COUNSELLOR, clock, detail=" Part à l'étranger ")
    assert moved.decision.detail == {"reason_code": "other", "reason": "Part à l'étranger", "confirmed_on": ""}


@pytest.mark.parametrize("bad", ["", "A trouvé un emploi", "FOUND_JOB", "jobs"])
def test_r2_an_unknown_reason_is_refused(walk: Walk, clock: FixedClock, bad: str) -> None:
    with pytest.raises(DomainError) as refused:
        withdraw(walk(FileState.TRAINING), bad, COUNSELLOR, clock)
    assert refused.value.code == "unknown_withdrawal_reason"
    assert "Motif de sortie inconnu" in refused.value.message_fr


def test_r2_a_confirmation_in_the_future_and_an_overlong_detail_are_refused(walk: Walk, clock: FixedClock) -> None:
    with pytest.raises(DomainError) as future:
        withdraw(walk(FileState.TRAINING), "moved", COUNSELLOR, clock, confirmed_on=clock.today() + timedelta(days=1))
    assert future.value.code == "withdrawal_confirmed_in_future"
    with pytest.raises(DomainError) as long:
        withdraw(walk(FileState.TRAINING), "other", COUNSELLOR, clock, detail="x" * 501)
    assert long.value.code == "withdrawal_detail_too_long"


def test_r2_a_withdrawn_file_restarts_only_with_fresh_consent(walk: Walk, clock: FixedClock) -> None:
    withdrawn = withdraw(walk(FileState.TRAINING), "health", COUNSELLOR, clock).file
    with pytest.raises(DomainError):
        restart_after_expiry(withdrawn, None, COUNSELLOR, clock)
    clock.advance(days=30)
    restarted = restart_after_expiry(withdrawn, consent(clock.today(), "reprise"), COUNSELLOR, clock).file
    assert restarted.state is FileState.FILE_OPENED
    assert restarted.consent is not None and restarted.consent.given_on == clock.today()
    assert restarted.evaluations == () and restarted.archived_evaluations == withdrawn.evaluations


def test_restart_is_refused_for_an_active_file(walk: Walk, clock: FixedClock) -> None:
    with pytest.raises(DomainError):
        restart_after_expiry(walk(FileState.TRAINING), consent(clock.today()), COUNSELLOR, clock)


@pytest.mark.parametrize(
    ("idle", "level"), [(0, 0), (59, 0), (60, 1), (164, 1), (165, 2), (179, 2), (180, 3), (2000, 3)]
)
def test_inactivity_levels_at_the_default_thresholds(idle: int, level: int) -> None:
    today = date(2026, 12, 4)
    assert inactivity_level(today - timedelta(days=idle), today) == level


def test_inactivity_thresholds_are_configurable_and_checked() -> None:
    today = date(2026, 12, 4)
    assert inactivity_level(today - timedelta(days=10), today, (5, 10)) == 2
    for bad in [(), (0, 10), (60, 30), (60, 60)]:
        with pytest.raises(DomainError):
            check_thresholds(bad)
