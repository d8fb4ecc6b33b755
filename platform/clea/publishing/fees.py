"""Tariffs (versioned) and statements of acts per organisation and period: screen, CSV, PDF (R15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import tablib
from django.db import transaction

from clea.audit import trail
from clea.kernel.fees import ACT_LABELS_FR, ActKind, Statement, Tariff, build_statement, next_version
from clea.publishing import acts
from clea.publishing.models import Tariff as TariffRecord
from clea_tenants.models import Organisation


def _kernel(record: TariffRecord) -> Tariff:
    return Tariff(record.act_kind, record.unit_price, record.valid_from, record.valid_to, record.vat_rate)


def tariffs() -> list[Tariff]:
    return [_kernel(record) for record in TariffRecord.objects.order_by("kind", "valid_from")]


def tariff_records() -> list[TariffRecord]:
    return list(TariffRecord.objects.order_by("kind", "-valid_from"))


def add_tariff(kind: ActKind, unit_price: Decimal, valid_from: date, vat_rate: Decimal, user: Any) -> TariffRecord:
    """A new version of ``kind``'s tariff; the open-ended previous version ends the day before (kernel rule)."""
    with transaction.atomic():
        existing = list(TariffRecord.objects.select_for_update().filter(kind=kind.value))
        closed, new = next_version([_kernel(r) for r in existing], Tariff(kind, unit_price, valid_from, None, vat_rate))
        if closed is not None:
            TariffRecord.objects.filter(kind=kind.value, valid_from=closed.valid_from).update(valid_to=closed.valid_to)
        by = user.get_username() if getattr(user, "is_authenticated", False) else ""
        record = TariffRecord.objects.create(
            kind=kind.value, unit_price=new.unit_price, vat_rate=new.vat_rate, valid_from=new.valid_from, created_by=by
        )
        trail.append(
            "tariff_added",
            actor=user,
            object_ref=f"tariff:{record.pk}",
            detail={
                "kind": kind.value,
                "unit_price": str(new.unit_price),
                "vat_rate": str(new.vat_rate),
                "valid_from": valid_from.isoformat(),
                "closes": closed.valid_to.isoformat() if closed and closed.valid_to else "",
            },
        )
    return record


def statement(organisation: Organisation, start: date, end: date) -> Statement:
    slug = str(organisation.slug)
    return build_statement(slug, start, end, acts.act_counts(start, end, slug), tariffs())


@dataclass(frozen=True)
class OrganisationTotal:
    slug: str
    name: str
    counts: dict[ActKind, int]
    total_ht: Decimal


@dataclass(frozen=True)
class FederationTotals:
    start: date
    end: date
    rows: tuple[OrganisationTotal, ...]

    @property
    def counts(self) -> dict[ActKind, int]:
        return {kind: sum(row.counts.get(kind, 0) for row in self.rows) for kind in ActKind}

    @property
    def total_ht(self) -> Decimal:
        return sum((row.total_ht for row in self.rows), Decimal("0.00"))


def federation_totals(start: date, end: date) -> FederationTotals:
    """Every organisation's acts and amount over the period (those with none included, at zero)."""
    all_acts = acts.act_counts(start, end)
    priced = tariffs()
    rows = []
    for slug, name in Organisation.objects.exclude(schema_name="public").order_by("name").values_list("slug", "name"):
        result = build_statement(slug, start, end, all_acts, priced)
        rows.append(OrganisationTotal(slug, name, {k: result.count_of(k) for k in ActKind}, result.total_ht))
    return FederationTotals(start, end, tuple(rows))


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def statement_rows(result: Statement) -> list[dict[str, Any]]:
    return [
        {
            "month": line.month,
            "establishment": line.establishment,
            "kind": line.kind.value,
            "label": line.label_fr,
            "count": line.count,
            "unit_price": line.unit_price,
            "amount": line.amount,
            "vat": line.vat,
        }
        for line in result.lines
    ]


def statement_csv(result: Statement, organisation_name: str) -> str:
    dataset = tablib.Dataset(
        headers=["organisme", "etablissement", "mois", "acte", "nombre", "prix_unitaire_ht", "montant_ht", "tva"]
    )
    for line in result.lines:
        dataset.append(
            [
                organisation_name,
                line.establishment,
                line.month,
                line.label_fr,
                line.count,
                _money(line.unit_price),
                _money(line.amount),
                _money(line.vat),
            ]
        )
    dataset.append(
        [organisation_name, "", "total", "Total HT", "", "", _money(result.total_ht), _money(result.total_vat)]
    )
    return str(dataset.export("csv"))


def totals_csv(totals: FederationTotals) -> str:
    kinds = list(ActKind)
    dataset = tablib.Dataset(headers=["organisme", "identifiant", *[k.value for k in kinds], "montant_ht"])
    for row in totals.rows:
        dataset.append([row.name, row.slug, *[row.counts.get(k, 0) for k in kinds], _money(row.total_ht)])
    dataset.append(["Total fédération", "", *[totals.counts[k] for k in kinds], _money(totals.total_ht)])
    return str(dataset.export("csv"))


def statement_filename(result: Statement, extension: str) -> str:
    return f"releve-actes-{result.organisation}-{result.start:%Y%m}-{result.end:%Y%m}.{extension}"


KIND_LABELS = ACT_LABELS_FR
