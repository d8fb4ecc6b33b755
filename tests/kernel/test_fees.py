"""Acts and fees (R15): versioned tariffs, statements priced by the tariff in force on each act's day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clea.kernel.errors import DomainError
from clea.kernel.fees import ActCount, ActKind, Tariff, build_statement, next_version, tariff_in_force

PREALABLE_2019 = Tariff(ActKind.INITIAL_EVALUATION, Decimal("20"), date(2019, 1, 1))
CERTIFICATE_2019 = Tariff(ActKind.CERTIFICATE, Decimal("5"), date(2019, 1, 1))


def test_a_new_version_closes_the_previous_one() -> None:
    closed, new = next_version([PREALABLE_2019], Tariff(ActKind.INITIAL_EVALUATION, Decimal("22"), date(2026, 3, 15)))
    assert closed is not None and closed.valid_to == date(2026, 3, 14)
    tariffs = [closed, new, CERTIFICATE_2019]
    assert tariff_in_force(tariffs, ActKind.INITIAL_EVALUATION, date(2026, 3, 14)) == closed
    assert tariff_in_force(tariffs, ActKind.INITIAL_EVALUATION, date(2026, 3, 15)) == new
    assert tariff_in_force(tariffs, ActKind.NUMERIQUE_APPLICATION, date(2026, 3, 15)) is None


@pytest.mark.parametrize(
    ("tariff", "rule"),
    [
        (Tariff(ActKind.INITIAL_EVALUATION, Decimal("21"), date(2019, 1, 1)), "fees_history"),
        (Tariff(ActKind.INITIAL_EVALUATION, Decimal("21"), date(2018, 6, 1)), "fees_history"),
        (Tariff(ActKind.INITIAL_EVALUATION, Decimal("-1"), date(2026, 1, 1)), "fees_negative_price"),
        (Tariff(ActKind.INITIAL_EVALUATION, Decimal("1"), date(2026, 1, 1), vat_rate=Decimal("120")), "fees_vat_rate"),
        (Tariff(ActKind.INITIAL_EVALUATION, Decimal("1"), date(2026, 1, 2), date(2026, 1, 1)), "fees_window"),
    ],
)
def test_history_is_never_rewritten(tariff: Tariff, rule: str) -> None:
    with pytest.raises(DomainError) as refused:
        next_version([PREALABLE_2019], tariff)
    assert refused.value.code == rule


def test_a_version_cannot_start_inside_a_closed_window() -> None:
    bounded = Tariff(ActKind.CERTIFICATE, Decimal("5"), date(2019, 1, 1), date(2026, 12, 31))
    with pytest.raises(DomainError, match="runs until 2026-12-31"):
        next_version([bounded], Tariff(ActKind.CERTIFICATE, Decimal("6"), date(2026, 6, 1)))
    assert next_version([bounded], Tariff(ActKind.CERTIFICATE, Decimal("6"), date(2027, 1, 1)))[0] is None


def test_statement_lines_per_month_kind_and_tariff() -> None:
    closed, new = next_version([PREALABLE_2019], Tariff(ActKind.INITIAL_EVALUATION, Decimal("22"), date(2026, 3, 15)))
    assert closed is not None
    acts = [
        ActCount("greta", "", ActKind.INITIAL_EVALUATION, date(2026, 3, 2), 3),
        ActCount("greta", "", ActKind.INITIAL_EVALUATION, date(2026, 3, 20), 2),
        ActCount("greta", "", ActKind.CERTIFICATE, date(2026, 3, 20), 4),
        ActCount("greta", "", ActKind.NUMERIQUE_APPLICATION, date(2026, 4, 1), 1),
        ActCount("greta", "", ActKind.CERTIFICATE, date(2026, 5, 1), 9),  # after the period
        ActCount("afpa", "", ActKind.CERTIFICATE, date(2026, 3, 20), 7),  # another organisation
    ]
    statement = build_statement("greta", date(2026, 3, 1), date(2026, 4, 30), acts, [closed, new, CERTIFICATE_2019])
    assert [(line.month, line.kind, line.count, line.unit_price, line.amount) for line in statement.lines] == [
        ("2026-03", ActKind.INITIAL_EVALUATION, 3, Decimal("20"), Decimal("60.00")),
        ("2026-03", ActKind.INITIAL_EVALUATION, 2, Decimal("22"), Decimal("44.00")),
        ("2026-03", ActKind.CERTIFICATE, 4, Decimal("5"), Decimal("20.00")),
        ("2026-04", ActKind.NUMERIQUE_APPLICATION, 1, None, Decimal("0.00")),
    ]
    assert statement.total_ht == Decimal("124.00")
    assert statement.total_vat == Decimal("24.80")
    assert statement.total_ttc == Decimal("148.80")
    assert statement.count_of(ActKind.INITIAL_EVALUATION) == 5
    assert [line.kind for line in statement.unpriced] == [ActKind.NUMERIQUE_APPLICATION]
    with pytest.raises(DomainError):
        build_statement("greta", date(2026, 4, 1), date(2026, 3, 1), acts, [])
