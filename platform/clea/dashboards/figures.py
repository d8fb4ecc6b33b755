"""The national figures, in one place for the web pages, the API and the CSV export.

:func:`compute` reads the rollups when it can (any combination of region, branch, organisation and prescriber
type: the rollups hold every combination, see :func:`clea.dashboards.rollups.slices`; and a period in whole
months), otherwise (a period cut inside a month) it counts from the raw facts with the same rules
(:func:`counts_from_facts`; also the benchmark's baseline). The counting rules are those of
:mod:`clea.dashboards.contributions`.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import connection

from clea.certification.models.jury import JurySession, SessionStatus
from clea.dashboards import contributions as c
from clea.dashboards.accommodations import figures as accommodation_figures
from clea.dashboards.fact_filters import facts_query
from clea.dashboards.models import Dimension, Rollup
from clea.dashboards.rollups import FILTER_DIMENSIONS, slice_key
from clea.kernel.journey import FileState, WithdrawalReason

Counts = dict[str, Counter[str]]

FUNNEL_ORDER: tuple[FileState, ...] = (
    FileState.REFERRED,
    FileState.FILE_OPENED,
    FileState.EVALUATED,
    FileState.TRAINING,
    FileState.READY_FOR_JURY,
    FileState.SUBMITTED,
    FileState.CERTIFIED,
    FileState.REFUSED,
    FileState.WITHDRAWN,
    FileState.EXPIRED,
    FileState.TRANSFERRED,
)
DURATION_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 30, "moins d'1 mois"),
    (31, 91, "1 à 3 mois"),
    (92, 182, "3 à 6 mois"),
    (183, 365, "6 à 12 mois"),
    (366, 730, "1 à 2 ans"),
    (731, None, "plus de 2 ans"),
)
TOP_MISSING = 10
WITHDRAWAL_LABELS: dict[str, str] = {
    **{reason.value: reason.label_fr for reason in WithdrawalReason},
    c.UNSPECIFIED_REASON: "Motif non précisé",
}


@dataclass(frozen=True)
class Filters:
    period_start: date | None = None
    period_end: date | None = None
    region: str = ""
    branch: str = ""
    organisation: str = ""
    prescriber_type: str = ""  # a PrescriberType value, or "none" for files without a prescriber

    def slices(self) -> list[tuple[str, str]]:
        """The dimension filters given, ``(dimension, member)`` in the rollups' order."""
        given = {
            Dimension.REGION.value: self.region,
            Dimension.BRANCH.value: self.branch,
            Dimension.ORGANISATION.value: self.organisation,
            Dimension.PRESCRIBER.value: self.prescriber_type,
        }
        return [(dimension, given[dimension]) for dimension in FILTER_DIMENSIONS if given[dimension]]

    @property
    def whole_months(self) -> bool:
        start, end = self.period_start, self.period_end
        return (start is None or start.day == 1) and (
            end is None or end.day == calendar.monthrange(end.year, end.month)[1]
        )

    @property
    def rollup_ready(self) -> bool:
        return self.whole_months

    def as_dict(self) -> dict[str, str]:
        return {k: (v.isoformat() if isinstance(v, date) else v) or "" for k, v in asdict(self).items()}


# --- counting -----------------------------------------------------------------------------------------


def counts_from_rollups(filters: Filters) -> Counts:
    if not filters.rollup_ready:
        raise ValueError("the rollups answer whole months")
    dimension, member = slice_key(filters.slices())
    start = filters.period_start or date.min
    end = (filters.period_end or date.max).replace(day=1)
    counts: Counts = {metric: Counter() for metric in c.METRICS}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT metric, key, SUM(n) FROM {Rollup._meta.db_table} "
            "WHERE dimension = %s AND member = %s AND month BETWEEN %s AND %s "
            "GROUP BY metric, key HAVING SUM(n) <> 0",
            [dimension, member, start, end],
        )
        for metric, key, n in cursor.fetchall():
            counts.setdefault(metric, Counter())[key] += int(n)
    return counts


