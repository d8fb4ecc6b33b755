"""The filters of the dashboards as SQL over the raw journey facts, for the queries that read them directly
(:func:`clea.dashboards.figures.counts_from_facts`, :func:`clea.dashboards.accommodations.counts`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings

from clea.dashboards.rollups import NO_PRESCRIBER
from clea.facts.models import JourneyFact

if TYPE_CHECKING:
    from clea.dashboards.figures import Filters


def facts_query(template: str, filters: Filters) -> tuple[str, dict[str, Any]]:
    """``template`` with its ``{facts}``, ``{org_filter}`` and ``{file_filter}`` filled in for ``filters``, and the
    query's parameters (``tz``, ``start``, ``end`` and those of the filters set)."""
    params: dict[str, Any] = {
        "tz": settings.TIME_ZONE,
        "start": filters.period_start or date.min,
        "end": filters.period_end or date.max,
    }
    org_filter, conditions = "", ["TRUE"]
    if filters.organisation:
        org_filter = "WHERE organisation = %(organisation)s"
        params["organisation"] = filters.organisation
    if filters.region:
        conditions.append("last.region = %(region)s")
        params["region"] = filters.region
    if filters.branch:
        conditions.append("%(branch)s = ANY(last.branches)")
        params["branch"] = filters.branch
    if filters.prescriber_type:
        conditions.append("last.prescriber_type = %(prescriber_type)s")
        params["prescriber_type"] = "" if filters.prescriber_type == NO_PRESCRIBER else filters.prescriber_type
    sql = template.format(facts=JourneyFact._meta.db_table, org_filter=org_filter, file_filter=" AND ".join(conditions))
    return sql, params
