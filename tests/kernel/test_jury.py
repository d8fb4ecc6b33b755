"""R10–R12 at the jury: paritaire composition, quorum, independence, decisions, attestations, certificates."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.kernel.builders import (
    COUNSELLOR,
    EVALUATOR,
    FORBIDDEN_WORDS_FR,
    ORG,
    OTHER_COUNSELLOR,
    OTHER_ORG,
    TRAINING_ORG,
    all_but,
    consent,
    criteria_of,
    initial_evaluation,
    refused,
)

from clea.kernel.clock import FixedClock
from clea.kernel.journey import CandidateFile, FileState, receive_transfer, record_initial_evaluation, transfer_out
from clea.kernel.jury import (
    College,
    FileOnSession,
    JuryMember,
    JurySnapshot,
    Outcome,
    certificate_number,
    check_composition,
    check_independence,
    check_quorum,
    check_snapshot_ready,
    decide,
    file_on_session,
    is_valid_certificate_number,
    partial_attestation,
    snapshot_for_jury,
)
from clea.kernel.mastery import compute_mastery
from clea.kernel.referential import Referential, default_referential

REF = default_referential()
Walk = Callable[..., CandidateFile]
AT = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)


def employer(n: int, *linked: str) -> JuryMember:
    return JuryMember(f"emp-{n}", f"Employeur {n}", College.EMPLOYER, frozenset(linked))


def employee(n: int, *linked: str) -> JuryMember:
    return JuryMember(f"sal-{n}", f"Salarié {n}", College.EMPLOYEE, frozenset(linked))


E1, E2, E3 = employer(1), employer(2), employer(3)
S1, S2, S3 = employee(1), employee(2), employee(3)


def snapshot(mastered: tuple[str, ...] = tuple("1234567")) -> JurySnapshot:
    return JurySnapshot(
        "file-1",
        "Camille Martin",
        REF.identity,
        mastered,
        tuple("1234567"),
        frozenset({ORG}),
        frozenset({TRAINING_ORG}),
    )


# ---------------------------------------------------------------------------------------------- composition


@pytest.mark.parametrize("members", [[E1, S1], [E1, E2, S1, S2], [S1, E1, S2, E2, E3, S3]])
def test_r11_a_paritaire_jury_is_accepted(members: list[JuryMember]) -> None:
    check_composition(members)
    check_composition(iter(members))  # any iterable


@pytest.mark.parametrize("members", [[], [E1], [E1, E2], [S1, S2]])
def test_r11_a_jury_needs_one_member_of_each_college(members: list[JuryMember]) -> None:
    with refused("jury_college_missing", "R11"):
        check_composition(members)


@pytest.mark.parametrize("members", [[E1, E2, S1], [E1, S1, S2], [E1, E2, E3, S1, S2]])
def test_r11_colleges_must_be_in_equal_number(members: list[JuryMember]) -> None:
    with refused("jury_not_paritaire", "R11"):
        check_composition(members)


def test_r11_a_member_listed_twice_counts_once() -> None:
    with refused("jury_not_paritaire", "R11"):
        check_composition([E1, S1, S2, E1])  # 1 employer, 2 employees, whatever the listing says
    check_composition([E1, S1, E1])


# --------------------------------------------------------------------------------------------------- quorum


def test_r11_quorum_half_of_the_convened_members_paritaire() -> None:
    convened = [E1, E2, S1, S2]
    check_quorum(convened, [E1, S1])
    check_quorum(convened, convened)
    with refused("jury_no_quorum", "R11") as info:
        check_quorum(convened, [E1])
    assert "1 présent(s) sur 4" in info.value.message_fr
    with refused("jury_not_paritaire", "R11"):
        check_quorum(convened, [E1, E2, S1])
    with refused("jury_college_missing", "R11"):
        check_quorum(convened, [E1, E2])


def test_r11_quorum_share_can_be_raised() -> None:
    convened = [E1, E2, S1, S2]
    with refused("jury_no_quorum", "R11"):
        check_quorum(convened, [E1, S1], min_share=Fraction(3, 4))
    check_quorum(convened, convened, min_share=Fraction(3, 4))


def test_r11_nobody_convened_means_no_quorum() -> None:
    with refused("jury_no_quorum", "R11"):
        check_quorum([], [])


def test_r11_a_member_present_but_not_convened_is_refused() -> None:
    with refused("jury_member_not_convened", "R11") as info:
        check_quorum([E1, S1], [E1, S1, S3])
    assert S3.name in info.value.message_fr
    assert S3.name in info.value.message_en


def test_r11_a_member_signing_in_twice_counts_once_for_quorum_and_parity() -> None:
    convened = [E1, E2, E3, S1, S2, S3]
    with refused("jury_not_paritaire", "R11"):
        check_quorum(convened, [E1, S1, S2, E1])
    with refused("jury_no_quorum", "R11"):
        check_quorum(convened, [E1, S1, E1, S1])


# --------------------------------------------------------------------------------------------- independence


def test_r11_a_member_linked_to_the_evaluating_organisation_is_refused() -> None:
    files = [
        FileOnSession("file-9", frozenset({OTHER_ORG}), frozenset()),
        FileOnSession("file-1", frozenset({ORG}), frozenset({TRAINING_ORG})),
    ]
    linked = employee(4, ORG, "org-unrelated")
    with refused("jury_conflict_of_interest", "R11") as info:
        check_independence([E1, S1, linked], files)
    assert linked.name in info.value.message_fr and ORG in info.value.message_fr
    assert linked.name in info.value.message_en and ORG in info.value.message_en
    assert "file-1" in info.value.message_fr


def test_r11_a_member_linked_to_the_training_organisation_is_refused() -> None:
    linked = employer(5, TRAINING_ORG)
    with refused("jury_conflict_of_interest", "R11") as info:
        check_independence([linked, S1], [FileOnSession("file-1", frozenset({ORG}), frozenset({TRAINING_ORG}))])
    assert linked.name in info.value.message_fr and TRAINING_ORG in info.value.message_fr


def test_r11_unrelated_members_are_independent() -> None:
    check_independence(
        [employer(1, "org-x"), employee(1, "org-y")],
        [FileOnSession("file-1", frozenset({ORG}), frozenset({TRAINING_ORG}))],
    )
    check_independence([E1, S1], [])


def test_r11_independence_from_a_real_file(walk: Walk) -> None:
    file = walk(FileState.READY_FOR_JURY, gaps=("4.2",))
    session = file_on_session(snapshot_for_jury(file, REF, "Camille Martin"))
    assert session.evaluating_organisations == {ORG}
    assert session.training_organisations == {ORG}  # walk_to trains in the evaluating organisation
    with refused("jury_conflict_of_interest", "R11"):
        check_independence([employer(1, ORG), S1], [session])


def test_r11_an_organisation_that_evaluated_before_a_transfer_stays_involved(clock: FixedClock, walk: Walk) -> None:
    """Evaluations need not name their organisation; the one that recorded it still evaluated the candidate."""
    file = walk(FileState.FILE_OPENED)
    evaluation = dataclasses.replace(initial_evaluation(REF, REF.criterion_codes, clock.today()), organisation="")
    file = record_initial_evaluation(file, evaluation, REF, EVALUATOR, clock).file
    exported = transfer_out(file, OTHER_ORG, consent(clock.today()), COUNSELLOR, clock).file
    received = receive_transfer(exported, "f-2", OTHER_ORG, REF, consent(clock.today()), OTHER_COUNSELLOR, clock).file
    session = file_on_session(snapshot_for_jury(received, REF, "Camille Martin"))
    assert session.evaluating_organisations == {ORG, OTHER_ORG}
    with refused("jury_conflict_of_interest", "R11"):
        check_independence([employer(1, ORG), S1], [session])


# --------------------------------------------------------------------------------------------------- decide


def test_r12_certify_only_when_all_domains_are_mastered() -> None:
    decision = decide(snapshot(), Outcome.CERTIFIED, (E1, S1), AT)
    assert decision.outcome is Outcome.CERTIFIED
    assert decision.members_present == ("emp-1", "sal-1")
    assert decision.referential_id == REF.identity
    assert decision.decided_at == AT
    with refused("not_ready_for_jury", "R10") as info:
        decide(snapshot(tuple("123457")), Outcome.CERTIFIED, (E1, S1), AT)
    assert "6" in info.value.message_fr
    with refused("not_ready_for_jury", "R10"):
        check_snapshot_ready(dataclasses.replace(snapshot(), domains_total=(), domains_mastered=()))


def test_r12_refusal_needs_reasons() -> None:
    with refused("reasons_required", "R12"):
        decide(snapshot(), Outcome.REFUSED, (E1, S1), AT)
    with refused("reasons_required", "R12"):
        decide(snapshot(), Outcome.REFUSED, (E1, S1), AT, reasons=" \n ")
    decision = decide(snapshot(tuple("12")), Outcome.REFUSED, (E1, S1), AT, reasons="  Fraude constatée ")
    assert decision.reasons == "Fraude constatée"


def test_r12_adjourn_needs_neither_mastery_nor_reasons() -> None:
    assert decide(snapshot(()), Outcome.ADJOURNED, (E1, S1), AT).outcome is Outcome.ADJOURNED


def test_r12_outcome_labels_never_say_failed() -> None:
    assert Outcome.REFUSED.label_fr == "Refusé"
    for outcome in Outcome:
        assert not any(word in outcome.label_fr.lower() for word in FORBIDDEN_WORDS_FR)


# ---------------------------------------------------------------------------------------- partial attestation


def test_r12_partial_attestation_lists_only_what_is_acquired() -> None:
    acquired = all_but(REF, "6.1", "6.2", "6.3", "2.1") | {"2.1.1"}
    report = compute_mastery(REF, [initial_evaluation(REF, acquired, date(2026, 1, 5))])
    attestation = partial_attestation(REF, report, "Camille Martin", date(2026, 2, 1))
    assert attestation.candidate_name == "Camille Martin"
    assert attestation.referential_id == REF.identity
    assert attestation.issued_on == date(2026, 2, 1)
    assert [code for code, _ in attestation.mastered_domains] == ["1", "3", "4", "5", "7"]
    assert all(title == REF.domains_by_code[code].title for code, title in attestation.mastered_domains)
    listed = {code for sub in attestation.subdomains for code, _ in sub.acquired_criteria}
    assert listed == acquired
    for sub in attestation.subdomains:
        assert sub.title == REF.subdomain(sub.code).title
        assert all(title == REF.criterion(code).title for code, title in sub.acquired_criteria)
        assert sub.acquired is (sub.code in report.acquired_subdomains)
    by_code = {sub.code: sub for sub in attestation.subdomains}
    assert by_code["6.1"].acquired_criteria == () and not by_code["6.1"].acquired
    assert by_code["2.1"].acquired_criteria == (("2.1.1", REF.criterion("2.1.1").title),)
    assert not attestation.is_empty


def test_r12_attestation_with_nothing_acquired_is_empty() -> None:
    report = compute_mastery(REF, [initial_evaluation(REF, set(), date(2026, 1, 5))])
    attestation = partial_attestation(REF, report, "Camille Martin", date(2026, 2, 1))
    assert attestation.is_empty
    assert attestation.mastered_domains == ()


# --------------------------------------------------------------------------------------- certificate numbers


def test_r12_certificate_numbers_are_valid_and_verifiable() -> None:
    number = certificate_number(2026, 42)
    assert number.startswith("CLEA-2026-000042-")
    assert is_valid_certificate_number(number)
    assert is_valid_certificate_number(f"  {number.lower()} ")
    assert is_valid_certificate_number(certificate_number(2026, 12_345_678))  # more than 6 digits
    assert certificate_number(2026, 42) != certificate_number(2026, 43)


@pytest.mark.parametrize(
    "number",
    [
        "",
        "CLEA-2026-000042",
        "CLEA-26-000042-00",
        "CLEA-2026-42-00",
        "XCLEA-2026-000042-00",
        "CLEA-2026-00004a-00",
        "CLEA 2026 000042 00",
    ],
)
def test_r12_malformed_certificate_numbers_are_invalid(number: str) -> None:
    assert not is_valid_certificate_number(number)


def test_r12_non_canonical_certificate_numbers_are_invalid() -> None:
    number = certificate_number(2026, 123)
    assert not is_valid_certificate_number(number.replace("-000123-", "-0000123-"))  # a zero typed twice
    zero_check = 98 - (2026_000000 * 100) % 97
    assert not is_valid_certificate_number(f"CLEA-2026-000000-{zero_check:02d}")  # sequence 0 is never issued
    low_year_check = 98 - (1999_000001 * 100) % 97
    assert not is_valid_certificate_number(f"CLEA-1999-000001-{low_year_check:02d}")


@pytest.mark.parametrize(("year", "sequence"), [(1999, 1), (10_000, 1), (2026, 0), (2026, -3)])
def test_r12_certificate_number_refuses_bad_input(year: int, sequence: int) -> None:
    with pytest.raises(ValueError):
        certificate_number(year, sequence)


def _digits_to_number(digits: str) -> str:
    return f"CLEA-{digits[:4]}-{digits[4:10]}-{digits[10:]}"


@settings(max_examples=100, deadline=None)
@given(year=st.integers(2000, 2099), sequence=st.integers(1, 999_999))
def test_r12_typos_in_a_certificate_number_are_detected(year: int, sequence: int) -> None:
    number = certificate_number(year, sequence)
    assert is_valid_certificate_number(number)
    digits = number.replace("CLEA-", "").replace("-", "")
    assert len(digits) == 12
    for position, digit in enumerate(digits):  # one wrong digit
        for other in "0123456789":
            if other != digit:
                typo = digits[:position] + other + digits[position + 1 :]
                assert not is_valid_certificate_number(_digits_to_number(typo)), typo
    for position in range(len(digits) - 1):  # two neighbouring digits swapped
        a, b = digits[position], digits[position + 1]
        if a != b:
            swapped = digits[:position] + b + a + digits[position + 2 :]
            assert not is_valid_certificate_number(_digits_to_number(swapped)), swapped


# ------------------------------------------------------------------------------------------------ snapshot


def test_r12_snapshot_for_jury_contains_only_what_the_jury_needs(walk: Walk, referential: Referential) -> None:
    file = walk(FileState.READY_FOR_JURY, gaps=("4.2",))
    snap = snapshot_for_jury(file, referential, "Camille Martin")
    assert {field.name for field in dataclasses.fields(snap)} == {
        "file_ref",
        "candidate_name",
        "referential_id",
        "domains_mastered",
        "domains_total",
        "evaluating_organisations",
        "training_organisations",
        "evidence",
        "evidence_items",  # the same references with their kind, type, title, criterion: nothing about the person
        "accommodations",  # R3: the accommodations evaluated with, as French labels (never the justification)
    }
    assert snap.file_ref == file.file_id
    assert snap.candidate_name == "Camille Martin"
    assert snap.referential_id == file.referential_id == referential.identity
    assert snap.domains_total == tuple("1234567")
    assert snap.domains_mastered == tuple("1234567")
    assert snap.all_domains_mastered
    check_snapshot_ready(snap)
    # evidence of acquired results only, with no comment, evaluator or personal detail
    acquired = compute_mastery(referential, file.evaluations).acquired_criteria
    assert set(snap.evidence) == {f"preuve-{code}" for code in acquired}
    assert list(snap.evidence) == sorted(snap.evidence)
    text = repr(snap)
    for private in (
        "Point d'appui",
        "À travailler",
        "evaluator-",
        "trainer-",
        "candidate-1",
        "France Travail",
        "counsellor",
    ):
        assert private not in text, private


def test_r12_snapshot_of_a_file_with_gaps_is_not_ready(walk: Walk, referential: Referential) -> None:
    snap = snapshot_for_jury(walk(FileState.EVALUATED, gaps=("4.2",)), referential, "Camille Martin")
    assert snap.domains_mastered == ("1", "2", "3", "5", "6", "7")
    assert "preuve-4.2.1" not in snap.evidence
    with refused("not_ready_for_jury", "R10"):
        check_snapshot_ready(snap)
    with refused("not_ready_for_jury", "R10"):
        decide(snap, Outcome.CERTIFIED, (E1, S1), AT)


def test_r12_snapshot_evidence_keeps_what_was_acquired_earlier(walk: Walk, referential: Referential) -> None:
    file = walk(FileState.READY_FOR_JURY, gaps=("4.2", "6.1"))
    snap = snapshot_for_jury(file, referential, "Camille Martin")
    assert {f"preuve-{c}" for c in criteria_of(referential, "4.2", "6.1", "1.1")} <= set(snap.evidence)