FACTS_SQL = """
WITH f AS MATERIALIZED (
    SELECT organisation, file_ref, decision_id, kind, to_state, at, (at AT TIME ZONE %(tz)s)::date AS day, detail,
           region, prescriber_type, branches,
           row_number() OVER (PARTITION BY organisation, file_ref ORDER BY at DESC, decision_id DESC) AS from_last,
           min((at AT TIME ZONE %(tz)s)::date) OVER (PARTITION BY organisation, file_ref) AS first_day,
           max((at AT TIME ZONE %(tz)s)::date) FILTER (WHERE kind = 'initial_evaluation') OVER (
               PARTITION BY organisation, file_ref ORDER BY at, decision_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS initial_before
    FROM {facts} {org_filter}
), files AS (
    SELECT organisation, file_ref, to_state AS state, first_day FROM f AS last
    WHERE from_last = 1 AND {file_filter}
), ff AS MATERIALIZED (
    SELECT f.* FROM f JOIN files USING (organisation, file_ref)
), steps AS (
    SELECT kind, day,
           lag(kind) OVER (PARTITION BY organisation, file_ref ORDER BY at, decision_id) AS previous_kind,
           lag(day) OVER (PARTITION BY organisation, file_ref ORDER BY at, decision_id) AS previous_day
    FROM ff WHERE kind IN ('training_path', 'final_evaluation')
)
SELECT 'stage', state, count(*) FROM files WHERE first_day BETWEEN %(start)s AND %(end)s GROUP BY state
UNION ALL
SELECT 'initial', CASE WHEN to_state = 'ready_for_jury' THEN 'straight' ELSE 'gaps' END, count(*)
FROM ff WHERE kind = 'initial_evaluation' AND day BETWEEN %(start)s AND %(end)s GROUP BY 2
UNION ALL
SELECT 'missing', code, count(*)
FROM ff CROSS JOIN LATERAL unnest(string_to_array(NULLIF(ff.detail->>'missing_subdomains', ''), ',')) AS code
WHERE kind = 'initial_evaluation' AND day BETWEEN %(start)s AND %(end)s GROUP BY 2
UNION ALL
SELECT 'jury', outcome, count(*) FROM (
    SELECT COALESCE(NULLIF(detail->>'outcome', ''), CASE to_state WHEN 'submitted' THEN 'adjourned' ELSE to_state END)
           AS outcome
    FROM ff WHERE kind = 'jury_decision' AND day BETWEEN %(start)s AND %(end)s
) AS j GROUP BY 2
UNION ALL
SELECT 'to_certificate', (day - initial_before)::text, count(*) FROM ff
WHERE kind = 'jury_decision' AND day BETWEEN %(start)s AND %(end)s AND initial_before IS NOT NULL
  AND COALESCE(NULLIF(detail->>'outcome', ''), to_state) = 'certified'
GROUP BY 2
UNION ALL
SELECT 'withdrawal', COALESCE(NULLIF(detail->>'reason_code', ''), 'unspecified'), count(*) FROM ff
WHERE kind = 'withdrawn' AND day BETWEEN %(start)s AND %(end)s GROUP BY 2
UNION ALL
SELECT 'training', (day - previous_day)::text, count(*) FROM steps
WHERE kind = 'final_evaluation' AND previous_kind = 'training_path' AND day BETWEEN %(start)s AND %(end)s
GROUP BY 2
"""


