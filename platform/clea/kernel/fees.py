"""Acts and fees (R15): what the certifier bills an evaluating organisation, computed from what happened.

An act is counted from a fact (an évaluation préalable closed, a certificate delivered…), never typed. A
tariff gives a unit price (HT) per act kind for a validity window; tariffs of one kind never overlap, so an act
is priced by the one tariff in force on the day it happened. A statement groups the counts of one
organisation (and establishment) per month and act kind, priced line by line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from clea.kernel.errors import DomainError

CENT = Decimal("0.01")


class ActKind(StrEnum):
    INITIAL_EVALUATION = "initial_evaluation"  # an évaluation préalable closed
    CERTIFICATE = "certificate"  # a certificate delivered by the jury
    NUMERIQUE_APPLICATION = "numerique_application"  # a file opened on the CléA Numérique referential
    ESTABLISHMENT = "establishment"  # an accredited establishment, per month (counted by the register)


ACT_LABELS_FR: dict[ActKind, str] = {
    ActKind.INITIAL_EVALUATION: "Évaluation préalable",
    ActKind.CERTIFICATE: "Certificat délivré",
    ActKind.NUMERIQUE_APPLICATION: "Candidature CléA Numérique",
    ActKind.ESTABLISHMENT: "Établissement habilité (par mois)",
}


@dataclass(frozen=True)
class Tariff:
    kind: ActKind
    unit_price: Decimal  # euros HT
    valid_from: date
    valid_to: date | None = None  # inclusive; None: until a later tariff
    vat_rate: Decimal = Decimal("20")  # per cent

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def tariff_in_force(tariffs: Iterable[Tariff], kind: ActKind, day: date) -> Tariff | None:
    found = [tariff for tariff in tariffs if tariff.kind is kind and tariff.covers(day)]
    return found[0] if found else None


def next_version(existing: Sequence[Tariff], new: Tariff) -> tuple[Tariff | None, Tariff]:
    """Add ``new`` as the next version of its kind's tariff: the open-ended previous one ends the day before.

    Returns (the previous tariff as closed, or None; the new tariff). A version starting on or before the
    start of the latest one is refused (history is never rewritten), as is a price below zero.
    """
    if new.unit_price < 0:
        raise DomainError(
            "fees_negative_price",
            None,
            "Le prix unitaire ne peut pas être négatif.",
            "The unit price cannot be negative.",
        )
    if not Decimal("0") <= new.vat_rate <= Decimal("100"):
        raise DomainError(
            "fees_vat_rate",
            None,
            "Le taux de TVA est compris entre 0 et 100 %.",
            "The VAT rate is between 0 and 100 %.",
        )
    if new.valid_to is not None and new.valid_to < new.valid_from:
        raise DomainError(
            "fees_window",
            None,
            "La date de fin précède la date de début.",
            "The end date is before the start date.",
        )
    same = sorted((t for t in existing if t.kind is new.kind), key=lambda t: t.valid_from)
    if not same:
        return None, new
    latest = same[-1]
    if new.valid_from <= latest.valid_from:
        raise DomainError(
            "fees_history",
            None,
            f"Un tarif « {ACT_LABELS_FR[new.kind]} » commence déjà le {latest.valid_from:%d/%m/%Y} : "
            "une nouvelle version commence après.",
            f"A tariff for {new.kind} already starts on {latest.valid_from}: a new version starts later.",
        )
    if latest.valid_to is not None and latest.valid_to >= new.valid_from:
        raise DomainError(
            "fees_overlap",
            None,
            f"Le tarif en vigueur court jusqu'au {latest.valid_to:%d/%m/%Y} : la nouvelle version commence après.",
            f"The tariff in force runs until {latest.valid_to}: the new version starts later.",
        )
    day_before = new.valid_from - timedelta(days=1)
    closed = Tariff(latest.kind, latest.unit_price, latest.valid_from, day_before, latest.vat_rate)
    return (closed if latest.valid_to is None else None), new


@dataclass(frozen=True)
class ActCount:
    """How many acts of one kind one organisation (establishment) had on one day."""

    organisation: str
    establishment: str  # "" until the register of establishments resolves it
    kind: ActKind
    day: date
    count: int


@dataclass(frozen=True)
class StatementLine:
    month: str  # "2026-03"
    establishment: str
    kind: ActKind
    count: int
    unit_price: Decimal | None  # None: no tariff in force that day
    amount: Decimal  # HT
    vat: Decimal

    @property
    def label_fr(self) -> str:
        return ACT_LABELS_FR[self.kind]


@dataclass(frozen=True)
class Statement:
    organisation: str
    start: date
    end: date
    lines: tuple[StatementLine, ...]

    @property
    def total_ht(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def total_vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), Decimal("0.00"))

    @property
    def total_ttc(self) -> Decimal:
        return self.total_ht + self.total_vat

    @property
    def unpriced(self) -> tuple[StatementLine, ...]:
        return tuple(line for line in self.lines if line.unit_price is None)

    def count_of(self, kind: ActKind) -> int:
        return sum(line.count for line in self.lines if line.kind is kind)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def build_statement(
    organisation: str, start: date, end: date, counts: Iterable[ActCount], tariffs: Sequence[Tariff]
) -> Statement:
    """Price the acts of ``organisation`` between ``start`` and ``end`` (inclusive), by month and act kind.

    Acts of one month may fall under two tariffs (a new version starting mid-month): they make two lines.
    """
    if end < start:
        raise DomainError(
            "fees_period", None, "La fin de la période précède son début.", "The period ends before it starts."
        )
    grouped: dict[tuple[str, str, ActKind, Tariff | None], int] = {}
    for act in counts:
        if act.organisation != organisation or not start <= act.day <= end or act.count <= 0:
            continue
        tariff = tariff_in_force(tariffs, act.kind, act.day)
        key = (f"{act.day:%Y-%m}", act.establishment, act.kind, tariff)
        grouped[key] = grouped.get(key, 0) + act.count
    order = list(ActKind)
    lines = []
    for (month, establishment, kind, tariff), count in sorted(
        grouped.items(), key=lambda item: (item[0][0], item[0][1], order.index(item[0][2]), str(item[0][3]))
    ):
        amount = _money(tariff.unit_price * count) if tariff else Decimal("0.00")
        vat = _money(amount * tariff.vat_rate / 100) if tariff else Decimal("0.00")
        price = tariff.unit_price if tariff else None
        lines.append(StatementLine(month, establishment, kind, count, price, amount, vat))
    return Statement(organisation, start, end, tuple(lines))
