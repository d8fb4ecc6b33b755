"""Accommodations in the national figures (issue 13 §3), pseudonymised.

Each journey fact carries the kinds of accommodation recorded on its file when it was published
(``detail.accommodations``: codes only, see :func:`clea.facts.publication.accommodation_kinds`). A file counts
once per kind, from its latest fact, in the same cohort as the funnel (files whose first fact falls in the
period, narrowed by the latest fact's region, branches and prescriber type, and by organisation).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection

from clea.dashboards.rollups import NO_PRESCRIBER
from clea.facts.models import JourneyFact
from clea.kernel.accommodations import AccommodationKind

if TYPE_CHECKING:
    from clea.dashboards.figures import Filters

SQL = """
WITH f AS (
    SELECT organisation, file_ref, detail, region, prescriber_type, branches,
           row_number() OVER (PARTITION BY organisation, file_ref ORDER BY at DESC, decision_id DESC) AS from_last,
           min((at AT TIME ZONE %(tz)s)::date) OVER (PARTITION BY organisation, file_ref) AS first_day
    FROM {facts} {org_filter}
)
SELECT kind, count(*) FROM f AS last
CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(last.detail->'accommodations', '[]'::jsonb)) AS kind
WHERE from_last = 1 AND first_day BETWEEN %(start)s AND %(end)s AND {file_filter}
GROUP BY kind
"""


def counts(filters: Filters) -> Counter[str]:
    """Files per kind of accommodation for ``filters`` (kinds as codes)."""
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
    sql = SQL.format(facts=JourneyFact._meta.db_table, org_filter=org_filter, file_filter=" AND ".join(conditions))
    found: Counter[str] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, n in cursor.fetchall():
            found[str(kind)] += int(n)
    return found


def figures(filters: Filters) -> list[dict[str, Any]]:
    """Every kind of the list, in its order, with its French label and the number of files (zeros included)."""
    found = counts(filters)
    return [{"kind": k.value, "label": k.label_fr, "count": found[k.value]} for k in AccommodationKind]
