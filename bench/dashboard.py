"""National dashboards at national scale: rollups vs raw facts, organisation view, event → dashboard latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dashboard.py [--orgs 500]
        [--candidates 1000] [--calls 60] [--baseline-calls 3] [--keep]

In a throw-away database (created, then dropped unless --keep): facts for ``orgs`` × ``candidates`` journeys
generated in SQL (``generate_series``), the rollups built from them (``rebuild_all``), then

- the federation API ``GET /api/federation/dashboard/`` (in-process Django client, middleware and DRF included)
  with no filter and with each filter alone (period of 12 whole months, region, branch, organisation,
  prescriber type; a random value per call), p50 / p95 over ``calls`` calls;
- the same figures from the raw facts without rollups (``figures.compute(..., source="facts")``, the baseline);
- every combination of the filters the page and the API offer (16 subsets of region, branch, prescriber
  type and organisation, each without and with a 12-month period: 32 combinations), ``--combination-calls``
  calls each with coherent random members (an organisation, its region, one of its branches: what a user
  drilling down asks), against the raw facts for the same combination (what combinations cost before
  the rollups held them: ``--baseline-calls`` per combination of two or more filters);
- an organisation's view ``GET /api/dashboard/`` (its figures and the national ones) for a provisioned tenant;
- the latency from a transition's commit to the organisation's figure changing, through a real worker (Redis).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

SLUG = "bench-org"
REGIONS = ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
BRANCHES = ["btp", "proprete", "commerce", "industrie", "sanitaire"]
PRESCRIBERS = ["employer", "opco", "region", "france_travail", "cep", "branch", "other", "none"]

GENERATE_SQL = """
CREATE TEMP TABLE bench_orgs AS
SELECT i, CASE WHEN i = 0 THEN %(slug)s ELSE 'org-' || lpad(i::text, 3, '0') END AS slug,
       (%(regions)s::text[])[1 + i %% 18] AS region,
       CASE WHEN i %% 3 = 0 THEN ARRAY[(%(branches)s::text[])[1 + i %% 5], (%(branches)s::text[])[1 + (i + 2) %% 5]]
            ELSE ARRAY[(%(branches)s::text[])[1 + i %% 5]] END AS branches
FROM generate_series(0, %(orgs)s - 1) AS i;

CREATE TEMP TABLE bench_cand AS
SELECT c, (c - 1) / %(candidates)s AS o, r_depth, r_depth < 0.08 OR r_straight < 0.3 AS straight,
       (ARRAY['employer','opco','region','france_travail','cep','branch','other',''])[1 + floor(random() * 8)::int]
           AS pt,
       CASE WHEN r_outcome < 0.85 THEN 'certified' WHEN r_outcome < 0.95 THEN 'refused' ELSE 'adjourned' END
           AS outcome,
       t0, t0 + d1 AS t1, t0 + d1 + d2 AS t2, t0 + d1 + d2 + d3 AS t3, t0 + d1 + d2 + d3 + d4 AS t4,
       CASE WHEN r_straight < 0.3 THEN t0 + d1 + d2 + d5 ELSE t0 + d1 + d2 + d3 + d4 + d5 END AS t5, d6,
       array_to_string(ARRAY(SELECT DISTINCT (1 + (m %% 7))::text || '.' || (1 + (m / 7) %% 4)::text
                             FROM unnest(ARRAY[m1, m2, m3]) AS m), ',') AS codes
FROM (
    SELECT c, random() AS r_depth, random() AS r_straight, random() AS r_outcome,
           timestamptz '2023-01-02 09:00+00' + floor(random() * 900) * interval '1 day' AS t0,
           (1 + floor(random() * 7)) * interval '1 day' AS d1, (7 + floor(random() * 25)) * interval '1 day' AS d2,
           (3 + floor(random() * 20)) * interval '1 day' AS d3, (30 + floor(random() * 370)) * interval '1 day' AS d4,
           (5 + floor(random() * 55)) * interval '1 day' AS d5, (10 + floor(random() * 80)) * interval '1 day' AS d6,
           floor(random() * 28)::int AS m1, floor(random() * 28)::int AS m2, floor(random() * 28)::int AS m3
    FROM generate_series(1, %(orgs)s * %(candidates)s) AS c
) AS raw;

INSERT INTO facts_journeyfact (organisation, candidate, file_ref, decision_id, kind, from_state, to_state, at,
                               region, prescriber_type, branches, referential_id, detail, published_at)
SELECT o.slug, md5(c.c::text)::uuid, c.c::text, c.c * 10 + s.n, s.kind, s.from_state, s.to_state, s.at,
       o.region, c.pt, o.branches, 'CLEA@bench', s.detail, now()
