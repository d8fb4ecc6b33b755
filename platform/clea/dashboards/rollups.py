"""Keeping the rollups in step with the facts: per file after each publication, or rebuilt in bulk.

:func:`refresh_file` recomputes one file's contribution from all its facts, under a lock on its
``RolledFile`` row, and applies the difference with what it added before: facts may arrive twice, late or
out of order (two workers), the rollups end up the same. :func:`rebuild_all` recomputes everything from the
facts in one pass (recovery, benchmark).
"""

from __future__ import annotations

import io
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from clea.dashboards.contributions import FactRow, FileContribution, Item, contribution
from clea.dashboards.models import Dimension, RolledFile, Rollup
from clea.facts.models import JourneyFact

NO_PRESCRIBER = "none"  # the prescriber slice of files without a prescriber (R1: a referral is optional)
SliceKey = tuple[str, str, str, str, str]  # (dimension, member, "YYYY-MM", metric, key)

FACT_COLUMNS = ("decision_id", "kind", "to_state", "at", "region", "prescriber_type", "branches", "detail")


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# The dimensions a dashboard filters on, in the order a slice's name and member are written in.
FILTER_DIMENSIONS: tuple[str, ...] = (
    Dimension.REGION.value,
    Dimension.BRANCH.value,
    Dimension.PRESCRIBER.value,
    Dimension.ORGANISATION.value,
)
MEMBER_SEPARATOR = "|"  # between the members of a combined slice: codes and slugs never hold it


