"""The figures equal a plain recount from the organisations' own tables, through the rollups and through the
raw facts, for every filter; the rollups do not depend on the order or repetition of the facts."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.dashboards.conftest import PLANS
from tests.dashboards.journeys import observed, recount

from clea.dashboards import figures
from clea.dashboards.figures import Filters
from clea.dashboards.models import Rollup
from clea.dashboards.rollups import rebuild_all
from clea.facts.models import JourneyFact
from clea.journey.models import CandidateFileRecord

pytestmark = pytest.mark.db

FILTERS: list[dict[str, Any]] = [
    {},
    {"period_start": date(2025, 2, 1), "period_end": date(2025, 4, 30)},
    {"period_start": date(2025, 1, 15), "period_end": date(2025, 6, 10)},  # not whole months: from the facts
    {"region": "76"},
    {"branch": "btp"},
    {"branch": "proprete"},
    {"organisation": "dash-ouest"},
    {"prescriber_type": "france_travail"},
    {"prescriber_type": "none"},
    {"region": "53", "prescriber_type": "region"},  # two filters: from the rollups' combined slice
]

# Two members per dimension: every combination of them (3^4 = 81 filter sets), with and without a period.
COMBINATION_MEMBERS: dict[str, tuple[str, ...]] = {
    "region": ("53", "76"),
    "branch": ("btp", "proprete"),
    "prescriber_type": ("france_travail", "none"),
    "organisation": ("dash-ouest", "dash-nord"),
}
PERIODS: tuple[dict[str, date], ...] = ({}, {"period_start": date(2025, 2, 1), "period_end": date(2025, 4, 30)})


def every_combination() -> list[dict[str, Any]]:
    combinations: list[dict[str, Any]] = []
    for size in range(len(COMBINATION_MEMBERS) + 1):
        for names in itertools.combinations(COMBINATION_MEMBERS, size):
            for members in itertools.product(*(COMBINATION_MEMBERS[n] for n in names)):
                for period in PERIODS:
                    combinations.append({**dict(zip(names, members, strict=True)), **period})
    return combinations


def test_figures_equal_a_recount_from_the_tenant_schemas(journeys: list[Any]) -> None:
    """One build of the journeys, every filter (a parametrised test would walk them again for each)."""
    for given in FILTERS:
        kwargs = {k: v for k, v in given.items() if k not in ("period_start", "period_end")}
        expected = recount(
            journeys, start=given.get("period_start", date.min), end=given.get("period_end", date.max), **kwargs
        ).expected()
        filters = Filters(**given)
        auto = figures.compute(filters)
        assert auto["source"] == ("rollups" if filters.rollup_ready else "facts"), given
        assert observed(auto) == expected, given
        assert observed(figures.compute(filters, source="facts")) == expected, given
        assert expected["files"] or given.get("prescriber_type") == "none", given


def test_every_combination_of_filters_reads_the_rollups_and_equals_a_recount(journeys: list[Any]) -> None:
    """The page and the API accept any combination of the four filters and a period: each reads one slice."""
    combinations = every_combination()
    assert len(combinations) == 162
    non_empty = 0
    for given in combinations:
        kwargs = {k: v for k, v in given.items() if k not in ("period_start", "period_end")}
        expected = recount(
            journeys, start=given.get("period_start", date.min), end=given.get("period_end", date.max), **kwargs
        ).expected()
        answer = figures.compute(Filters(**given))
        assert answer["source"] == "rollups", given
        assert observed(answer) == expected, given
        non_empty += bool(expected["files"])
    assert non_empty >= 40  # the combinations are not all empty: the comparison means something


def test_the_recount_is_not_trivial(journeys: list[Any]) -> None:
    national = figures.compute(Filters())
    assert national["files"] == len(PLANS)
    assert national["jury_decisions"] == {"certified": 5, "refused": 1, "adjourned": 0}
    assert national["straight_to_jury"] == 3 and national["initial_evaluations"] == 9
    assert national["missing_subdomains"][0] == {"code": "3.1", "count": 3, "share": round(3 / 9, 4)}
    assert national["training"]["count"] == 4 and national["time_to_certificate"]["count"] == 5
    assert {row["state"]: row["count"] for row in national["funnel"]}["withdrawn"] == 2
    by_reason = {row["reason"]: row["count"] for row in national["withdrawals"]["by_reason"]}
    assert national["withdrawals"]["count"] == 2 and by_reason["moved"] == 1 and by_reason["unreachable"] == 1
    assert set(by_reason) == {"found_job", "moved", "health", "no_longer_wishes", "unreachable", "other", "unspecified"}


def test_withdrawal_facts_carry_the_reason_code_never_the_free_text(journeys: list[Any]) -> None:
    withdrawn = JourneyFact.objects.filter(kind="withdrawn").order_by("at")
    assert [fact.detail.get("reason_code") for fact in withdrawn] == ["moved", "unreachable"]
    assert all(set(fact.detail) <= {"reason_code", "accommodations"} for fact in withdrawn)  # no free text


def test_a_bulk_rebuild_gives_the_same_rollups(journeys: list[Any]) -> None:
    incremental = set(Rollup.objects.filter(n__gt=0).values_list("dimension", "member", "month", "metric", "key", "n"))
    rebuild_all()
    rebuilt = set(Rollup.objects.values_list("dimension", "member", "month", "metric", "key", "n"))
    assert rebuilt == incremental and incremental


def test_facts_carry_the_missing_subdomains_of_the_initial_evaluation(journeys: list[Any]) -> None:
    org = journeys[0]
    with schema_context(org.schema_name):
        file_id = CandidateFileRecord.objects.get(candidate__last_name="Karamazian").pk
    fact = JourneyFact.objects.get(organisation=org.slug, file_ref=str(file_id), kind="initial_evaluation")
    assert fact.detail["missing_subdomains"] == "3.1,7.2"
    assert "evaluator" not in fact.detail