FROM bench_cand AS c JOIN bench_orgs AS o ON o.i = c.o
CROSS JOIN LATERAL (VALUES
    (1, 'welcomed', '', 'referred', c.t0, '{}'::jsonb, true),
    (2, 'file_opened', 'referred', 'file_opened', c.t1, '{}'::jsonb, c.r_depth >= 0.04),
    (3, 'initial_evaluation', 'file_opened', CASE WHEN c.straight THEN 'ready_for_jury' ELSE 'evaluated' END, c.t2,
        jsonb_build_object('missing_subdomains', CASE WHEN c.straight THEN '' ELSE c.codes END), c.r_depth >= 0.08),
    (4, 'training_path', 'evaluated', 'training', c.t3, '{}'::jsonb, NOT c.straight AND c.r_depth >= 0.12),
    (5, 'withdrawn', 'evaluated', 'withdrawn', c.t3, '{}'::jsonb,
        NOT c.straight AND c.r_depth >= 0.10 AND c.r_depth < 0.12),
    (6, 'final_evaluation', 'training', 'ready_for_jury', c.t4, '{}'::jsonb, NOT c.straight AND c.r_depth >= 0.25),
    (7, 'submitted', 'ready_for_jury', 'submitted', c.t5, '{}'::jsonb,
        (c.straight AND c.r_depth >= 0.15) OR (NOT c.straight AND c.r_depth >= 0.30)),
    (8, 'jury_decision', 'submitted',
        CASE c.outcome WHEN 'adjourned' THEN 'submitted' ELSE c.outcome END, c.t5 + c.d6,
        jsonb_build_object('outcome', c.outcome),
        (c.straight AND c.r_depth >= 0.22) OR (NOT c.straight AND c.r_depth >= 0.36))
) AS s(n, kind, from_state, to_state, at, detail, present)
WHERE s.present;
ANALYZE facts_journeyfact;
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def timed(call: Callable[[], Any], n: int) -> tuple[float, float, float]:
    """p50, p95 and max in milliseconds over ``n`` calls."""
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), max(samples)


def filter_makers(rng: random.Random, orgs: int) -> dict[str, Callable[[], dict[str, str]]]:
    def period() -> dict[str, str]:
        year, month = rng.choice([(2023, m) for m in range(1, 13)] + [(2024, m) for m in range(1, 7)])
        end_year, end_month = (year + 1, month - 1) if month > 1 else (year, 12)
        import calendar

        last = calendar.monthrange(end_year, end_month)[1]
        return {"period_start": f"{year}-{month:02d}-01", "period_end": f"{end_year}-{end_month:02d}-{last:02d}"}

    return {
        "none (national)": lambda: {},
        "period (12 months)": period,
        "region": lambda: {"region": rng.choice(REGIONS)},
        "branch": lambda: {"branch": rng.choice(BRANCHES)},
        "organisation": lambda: {"organisation": SLUG if rng.random() < 0.1 else f"org-{rng.randrange(1, orgs):03d}"},
        "prescriber type": lambda: {"prescriber_type": rng.choice(PRESCRIBERS)},
    }


FILTER_NAMES = ("region", "branch", "prescriber_type", "organisation")


