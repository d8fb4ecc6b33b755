"""Acts and fees (issue 15 §5, R15): tariffs by role, statements computed from facts equal to a recount from
the organisations' own schemas, CSV and PDF, an organisation's own statement, isolation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from pypdf import PdfReader
from tests.dashboards.journeys import Plan, at, publish_all, walk

from clea.audit.models import AuditEntry
from clea.journey.models import DecisionRecord
from clea.kernel.fees import ActKind
from clea.publishing import fees
from clea.publishing.models import Tariff

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 6, 30)


def _tariffs() -> None:
    fees.add_tariff(ActKind.INITIAL_EVALUATION, Decimal("20"), date(2019, 1, 1), Decimal("20"), None)
    fees.add_tariff(ActKind.CERTIFICATE, Decimal("5"), date(2019, 1, 1), Decimal("20"), None)
    fees.add_tariff(ActKind.INITIAL_EVALUATION, Decimal("22"), date(2025, 3, 1), Decimal("20"), None)


@pytest.fixture
def journeys(org_a: Any, org_b: Any) -> tuple[Any, Any]:
    _tariffs()
    plans_a = [
        Plan("Zéphyrine", "Quastorvian", at(2025, 1, 6)),  # préalable January, certified
        Plan("Aldegonde", "Verbruggen", at(2025, 2, 3), gaps=frozenset({"3.1"})),  # path, certified later
        Plan("Ysolde", "Karamazian", at(2025, 2, 24), outcome="refused"),  # préalable February/March, refused
        Plan("Barnabé", "Ollivandre", at(2025, 3, 10), until="opened"),  # no évaluation préalable: no act
        Plan("Clothilde", "Yersinova", at(2025, 4, 7), until="initial", gaps=frozenset({"7.2"})),
    ]
    plans_b = [Plan("Eudoxie", "Plumerand", at(2025, 3, 17)), Plan("Fulbert", "Sarrazinov", at(2025, 5, 5))]
    for plan in plans_a:
        walk(org_a, plan)
    for plan in plans_b:
        walk(org_b, plan)
    publish_all(org_a.schema_name)
    publish_all(org_b.schema_name)
    return org_a, org_b


def recount(org: Any) -> Counter[tuple[str, ActKind]]:
    """Acts per (month, kind) straight from the organisation's own decisions."""
    zone = ZoneInfo(settings.TIME_ZONE)
    counts: Counter[tuple[str, ActKind]] = Counter()
    with schema_context(org.schema_name):
        for decision in DecisionRecord.objects.all():
            day = decision.at.astimezone(zone).date()
            if not START <= day <= END:
                continue
            if decision.kind == "initial_evaluation":
                counts[(f"{day:%Y-%m}", ActKind.INITIAL_EVALUATION)] += 1
            elif decision.kind == "jury_decision" and decision.to_state == "certified":
                counts[(f"{day:%Y-%m}", ActKind.CERTIFICATE)] += 1
    return counts


def test_the_statement_equals_a_recount_from_the_tenant_schemas(journeys: tuple[Any, Any]) -> None:
    org_a, org_b = journeys
    for org in (org_a, org_b):
        result = fees.statement(org, START, END)
        computed: Counter[tuple[str, ActKind]] = Counter()
        for line in result.lines:
            computed[(line.month, line.kind)] += line.count
        assert computed == recount(org), org.slug
        assert +computed  # not an empty match
    a = fees.statement(org_a, START, END)
    # the path file is certified after June (its training lasts 120 days): one certificate in the period
    assert a.count_of(ActKind.INITIAL_EVALUATION) == 4 and a.count_of(ActKind.CERTIFICATE) == 1
    expected_ht = sum(
        (line.count * (Decimal("20") if line.month < "2025-03" else Decimal("22")) for line in a.lines
         if line.kind is ActKind.INITIAL_EVALUATION),
        Decimal("0"),
    ) + 1 * Decimal("5")  # fmt: skip
    assert a.total_ht == expected_ht
    assert a.total_vat == (expected_ht * Decimal("0.2")).quantize(Decimal("0.01"))
    totals = fees.federation_totals(START, END)
    by_slug = {row.slug: row for row in totals.rows}
    assert by_slug[org_a.slug].total_ht == a.total_ht
    assert by_slug[org_b.slug].counts[ActKind.CERTIFICATE] == fees.statement(org_b, START, END).count_of(
        ActKind.CERTIFICATE
    )
    assert totals.counts[ActKind.INITIAL_EVALUATION] >= 6


