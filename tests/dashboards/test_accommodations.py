"""Issue 13 §3: accommodations counted, pseudonymised, in the national figures; equal to a recount from the
organisations' own tables, for every filter; only kind codes leave the organisation."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from tests.dashboards.test_figures import FILTERS
from tests.fixtures.tenants import make_user

from clea.dashboards import figures
from clea.dashboards.export import csv_rows
from clea.dashboards.figures import Filters
from clea.facts.models import JourneyFact
from clea.facts.publication import republish_schema
from clea.journey.accommodations import do_record_accommodation
from clea.journey.models import AccommodationRecord, CandidateFileRecord, DecisionRecord

pytestmark = pytest.mark.db

SECRET = "Dyslexie attestée par la MDPH"
# (file index in the organisation, kind, detail): some files have two kinds, one has the same kind twice
GIVEN = [
    (0, "extra_time", ""),
    (0, "reader", ""),
    (1, "extra_time", ""),
    (1, "extra_time", ""),
    (2, "other", SECRET),
    (3, "large_print", ""),
]


def _record_accommodations(organisations: list[Any]) -> None:
    for n, org in enumerate(organisations):
        with schema_context(org.schema_name):
            staff = make_user(org.schema_name, "counsellor")
            files = list(CandidateFileRecord.objects.order_by("id").values_list("pk", flat=True))
            for index, kind, detail in GIVEN[n:]:  # a different set in each organisation
                if index < len(files):
                    do_record_accommodation(files[index], kind, detail, True, staff)
            republish_schema()


def recount(organisations: list[Any], start: date = date.min, end: date = date.max, **given: str) -> Counter[str]:
    """Files per kind, counted from each organisation's tables with the funnel's cohort rule."""
    tz = ZoneInfo(settings.TIME_ZONE)
    total: Counter[str] = Counter()
    for org in organisations:
        branches = set(org.accreditations.filter(revoked_at__isnull=True).values_list("branch__code", flat=True))
        if given.get("region") and org.region != given["region"]:
            continue
        if (given.get("branch") and given["branch"] not in branches) or (
            given.get("organisation") and org.slug != given["organisation"]
        ):
            continue
        with schema_context(org.schema_name):
            for record in CandidateFileRecord.objects.order_by("id"):
                if given.get("prescriber_type") and (record.prescriber_type or "none") != given["prescriber_type"]:
                    continue
                first = DecisionRecord.objects.filter(file=record).order_by("at", "id").first()
                if first is None or not start <= first.at.astimezone(tz).date() <= end:
                    continue
                total.update(set(AccommodationRecord.objects.filter(file=record).values_list("kind", flat=True)))
    return total


def test_accommodations_per_kind_equal_a_recount(journeys: list[Any]) -> None:
    _record_accommodations(journeys)
    national = figures.compute(Filters())
    counted = {row["kind"]: row["count"] for row in national["accommodations"]}
    assert counted["extra_time"] >= 2 and counted["reader"] >= 1 and counted["other"] >= 1  # not trivial
    assert counted["sign_language"] == 0 and len(counted) == 6  # every kind of the list, zeros included
    for given in FILTERS:
        kwargs = {k: v for k, v in given.items() if k not in ("period_start", "period_end")}
        expected = recount(journeys, given.get("period_start", date.min), given.get("period_end", date.max), **kwargs)
        for source in ("auto", "facts"):
            answer = figures.compute(Filters(**given), source=source)
            assert {r["kind"]: r["count"] for r in answer["accommodations"] if r["count"]} == dict(expected), given
    rows = csv_rows(national)
    assert ["aménagements", "dossiers", "extra_time", str(counted["extra_time"])] in rows


def test_only_kind_codes_reach_the_facts(journeys: list[Any]) -> None:
    _record_accommodations(journeys)
    published = list(JourneyFact.objects.values_list("detail", flat=True))
    assert any(detail.get("accommodations") for detail in published)
    text = repr(published)
    assert SECRET not in text and "justification" not in text
    assert {kind for d in published for kind in d.get("accommodations", [])} <= {
        "extra_time",
        "reader",
        "large_print",
        "sign_language",
        "adapted_place",
        "other",
    }


def test_the_national_page_shows_counts_per_kind(journeys: list[Any]) -> None:
    from tests.web.conftest import TenantClient

    _record_accommodations(journeys)
    national = {r["kind"]: r["count"] for r in figures.compute(Filters())["accommodations"]}
    client = TenantClient(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    client.force_login(make_user("public", "analyst"))
    page = client.get("/federation/tableau-de-bord/").content.decode()
    assert "Aménagements" in page and SECRET not in page
    assert f'<tr data-kind="extra_time"><td>Temps supplémentaire</td><td>{national["extra_time"]}</td></tr>' in page
