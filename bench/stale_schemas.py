"""Finding stale tenant schemas: the PL/pgSQL loop ``upgrade_schemas`` uses vs the former SQL/XML query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/stale_schemas.py -n 1000

In a throw-away database (created, then dropped): ``-n`` schemas, each holding a ``django_migrations``
table with the project's migrations (one in ten lacks one migration). Both queries are run ``--rounds``
times over all schemas; their answers are checked equal. The former query (``query_to_xml``) is the
baseline; it only runs on a server built with libxml (the embedded pgserver is not: then it is reported
as unsupported and only the new query is timed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clea.settings.test")  # clea_tenants.upgrade reads settings

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from clea_tenants.upgrade import _STALE_FUNCTION, _STALE_SQL  # noqa: E402

XML_SQL = """
SELECT s, n.oid IS NOT NULL, c.oid IS NOT NULL,
       CASE WHEN c.oid IS NOT NULL THEN (xpath('/table/row/k/text()', query_to_xml(format(
           'SELECT k FROM unnest(%%L::text[]) k EXCEPT SELECT app || ''.'' || name FROM %%I.django_migrations',
           %s::text[], s), false, false, '')))::text[] END
  FROM unnest(%s::text[]) AS s
  LEFT JOIN pg_namespace n ON n.nspname = s
  LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'django_migrations' AND c.relkind = 'r'
"""


def project_migrations() -> list[str]:
    """Every migration key of the project's graph, as ``upgrade_schemas`` checks them."""
    import django

    django.setup()
    from clea_tenants.upgrade import MigrationTargets

    return MigrationTargets.from_disk().checked_keys()


def build(conn: psycopg.Connection, n: int, expected: list[str]) -> list[str]:
    schemas = [f"bench_stale_{i:05d}" for i in range(n)]
    rows = [tuple(key.split(".", 1)) for key in expected]
    with conn.cursor() as cur:
        for i, schema in enumerate(schemas):
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            cur.execute(
                sql.SQL(
                    "CREATE TABLE {}.django_migrations (id serial, app text, name text, applied timestamptz)"
                ).format(sql.Identifier(schema))
            )
            kept = rows[1:] if i % 10 == 0 else rows
            with cur.copy(
                sql.SQL("COPY {}.django_migrations (app, name) FROM STDIN").format(sql.Identifier(schema))
            ) as copy:
                for row in kept:
                    copy.write_row(row)
    conn.commit()
    return schemas


def timed(
    conn: psycopg.Connection, statements: list[str], params: list[object], rounds: int
) -> tuple[list[float], dict[str, Any]]:
    times = []
    answer: dict[str, Any] = {}
    for _ in range(rounds):
        start = time.perf_counter()
        with conn.cursor() as cur:
            for statement in statements[:-1]:
                cur.execute(statement)
            cur.execute(statements[-1], params)
            answer = {row[0]: (row[1], row[2], sorted(row[3] or [])) for row in cur.fetchall()}
        times.append(time.perf_counter() - start)
        conn.rollback()
    return times, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1000, help="schemas")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit(
            "bench/stale_schemas.py: set DATABASE_URL (a server where a throw-away database can be created)"
        )
    database = f"bench_stale_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        with psycopg.connect(psycopg.conninfo.make_conninfo(url, dbname=database)) as conn:
            expected = project_migrations()
            start = time.perf_counter()
            schemas = build(conn, args.n, expected)
            print(f"built {args.n} schemas x {len(expected)} migrations in {time.perf_counter() - start:.1f} s")
            load_before = os.getloadavg()[0]
            new_times, new_answer = timed(conn, [_STALE_FUNCTION, _STALE_SQL], [expected, schemas], args.rounds)
            stale = sum(1 for _, _, absent in new_answer.values() if absent)
            print(f"load (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}")
            print(
                f"PL/pgSQL loop (now):     median {statistics.median(new_times) * 1000:7.1f} ms, "
                f"max {max(new_times) * 1000:7.1f} ms  ({stale} stale of {len(new_answer)})"
            )
            try:
                xml_times, xml_answer = timed(conn, [XML_SQL], [expected, schemas], args.rounds)
            except psycopg.errors.FeatureNotSupported as exc:
                print(f"query_to_xml (baseline): unsupported on this server ({str(exc).splitlines()[0]})")
            else:
                if xml_answer != new_answer:
                    raise SystemExit("the two queries disagree")
                ratio = statistics.median(xml_times) / statistics.median(new_times)
                print(
                    f"query_to_xml (baseline): median {statistics.median(xml_times) * 1000:7.1f} ms, "
                    f"max {max(xml_times) * 1000:7.1f} ms  (same answer; now/baseline speed {ratio:.2f}x)"
                )
    finally:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
        admin.close()


if __name__ == "__main__":
    main()