def combination_makers(
    rng: random.Random, orgs: int
) -> dict[tuple[tuple[str, ...], bool], Callable[[], dict[str, str]]]:
    """Every subset of the four filters, without and with a 12-month period; coherent random members."""
    import itertools

    period = filter_makers(rng, orgs)["period (12 months)"]

    def members() -> dict[str, str]:
        i = rng.randrange(1, orgs)  # org-<i>: region REGIONS[i % 18], branches as GENERATE_SQL gives them
        branches = [BRANCHES[i % 5]] + ([BRANCHES[(i + 2) % 5]] if i % 3 == 0 else [])
        return {
            "region": REGIONS[i % 18],
            "branch": rng.choice(branches),
            "prescriber_type": rng.choice(PRESCRIBERS),
            "organisation": f"org-{i:03d}",
        }

    makers: dict[tuple[tuple[str, ...], bool], Callable[[], dict[str, str]]] = {}
    for size in range(len(FILTER_NAMES) + 1):
        for names in itertools.combinations(FILTER_NAMES, size):
            for with_period in (False, True):

                def make(names: tuple[str, ...] = names, with_period: bool = with_period) -> dict[str, str]:
                    chosen = members()
                    given = {name: chosen[name] for name in names}
                    return {**given, **(period() if with_period else {})}

                makers[(names, with_period)] = make
    return makers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--baseline-calls", type=int, default=3)
    parser.add_argument("--latency-runs", type=int, default=10)
    parser.add_argument("--combination-calls", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    admin_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    run_id = f"bench-dash-{uuid.uuid4().hex[:8]}"
    db_name = run_id.replace("-", "_")
    _admin(admin_url, f"CREATE DATABASE {db_name}")
    os.environ.update(
        {
            "DATABASE_URL": _with_database(admin_url, db_name),
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "CLEA_CELERY_QUEUE": run_id,
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
            "CELERY_RESULT_BACKEND": os.environ.get("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0"),
        }
    )
    worker = None
    try:
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django_tenants.utils import schema_context, tenant_context
        from rest_framework.authtoken.models import Token

        from clea.dashboards import figures
        from clea.dashboards.figures import Filters
        from clea.dashboards.rollups import rebuild_all
        from clea.journey import services
        from clea.journey.models import Candidate
        from clea.kernel.journey import Consent
        from clea.kernel.mastery import EvaluationKind
        from clea.referentials.registry import default_referential
        from clea_tenants.accreditations import ensure_accredited
        from clea_tenants.demo import migrate_everything
        from clea_tenants.provisioning import provision_organisation

        started = time.monotonic()
        migrate_everything()
        org = provision_organisation(
            name="Bench", slug=SLUG, siret="13000123400017", region="84", contact_email="b@bench.example",
            admin_email="admin@bench.example", admin_password="bench-password-123",
        )  # fmt: skip
        ensure_accredited(org, ("btp",))
        print(f"schemas ready in {time.monotonic() - started:.0f} s")

        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(
                GENERATE_SQL,
                {"slug": SLUG, "regions": REGIONS, "branches": BRANCHES, "orgs": args.orgs,
                 "candidates": args.candidates},
            )  # fmt: skip
            cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('facts_journeyfact')) "
                           "FROM facts_journeyfact")  # fmt: skip
            n_facts, facts_size = cursor.fetchone()
        generated = time.monotonic() - started
        print(f"facts: {n_facts:,} for {args.orgs * args.candidates:,} files ({facts_size}), "
              f"generated in {generated:.0f} s")  # fmt: skip

        started = time.monotonic()
        built = rebuild_all()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dashboards_rollup')), "
                           "pg_size_pretty(pg_total_relation_size('dashboards_rolledfile'))")  # fmt: skip
            rollup_size, rolled_size = cursor.fetchone()
        print(f"rollups: {built['rollup_rows']:,} rows ({rollup_size}), {built['files']:,} files ({rolled_size}), "
              f"built in {time.monotonic() - started:.0f} s")  # fmt: skip

        from django.contrib.auth import get_user_model

        with schema_context("public"):
            analyst = get_user_model().objects.create_user("analyst@bench.example", password="x", role="analyst")
        federation = Client(HTTP_HOST="localhost")
        federation.force_login(analyst)
        with schema_context(org.schema_name):
            admin = get_user_model().objects.get(username="admin@bench.example")
            token = Token.objects.get_or_create(user=admin)[0].key
        tenant = Client(HTTP_HOST="localhost", HTTP_X_CLEA_TENANT=SLUG, HTTP_AUTHORIZATION=f"Token {token}")

        rng = random.Random(42)
        makers = filter_makers(rng, args.orgs)
        rows: list[tuple[str, tuple[float, float, float], tuple[float, float, float]]] = []
        for label, make in makers.items():

            def api_call(make: Callable[[], dict[str, str]] = make) -> None:
                response = federation.get("/api/federation/dashboard/", make())
                assert response.status_code == 200, response.content[:300]

            def facts_call(make: Callable[[], dict[str, str]] = make) -> None:
                given = make()
                filters = Filters(
                    period_start=date.fromisoformat(given["period_start"]) if "period_start" in given else None,
                    period_end=date.fromisoformat(given["period_end"]) if "period_end" in given else None,
                    **{k: v for k, v in given.items() if not k.startswith("period")},
                )
                figures.compute(filters, source="facts")

            api_call()  # warm-up
            rows.append((label, timed(api_call, args.calls), timed(facts_call, args.baseline_calls)))
            print(f"  {label:22} rollups p50 {rows[-1][1][0]:7.1f} p95 {rows[-1][1][1]:7.1f} ms | "
                  f"raw facts p50 {rows[-1][2][0]:9.1f} max {rows[-1][2][2]:9.1f} ms")  # fmt: skip

        # --- every combination of filters ----------------------------------------------------------
        def as_filters(given: dict[str, str]) -> Filters:
            return Filters(
                period_start=date.fromisoformat(given["period_start"]) if "period_start" in given else None,
                period_end=date.fromisoformat(given["period_end"]) if "period_end" in given else None,
                **{k: v for k, v in given.items() if not k.startswith("period")},
            )

        all_samples: list[float] = []
        worst: tuple[float, str] = (0.0, "")
        baseline_samples: list[float] = []
        print(f"  every combination ({args.combination_calls} calls each; raw facts for 2+ filters):")
        for (names, with_period), make in combination_makers(rng, args.orgs).items():
            label = "+".join(names) or "no filter"
            label += " + period" if with_period else ""
            samples = []
            for _ in range(args.combination_calls):
                given = make()
                started = time.perf_counter()
                response = federation.get("/api/federation/dashboard/", given)
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and response.json()["source"] == "rollups", response.content[:300]
            all_samples += samples
            p95 = percentile(samples, 0.95)
            worst = max(worst, (p95, label))
            line = f"    {label:52} p50 {statistics.median(samples):7.1f} p95 {p95:7.1f} ms"
            if len(names) >= 2 and args.baseline_calls:
                facts_ms = []
                for _ in range(args.baseline_calls):
                    filters = as_filters(make())
                    started = time.perf_counter()
                    figures.compute(filters, source="facts")
                    facts_ms.append((time.perf_counter() - started) * 1000)
                baseline_samples += facts_ms
                line += f" | raw facts p50 {statistics.median(facts_ms):9.1f} ms"
            print(line)
        print(f"  all {len(all_samples)} combination calls: p50 {statistics.median(all_samples):.1f} ms, "
              f"p95 {percentile(all_samples, 0.95):.1f} ms, max {max(all_samples):.1f} ms; "
              f"worst combination p95 {worst[0]:.1f} ms ({worst[1]})")  # fmt: skip
        if baseline_samples:
            print(f"  raw facts for combinations of 2+ filters (the former fallback): "
                  f"p50 {statistics.median(baseline_samples):.0f} ms, max {max(baseline_samples):.0f} ms "
                  f"over {len(baseline_samples)} calls")  # fmt: skip
        print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

        def org_view() -> None:
            response = tenant.get("/api/dashboard/")
            assert response.status_code == 200, response.content[:300]

        org_view()
        org_timing = timed(org_view, args.calls)

        def org_view_facts() -> None:
            figures.compute(Filters(organisation=SLUG), source="facts")
            figures.compute(Filters(), source="facts")

        org_facts = timed(org_view_facts, max(1, args.baseline_calls))
        print(f"  organisation view      rollups p50 {org_timing[0]:7.1f} p95 {org_timing[1]:7.1f} ms | "
              f"raw facts p50 {org_facts[0]:9.1f} max {org_facts[2]:9.1f} ms")  # fmt: skip

        # --- event → dashboard through a real worker ------------------------------------------------
        from clea.tasks.worker import start_worker

        connection.close()
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"{run_id}-worker.log"
        worker = start_worker(name="benchdash", concurrency=2, loglevel="warning", log_path=log)
        from clea.tasks.diagnostics import probe

        with schema_context(org.schema_name):
            probe.delay(f"ready-{uuid.uuid4()}").get(timeout=120)
        referential = default_referential()
        results = [services.ResultInput(c, True) for c in sorted(referential.criterion_codes)]
        own = Filters(organisation=SLUG)
        latencies: list[float] = []
        with tenant_context(org):
            for i in range(args.latency_runs):
                candidate = Candidate.objects.create(first_name="Bench", last_name=f"Latency{i}")
                loaded = services.do_refer(candidate, admin, None)
                file_id = loaded.record.pk
                services.do_open_file(file_id, None, Consent("bench", date.today()), admin)
                before = figures.compute(own)["initial_evaluations"]
                services.do_record_evaluation(
                    file_id, None, EvaluationKind.INITIAL, admin, [date.today()], results, admin, "btp"
                )
                committed = time.perf_counter()
                deadline = committed + 60
                while figures.compute(own)["initial_evaluations"] == before:
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"no change within 60 s (worker log: {log})")
                    time.sleep(0.02)
                latencies.append((time.perf_counter() - committed) * 1000)
        print(f"  event → dashboard      p50 {statistics.median(latencies):7.0f} ms, max {max(latencies):7.0f} ms "
              f"over {len(latencies)} transitions (real worker, 2 processes, Redis)")  # fmt: skip
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(admin_url, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")


if __name__ == "__main__":
    main()
