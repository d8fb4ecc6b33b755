"""R4: mastery is computed from the referential's rules; R9: acquired results are capitalised, never lost."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.kernel.builders import (
    all_but,
    criteria_of,
    initial_evaluation,
    make_evaluation,
    referential_document,
    referential_from,
    refused,
)

from clea.kernel.mastery import (
    CriterionResult,
    Evaluation,
    EvaluationKind,
    MasteryReport,
    SubDomainMastery,
    capitalise,
    compute_mastery,
)
from clea.kernel.referential import Referential, default_referential

DAY = date(2026, 1, 5)
REF = default_referential()
CODES = sorted(REF.criterion_codes)
PROPERTY = settings(max_examples=100, deadline=None)


def mastery_of(referential: Referential, acquired: frozenset[str] | set[str]) -> MasteryReport:
    return compute_mastery(referential, [initial_evaluation(referential, acquired, DAY)])


def sub(report: MasteryReport, code: str) -> SubDomainMastery:
    return next(s for s in report.subdomains if s.code == code)


# ------------------------------------------------------------------------------------------- thresholds (R4)


def test_r4_three_of_four_criteria_acquire_a_subdomain_two_do_not() -> None:
    codes = REF.subdomain("1.2").criterion_codes
    assert len(codes) == 4
    three = mastery_of(REF, set(codes[:3]))
    two = mastery_of(REF, set(codes[:2]))
    assert sub(three, "1.2").acquired
    assert sub(three, "1.2").share == Fraction(3, 4)
    assert not sub(two, "1.2").acquired
    assert sub(two, "1.2").missing_criteria == codes[2:]
    assert sub(two, "1.2").threshold == Fraction(3, 4)


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6, 7, 8])
def test_r4_exact_75_percent_boundary_for_each_subdomain_size(size: int) -> None:
    ref = referential_from(referential_document([[size]]))
    codes = ref.subdomain("1.1").criterion_codes
    minimum = math.ceil(Fraction(3, 4) * size)
    assert minimum == {1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 5, 7: 6, 8: 6}[size]
    for count in range(size + 1):
        report = mastery_of(ref, set(codes[:count]))
        expected = Fraction(count, size) >= Fraction(3, 4)
        assert expected == (count >= minimum)
        assert sub(report, "1.1").acquired is expected, (size, count)
        assert report.ready_for_jury is expected


@pytest.mark.parametrize("size", [2, 3, 5, 6])
def test_r4_boundary_on_the_shipped_subdomains_of_that_size(size: int) -> None:
    subs = [s for _, s in REF.iter_subdomains() if len(s.criteria) == size]
    assert subs
    minimum = math.ceil(Fraction(3, 4) * size)
    for subdomain in subs:
        codes = subdomain.criterion_codes
        others = REF.criterion_codes - set(codes)
        assert sub(mastery_of(REF, others | set(codes[:minimum])), subdomain.code).acquired
        assert not sub(mastery_of(REF, others | set(codes[: minimum - 1])), subdomain.code).acquired


def test_r4_mandatory_criterion_is_required_whatever_the_share() -> None:
    document = referential_document([[4, 2]])
    document["domains"][0]["subdomains"][0]["mastery"] = {"threshold": 0.5, "mandatory": ["1.1.4"]}
    ref = referential_from(document)
    rest = set(criteria_of(ref, "1.2"))
    without = mastery_of(ref, rest | {"1.1.1", "1.1.2", "1.1.3"})
    assert not sub(without, "1.1").acquired
    assert sub(without, "1.1").missing_mandatory == ("1.1.4",)
    assert not without.ready_for_jury
    assert sub(mastery_of(ref, rest | {"1.1.1", "1.1.4"}), "1.1").acquired  # 2/4 ≥ 50 % with the mandatory one
    assert not sub(mastery_of(ref, rest | {"1.1.4"}), "1.1").acquired  # mandatory alone is not 50 %


def test_r4_a_domain_is_mastered_iff_all_its_subdomains_are() -> None:
    for domain in REF.domains:
        for subdomain in domain.subdomains:
            report = mastery_of(REF, all_but(REF, subdomain.code))
            assert domain.code not in report.mastered_domains
            assert set(report.mastered_domains) == {d.code for d in REF.domains} - {domain.code}
            assert not report.ready_for_jury
            assert list(report.gaps) == [subdomain.code]
            assert report.gaps[subdomain.code] == subdomain.criterion_codes


def test_r4_ready_for_jury_iff_all_7_domains_are_mastered() -> None:
    everything = mastery_of(REF, REF.criterion_codes)
    assert everything.ready_for_jury
    assert len(everything.mastered_domains) == 7
    assert everything.gaps == {}
    nothing = mastery_of(REF, set())
    assert not nothing.ready_for_jury
    assert nothing.mastered_domains == ()
    assert len(nothing.gaps) == 28
    # exactly at the threshold everywhere is enough
    minimal = {
        code
        for _, s in REF.iter_subdomains()
        for code in s.criterion_codes[: math.ceil(Fraction(3, 4) * len(s.criteria))]
    }
    assert mastery_of(REF, minimal).ready_for_jury
    assert mastery_of(REF, minimal).referential_id == REF.identity


def test_r4_ready_for_jury_follows_the_referential_not_a_fixed_7() -> None:
    ref = referential_from(referential_document([[2], [3]]))
    assert mastery_of(ref, ref.criterion_codes).ready_for_jury
    assert not mastery_of(ref, criteria_of(ref, "1.1")).ready_for_jury


def test_r4_nothing_evaluated_means_nothing_acquired() -> None:
    report = compute_mastery(REF, [])
    assert not report.ready_for_jury
    assert report.acquired_criteria == frozenset()


def test_r13_unknown_criterion_codes_are_refused() -> None:
    bad = make_evaluation(REF, {"9.9.9"}, DAY, criteria={"1.1.1", "9.9.9"})
    with refused("unknown_criterion") as info:
        compute_mastery(REF, [bad])
    assert "9.9.9" in info.value.message_fr
    assert "9.9.9" in info.value.message_en


def test_a_criterion_appears_once_per_evaluation() -> None:
    result = CriterionResult("1.1.1", True, DAY, "evaluator-1")
    evaluation = Evaluation(EvaluationKind.INITIAL, REF.identity, "evaluator-1", (DAY,), (result, result))
    with refused("duplicate_criterion"):
        compute_mastery(REF, [evaluation])


# ----------------------------------------------------------------------------------------- capitalisation (R9)


def test_r9_later_evaluation_replaces_earlier_only_for_criteria_it_covers() -> None:
    first = make_evaluation(REF, {"1.1.2"}, DAY, criteria={"1.1.1", "1.1.2", "1.2.1"})
    second = make_evaluation(REF, {"1.1.1"}, DAY + timedelta(days=30), criteria={"1.1.1"}, kind=EvaluationKind.FINAL)
    standing = capitalise([first, second])
    assert standing["1.1.1"] is second.results[0]
    assert standing["1.1.2"] is first.results[1]
    assert standing["1.2.1"] is first.results[2]
    assert not standing["1.2.1"].acquired
    assert set(standing) == {"1.1.1", "1.1.2", "1.2.1"}


def test_r9_acquired_is_never_lost_to_a_later_not_acquired() -> None:
    first = make_evaluation(REF, {"1.1.1"}, DAY, criteria={"1.1.1"})
    later = make_evaluation(REF, set(), DAY + timedelta(days=10), criteria={"1.1.1"}, evaluator="evaluator-2")
    standing = capitalise([first, later])
    assert standing["1.1.1"].acquired
    assert standing["1.1.1"].evaluator == "evaluator-1"
    assert compute_mastery(REF, [first, later]).acquired_criteria == {"1.1.1"}


def test_r9_order_is_by_date_not_by_position() -> None:
    early = make_evaluation(REF, set(), DAY, criteria={"1.1.1"})
    late = make_evaluation(REF, set(), DAY + timedelta(days=3), criteria={"1.1.1"}, evaluator="evaluator-2")
    assert capitalise([late, early])["1.1.1"].evaluator == "evaluator-2"
    assert capitalise([early, late])["1.1.1"].evaluator == "evaluator-2"


# ----------------------------------------------------------------------------------------------- properties

codes_sets = st.frozensets(st.sampled_from(CODES))


@PROPERTY
@given(base=codes_sets, extra=codes_sets)
def test_r4_mastery_is_monotone_when_acquired_results_are_added(base: frozenset[str], extra: frozenset[str]) -> None:
    before = compute_mastery(REF, [make_evaluation(REF, base, DAY)])
    after = compute_mastery(
        REF, [make_evaluation(REF, base, DAY), make_evaluation(REF, extra, DAY + timedelta(days=1), criteria=extra)]
    )
    assert before.acquired_criteria <= after.acquired_criteria
    assert after.acquired_criteria == base | extra
    assert set(before.acquired_subdomains) <= set(after.acquired_subdomains)
    assert set(before.mastered_domains) <= set(after.mastered_domains)
    assert before.ready_for_jury <= after.ready_for_jury
    # and mastery depends only on what is acquired
    assert after.acquired_subdomains == mastery_of(REF, base | extra).acquired_subdomains


@st.composite
def evaluation_sequences(draw: st.DrawFn) -> list[Evaluation]:
    count = draw(st.integers(1, 6))
    evaluations = []
    for index in range(count):
        covered = draw(st.frozensets(st.sampled_from(CODES), min_size=1, max_size=20))
        acquired = draw(st.frozensets(st.sampled_from(sorted(covered))))
        offset = draw(st.integers(0, 400))
        kind = EvaluationKind.INITIAL if index == 0 else EvaluationKind.FINAL
        evaluations.append(
            make_evaluation(
                REF, acquired, DAY + timedelta(days=offset), criteria=covered, kind=kind, evaluator=f"evaluator-{index}"
            )
        )
    return evaluations


@PROPERTY
@given(evaluations=evaluation_sequences())
def test_r9_capitalisation_never_loses_an_acquired_criterion(evaluations: list[Evaluation]) -> None:
    standing = capitalise(evaluations)
    ever_acquired = {r.criterion for e in evaluations for r in e.results if r.acquired}
    ever_covered = {r.criterion for e in evaluations for r in e.results}
    assert set(standing) == ever_covered
    assert {code for code, result in standing.items() if result.acquired} == ever_acquired
    # every prefix (in date order) keeps what it had acquired
    ordered = sorted(evaluations, key=lambda e: e.ended_on)
    previous: frozenset[str] = frozenset()
    for end in range(1, len(ordered) + 1):
        now = compute_mastery(REF, ordered[:end]).acquired_criteria
        assert previous <= now
        previous = now
    # a criterion never acquired stands on the latest evaluation that covered it
    for code in ever_covered - ever_acquired:
        _, position = max((e.ended_on, pos) for pos, e in enumerate(evaluations) if code in e.criteria)
        assert standing[code] in evaluations[position].results
