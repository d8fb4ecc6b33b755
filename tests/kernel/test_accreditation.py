"""R14 (accreditation window, status history, Qualiopi) and R11 identities, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from clea.kernel.accreditation import (
    Accreditation,
    Programme,
    Status,
    StatusChange,
    check_accredited_on,
    check_transition,
    check_window,
    covers,
    expiring,
    periods_in_force,
)
from clea.kernel.errors import DomainError
from clea.kernel.jury import College, FileOnSession, JuryMember, check_independence, identity_key


def accreditation(*history: tuple[Status, date], qualiopi: date | None = date(2027, 6, 30)) -> Accreditation:
    return Accreditation(
        ref="1",
        programme=Programme.CLEA,
        valid_from=date(2025, 1, 1),
        valid_to=date(2027, 12, 31),
        qualiopi_expires_on=qualiopi,
        history=tuple(StatusChange(status, on) for status, on in history),
    )


def test_a_day_inside_the_window_is_accepted_and_outside_refused_in_french() -> None:
    granted = accreditation((Status.APPLIED, date(2024, 12, 1)), (Status.GRANTED, date(2025, 1, 1)))
    check_accredited_on("Greta Lyon", [date(2025, 3, 4), date(2027, 6, 30)], [granted])
    with pytest.raises(DomainError) as refused:
        check_accredited_on("Greta Lyon", [date(2025, 3, 4), date(2024, 12, 31)], [granted])
    assert refused.value.rule == "R14"
    assert refused.value.code == "not_accredited_on_day"
    assert "31/12/2024" in refused.value.message_fr and "habilitation CléA" in refused.value.message_fr


def test_qualiopi_expiry_ends_the_period_in_force() -> None:
    granted = accreditation((Status.GRANTED, date(2025, 1, 1)))
    assert covers(granted, date(2027, 6, 30))
    assert not covers(granted, date(2027, 7, 1))  # window runs to December, Qualiopi to June
    with pytest.raises(DomainError):
        check_accredited_on("X", [date(2027, 7, 1)], [granted])


def test_an_application_alone_is_not_in_force() -> None:
    applied = accreditation((Status.APPLIED, date(2025, 1, 1)))
    assert periods_in_force(applied) == []
    with pytest.raises(DomainError):
        check_accredited_on("X", [date(2025, 2, 1)], [applied])


def test_suspension_then_reinstatement_leaves_a_gap() -> None:
    history = accreditation(
        (Status.GRANTED, date(2025, 1, 1)), (Status.SUSPENDED, date(2025, 6, 1)), (Status.GRANTED, date(2025, 9, 1))
    )
    assert periods_in_force(history) == [(date(2025, 1, 1), date(2025, 5, 31)), (date(2025, 9, 1), date(2027, 6, 30))]
    assert covers(history, date(2025, 5, 31)) and not covers(history, date(2025, 6, 1))
    assert not covers(history, date(2025, 8, 31)) and covers(history, date(2025, 9, 1))


def test_withdrawal_ends_it_and_is_final() -> None:
    withdrawn = accreditation((Status.GRANTED, date(2025, 1, 1)), (Status.WITHDRAWN, date(2026, 1, 1)))
    assert covers(withdrawn, date(2025, 12, 31)) and not covers(withdrawn, date(2026, 1, 1))
    with pytest.raises(DomainError) as refused:
        check_transition(Status.WITHDRAWN, Status.GRANTED)
    assert refused.value.code == "accreditation_transition_conflict"
    check_transition(Status.SUSPENDED, Status.GRANTED)  # lifting a suspension
    check_transition(Status.EXPIRED, Status.GRANTED)  # renewal after the end


def test_another_programme_does_not_count() -> None:
    numerique = Accreditation(
        "2",
        Programme.CLEA_NUMERIQUE,
        date(2025, 1, 1),
        date(2027, 1, 1),
        None,
        (StatusChange(Status.GRANTED, date(2025, 1, 1)),),
    )
    with pytest.raises(DomainError):
        check_accredited_on("X", [date(2025, 5, 1)], [numerique])
    check_accredited_on("X", [date(2025, 5, 1)], [numerique], Programme.CLEA_NUMERIQUE)


def test_windows_are_checked() -> None:
    with pytest.raises(DomainError) as refused:
        check_window(date(2026, 1, 1), date(2025, 1, 1), None)
    assert refused.value.code == "accreditation_window_invalid"
    with pytest.raises(DomainError) as refused:
        check_window(date(2026, 1, 1), date(2027, 1, 1), date(2025, 12, 31))
    assert refused.value.code == "qualiopi_expired"


def test_expiring_names_what_ends_within_the_horizon() -> None:
    granted = accreditation((Status.GRANTED, date(2025, 1, 1)))
    assert expiring(granted, date(2027, 5, 1), 90) == [("qualiopi", date(2027, 6, 30))]
    assert expiring(granted, date(2027, 11, 1), 90) == []  # no longer in force (Qualiopi expired)
    assert expiring(granted, date(2026, 1, 1), 30) == []


# --- R11: identities, not spellings ------------------------------------------------------------------


def test_identity_key_ignores_case_accents_punctuation_and_spaces() -> None:
    assert identity_key("Greta Lyon") == identity_key("GRETA  Lyon") == identity_key("gréta-lyon")
    assert identity_key("training-body:12") == "training-body:12"
    assert identity_key("Greta Lyon") != identity_key("Greta Lyon Sud")


def test_greta_lyon_and_GRETA_Lyon_are_one_body_for_independence() -> None:
    member = JuryMember("m1", "Anne Martin", College.EMPLOYER, frozenset({"GRETA Lyon", "training-body:7"}))
    typed = FileOnSession("f1", frozenset({"org_alpha"}), frozenset({"Greta Lyon"}))
    with pytest.raises(DomainError) as refused:
        check_independence([member], [typed])
    assert refused.value.code == "jury_conflict_of_interest" and refused.value.rule == "R11"
    by_identity = FileOnSession("f2", frozenset({"org_alpha"}), frozenset({"training-body:7"}))
    with pytest.raises(DomainError):
        check_independence([member], [by_identity])
    other = FileOnSession("f3", frozenset({"org_alpha"}), frozenset({"training-body:8", "Greta Grenoble"}))
    check_independence([member], [other])