def slice_key(given: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The slice of a set of filters ``(dimension, member)``, given in ``FILTER_DIMENSIONS`` order.

    No filter is the national slice; one filter keeps its dimension's name (``region``, ``76``); several
    are joined: ``region+prescriber``, ``76|france_travail``.
    """
    if not given:
        return Dimension.NATIONAL.value, ""
    return "+".join(d for d, _ in given), MEMBER_SEPARATOR.join(m for _, m in given)


def slices(organisation: str, region: str, branches: Iterable[str], prescriber_type: str) -> list[tuple[str, str]]:
    """Every slice a file counts in: one per combination of the filter dimensions (grouping sets).

    The country, its region, each of its branches, its prescriber type, its organisation, and every
    combination of them (16 combinations; a file of two branches counts once per branch in those that hold
    the branch). Any combination of filters then reads one slice: no fallback to the raw facts.
    """
    values: dict[str, list[str]] = {
        Dimension.REGION.value: [region],
        Dimension.BRANCH.value: sorted(set(branches)),
        Dimension.PRESCRIBER.value: [prescriber_type or NO_PRESCRIBER],
        Dimension.ORGANISATION.value: [organisation],
    }
    found: list[tuple[str, str]] = []
    for size in range(len(FILTER_DIMENSIONS) + 1):
        for dimensions in itertools.combinations(FILTER_DIMENSIONS, size):
            for members in itertools.product(*(values[d] for d in dimensions)):
                found.append(slice_key(list(zip(dimensions, members, strict=True))))
    return found


def expand(
    organisation: str, region: str, branches: Iterable[str], prescriber_type: str, items: Iterable[Sequence[str]]
) -> Counter[SliceKey]:
    counts: Counter[SliceKey] = Counter()
    members = slices(organisation, region, branches, prescriber_type)
    for month, metric, key in items:
        for dimension, member in members:
            counts[(dimension, member, month, metric, key)] += 1
    return counts


def _month_date(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def apply_delta(delta: Counter[SliceKey]) -> None:
    """Add ``delta`` to the rollups in one statement (rows in a fixed order: no deadlock between workers)."""
    rows = sorted((k, n) for k, n in delta.items() if n)
    if not rows:
        return
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for (dimension, member, month, metric, key), n in rows:
        params += [dimension, member, _month_date(month), metric, key, n]
    table = Rollup._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (dimension, member, month, metric, key, n) VALUES {values} "
            f"ON CONFLICT (dimension, member, month, metric, key) DO UPDATE SET n = {table}.n + EXCLUDED.n",
            params,
        )


def fact_rows(organisation: str, file_ref: str) -> list[FactRow]:
    rows = JourneyFact.objects.filter(organisation=organisation, file_ref=file_ref).values_list(*FACT_COLUMNS)
    return [FactRow(d, k, s, at, r, p, tuple(b), detail) for d, k, s, at, r, p, b, detail in rows]


def refresh_file(organisation: str, file_ref: str) -> bool:
    """Make the rollups count this file as its facts say now; ``True`` if anything changed."""
    with transaction.atomic():
        RolledFile.objects.bulk_create(
            [RolledFile(organisation=organisation, file_ref=file_ref, region="")], ignore_conflicts=True
        )
        rolled = RolledFile.objects.select_for_update().get(organisation=organisation, file_ref=file_ref)
        before = expand(organisation, rolled.region, rolled.branches, rolled.prescriber_type, rolled.items)
        now = contribution(fact_rows(organisation, file_ref), local_zone())
        if now is None:
            after: Counter[SliceKey] = Counter()
            rolled.region, rolled.branches, rolled.prescriber_type, rolled.items = "", [], "", []
        else:
            after = expand(organisation, now.region, now.branches, now.prescriber_type, now.items)
            rolled.region, rolled.branches = now.region, list(now.branches)
            rolled.prescriber_type, rolled.items = now.prescriber_type, [list(i) for i in now.items]
        delta = Counter(after)
        delta.subtract(before)
        if not any(delta.values()):
            return False
        apply_delta(delta)
        rolled.save()
        return True


def refresh_organisation(organisation: str) -> int:
    """Refresh every file of one organisation that has facts or was counted; returns the files changed."""
    refs = set(JourneyFact.objects.filter(organisation=organisation).values_list("file_ref", flat=True))
    refs |= set(RolledFile.objects.filter(organisation=organisation).values_list("file_ref", flat=True))
    return sum(refresh_file(organisation, ref) for ref in sorted(refs))


# --- bulk rebuild --------------------------------------------------------------------------------------


def _stream_files(batch: int = 20_000) -> Iterator[tuple[str, str, list[FactRow]]]:
    """Every file's facts, file by file, through a server-side cursor (constant memory)."""
    table = JourneyFact._meta.db_table
    raw = connection.connection
    assert raw is not None
    with raw.cursor(name="clea_dashboard_facts") as cursor:
        cursor.itersize = batch
        cursor.execute(
            f"SELECT organisation, file_ref, {', '.join(FACT_COLUMNS)} FROM {table} "
            "ORDER BY organisation, file_ref, at, decision_id"
        )
        current: tuple[str, str] | None = None
        facts: list[FactRow] = []
        for org, ref, d, k, s, at, r, p, b, detail in cursor:
            if (org, ref) != current:
                if current is not None:
                    yield current[0], current[1], facts
                current, facts = (org, ref), []
            detail = json.loads(detail) if isinstance(detail, str) else detail  # Django loads jsonb as text
            facts.append(FactRow(d, k, s, at, r, p, tuple(b or ()), detail or {}))
        if current is not None:
            yield current[0], current[1], facts


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def rebuild_all() -> dict[str, int]:
    """Recompute every rollup and file contribution from the facts, in one transaction."""
    tz = local_zone()
    totals: Counter[SliceKey] = Counter()
    files: list[tuple[str, str, FileContribution]] = []
    connection.ensure_connection()
    with transaction.atomic():
        for organisation, file_ref, facts in _stream_files():
            found = contribution(facts, tz)
            if found is None:
                continue
            files.append((organisation, file_ref, found))
            totals.update(expand(organisation, found.region, found.branches, found.prescriber_type, found.items))
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Rollup._meta.db_table}, {RolledFile._meta.db_table}")
        _copy(
            Rollup._meta.db_table,
            ("dimension", "member", "month", "metric", "key", "n"),
            ((d, m, _month_date(mo), me, k, n) for (d, m, mo, me, k), n in sorted(totals.items()) if n),
        )
        _copy(
            RolledFile._meta.db_table,
            ("organisation", "file_ref", "region", "branches", "prescriber_type", "items", "refreshed_at"),
            ((org, ref, c.region, list(c.branches), c.prescriber_type, _json(c.items), "now") for org, ref, c in files),
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Rollup._meta.db_table}")
    return {"files": len(files), "rollup_rows": sum(1 for n in totals.values() if n)}


def _json(items: Sequence[Item]) -> str:
    buffer = io.StringIO()
    json.dump([list(i) for i in items], buffer, separators=(",", ":"))
    return buffer.getvalue()