def test_statement_files_and_roles(
    journeys: tuple[Any, Any], federation_client: Any, api_client_for: Callable[..., Any]
) -> None:
    org_a, org_b = journeys
    analyst = api_client_for(None, "analyst")
    url = f"/api/federation/fees/statements/{org_a.slug}/?from=2025-01&to=2025-06"
    body = analyst.get(url).json()
    assert body["counts"]["initial_evaluation"] == 4 and body["total_ht"] == str(
        fees.statement(org_a, START, END).total_ht
    )
    csv = federation_client.get(f"/api/federation/fees/statements/{org_a.slug}/csv/?from=2025-01&to=2025-06")
    assert csv.status_code == 200 and "Évaluation préalable" in csv.content.decode("utf-8-sig")
    pdf = federation_client.get(f"/api/federation/fees/statements/{org_a.slug}/pdf/?from=2025-01&to=2025-06")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Relevé des actes de certification CléA" in text and org_a.name in text
    assert "Évaluation préalable" in text and "Total HT" in text and "janvier 2025" in text
    assert federation_client.get("/api/federation/fees/statements/nobody/").status_code == 404
    assert federation_client.get(url.replace("to=2025-06", "to=2024-06")).status_code == 400
    assert federation_client.get(url.replace("from=2025-01", "from=2025-13")).json()["fields"].keys() == {"from"}
    totals = analyst.get("/api/federation/fees/totals/?from=2025-01&to=2025-06").json()
    assert {row["organisation"] for row in totals["organisations"]} >= {org_a.slug, org_b.slug}

    own = api_client_for(org_a, "admin").get("/api/fees/statement/?from=2025-01&to=2025-06")
    assert own.status_code == 200 and own.json()["organisation"] == org_a.slug
    assert own.json()["total_ht"] == body["total_ht"]
    other = api_client_for(org_b, "admin").get("/api/fees/statement/?from=2025-01&to=2025-06").json()
    assert other["organisation"] == org_b.slug and other["counts"]["initial_evaluation"] == 2
    assert api_client_for(org_a, "counsellor").get("/api/fees/statement/").status_code == 403
    tenant_admin = api_client_for(org_a, "admin")
    tenant_admin.defaults.pop("HTTP_X_CLEA_TENANT")  # organisation A's token on the federation's host
    assert tenant_admin.get(url).status_code in (401, 403)
    assert api_client_for(None, "jury_member").get(url).status_code == 403


def test_tariffs_by_role_and_bad_input(federation_client: Any, api_client_for: Callable[..., Any]) -> None:
    analyst = api_client_for(None, "analyst")
    payload = {"kind": "initial_evaluation", "unit_price": "20.00", "valid_from": "2019-01-01"}
    assert analyst.post("/api/federation/fees/tariffs/", payload, format="json").status_code == 403
    assert Tariff.objects.count() == 0
    created = federation_client.post("/api/federation/fees/tariffs/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["vat_rate"] == "20.00" and created.json()["valid_to"] is None
    for bad in (
        {**payload, "unit_price": "-1"},
        {**payload, "kind": "lunch"},
        {**payload, "valid_from": "hier"},
        {**payload, "valid_from": "2018-06-01"},  # before the version in force: history is not rewritten
        {**payload, "valid_from": "2026-01-01", "vat_rate": "150"},
    ):
        response = federation_client.post("/api/federation/fees/tariffs/", bad, format="json")
        assert response.status_code == 400, (bad, response.json())
    assert Tariff.objects.count() == 1
    newer = federation_client.post(
        "/api/federation/fees/tariffs/", {**payload, "unit_price": "22", "valid_from": "2026-01-01"}, format="json"
    )
    assert newer.status_code == 201
    listed = analyst.get("/api/federation/fees/tariffs/").json()
    assert [(t["unit_price"], t["valid_from"], t["valid_to"]) for t in listed] == [
        ("22.00", "2026-01-01", None),
        ("20.00", "2019-01-01", "2025-12-31"),
    ]
    assert AuditEntry.objects.filter(action="tariff_added").count() == 2


def test_demo_tariffs_are_seeded_once() -> None:
    from clea.publishing.demo import seed_tariffs

    assert seed_tariffs() == 2 and seed_tariffs() == 0
    assert sorted(Tariff.objects.values_list("kind", "unit_price")) == [
        ("certificate", Decimal("5.00")),
        ("initial_evaluation", Decimal("20.00")),
    ]