def counts_from_facts(filters: Filters) -> Counts:
    """The same counts as the rollups, from the raw facts (any combination of filters; slower)."""
    sql, params = facts_query(FACTS_SQL, filters)
    counts: Counts = {metric: Counter() for metric in c.METRICS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for metric, key, n in cursor.fetchall():
            counts[metric][key] += int(n)
    return counts


def juries_held(filters: Filters) -> int:
    """Jury sessions held in the period (public schema); region, branch and organisation narrow them down.

    A session counts for an organisation when it decided at least one of its files. The prescriber type does
    not apply to juries.
    """

    sessions = JurySession.objects.filter(status__in=[SessionStatus.HELD, SessionStatus.CLOSED])
    if filters.period_start:
        sessions = sessions.filter(held_at__date__gte=filters.period_start)
    if filters.period_end:
        sessions = sessions.filter(held_at__date__lte=filters.period_end)
    if filters.region:
        sessions = sessions.filter(jury__region=filters.region)
    if filters.branch:
        sessions = sessions.filter(jury__branch__code=filters.branch)
    if filters.organisation:
        sessions = sessions.filter(decisions__submission__organisation__slug=filters.organisation)
    return sessions.distinct().count()


# --- figures ------------------------------------------------------------------------------------------


def median_low(histogram: Mapping[str, int]) -> int | None:
    """The lower median of values given as ``{value: count}`` (as ``statistics.median_low``)."""
    values = sorted((int(k), n) for k, n in histogram.items() if n > 0)
    total = sum(n for _, n in values)
    if not total:
        return None
    target, seen = (total - 1) // 2, 0
    for value, n in values:
        seen += n
        if seen > target:
            return value
    raise AssertionError("unreachable")


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def distribution(histogram: Mapping[str, int]) -> list[dict[str, Any]]:
    rows = []
    for low, high, label in DURATION_BUCKETS:
        n = sum(v for k, v in histogram.items() if int(k) >= low and (high is None or int(k) <= high))
        rows.append({"label": label, "min_days": low, "max_days": high, "count": n})
    return rows


def figures_from_counts(counts: Counts, filters: Filters, source: str, juries: int) -> dict[str, Any]:
    stage, initial, jury = counts[c.STAGE], counts[c.INITIAL], counts[c.JURY]
    initial_total = initial[c.STRAIGHT] + initial[c.GAPS]
    decided = jury["certified"] + jury["refused"]
    missing = sorted(counts[c.MISSING].items(), key=lambda kv: (-kv[1], _code_order(kv[0])))
    return {
        "filters": filters.as_dict(),
        "source": source,
        "files": sum(stage.values()),
        "funnel": [{"state": s.value, "label": s.label_fr, "count": stage[s.value]} for s in FUNNEL_ORDER],
        "initial_evaluations": initial_total,
        "straight_to_jury": initial[c.STRAIGHT],
        "straight_to_jury_rate": rate(initial[c.STRAIGHT], initial_total),
        "jury_decisions": {"certified": jury["certified"], "refused": jury["refused"], "adjourned": jury["adjourned"]},
        "files_decided": decided,
        "certification_rate": rate(jury["certified"], decided),
        "juries_held": juries,
        "time_to_certificate": {
            "count": sum(counts[c.TO_CERTIFICATE].values()),
            "median_days": median_low(counts[c.TO_CERTIFICATE]),
        },
        "missing_subdomains": [
            {"code": code, "count": n, "share": rate(n, initial_total)} for code, n in missing[:TOP_MISSING]
        ],
        "withdrawals": {
            "count": sum(counts[c.WITHDRAWAL].values()),
            "by_reason": [
                {"reason": code, "label": WITHDRAWAL_LABELS[code], "count": counts[c.WITHDRAWAL][code]}
                for code in WITHDRAWAL_LABELS
            ],
        },
        "training": {
            "count": sum(counts[c.TRAINING].values()),
            "median_days": median_low(counts[c.TRAINING]),
            "distribution": distribution(counts[c.TRAINING]),
        },
    }


def _code_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


def compute(filters: Filters, source: str = "auto") -> dict[str, Any]:
    """The figures for ``filters``; ``source`` ``"rollups"``, ``"facts"`` or ``"auto"`` (rollups when possible)."""
    use_rollups = source == "rollups" or (source == "auto" and filters.rollup_ready)
    counts = counts_from_rollups(filters) if use_rollups else counts_from_facts(filters)
    result = figures_from_counts(counts, filters, "rollups" if use_rollups else "facts", juries_held(filters))
    result["accommodations"] = accommodation_figures(filters)  # issue 13 §3: files per kind, from the facts
    return result
