"""Accommodations in the national figures (issue 13 §3), pseudonymised.

Each journey fact carries the kinds of accommodation recorded on its file when it was published
(``detail.accommodations``: codes only, see :func:`clea.facts.publication.accommodation_kinds`). A file counts
once per kind, from its latest fact, in the same cohort as the funnel (files whose first fact falls in the
period, narrowed by the latest fact's region, branches and prescriber type, and by organisation).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db import connection

from clea.dashboards.fact_filters import facts_query
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
    sql, params = facts_query(SQL, filters)
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
