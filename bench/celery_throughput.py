"""Celery: throughput of a simple tenant task and send→done latency, with 1 and 2 worker processes,
beside the same function called in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/celery_throughput.py -n 400 -m 100

Works in a throw-away database (created and dropped) and on a Redis queue / key prefix of its own. The task is
``clea.tasks.diagnostics.probe``: the schema switch, one idempotency-ledger claim and one row written, in one
transaction: the smallest task with the shape of the real ones. The baseline runs the same body
(``run_once`` + ``record_probe``) in-process, in the tenant's schema.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # `bench.bench_settings` (appended: platform/ must not shadow the stdlib)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())


def measure_baseline(schema: str, n: int, m: int) -> tuple[float, list[float]]:
    from django_tenants.utils import schema_context

    from clea.tasks.diagnostics import record_probe
    from clea.tasks.ledger import run_once

    def once() -> None:
        token = str(uuid.uuid4())
        run_once(f"{schema}:probe:{token}", lambda: record_probe(token))

    with schema_context(schema):
        start = time.perf_counter()
        for _ in range(n):
            once()
        elapsed = time.perf_counter() - start
        latencies = []
        for _ in range(m):
            t0 = time.perf_counter()
            once()
            latencies.append(time.perf_counter() - t0)
    return n / elapsed, latencies


def measure_worker(schema: str, n: int, m: int) -> tuple[float, list[float]]:
    from django_tenants.utils import schema_context

    from clea.tasks.diagnostics import probe

    with schema_context(schema):
        for _ in range(20):  # warm-up: pool processes connected, tenant cached
            probe.delay(str(uuid.uuid4())).get(timeout=60)
        start = time.perf_counter()
        results = [probe.delay(str(uuid.uuid4())) for _ in range(n)]
        for result in results:
            result.get(timeout=300)
        elapsed = time.perf_counter() - start
        latencies = []
        for _ in range(m):
            t0 = time.perf_counter()
            probe.delay(str(uuid.uuid4())).get(timeout=60)
            latencies.append(time.perf_counter() - t0)
    return n / elapsed, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=400, help="tasks for the throughput run")
    parser.add_argument("-m", type=int, default=100, help="sequential tasks for the latency run")
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    run_id = f"bench-{os.getpid()}"
    name = f"clea_bench_celery_{os.getpid()}"
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "DATABASE_URL": _with_database(admin_url, name),
            # dev settings + a psycopg pool per process, as in production (bench/bench_settings.py)
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
            "CELERY_RESULT_BACKEND": os.environ.get("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0"),
            "CLEA_CELERY_QUEUE": run_id,  # a queue of its own
            "CLEA_LOG_LEVEL": "WARNING",
        }
    )
    workers = []
    try:
        import django

        django.setup()
        from django.core.management import call_command

        import clea.celery  # noqa: F401
        from clea.tasks.worker import start_worker
        from clea_tenants.provisioning import provision_organisation
        from clea_tenants.template import prepare_tenant_template

        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        prepare_tenant_template()
        organisation = provision_organisation(
            "Bench", "bench-celery", "73282932000074", "11", "c@b.example", "a@b.example", "bench-password-123"
        )
        schema = organisation.schema_name
        rows: list[tuple[str, float, list[float]]] = []
        throughput, latencies = measure_baseline(schema, args.n, args.m)
        rows.append(("in-process call (baseline)", throughput, latencies))
        for processes in (1, 2):
            log = Path(os.environ.get("TMPDIR", "/tmp")) / f"{run_id}-worker{processes}.log"
            worker = start_worker(name=f"bench{processes}", concurrency=processes, loglevel="warning", log_path=log)
            workers.append(worker)
            throughput, latencies = measure_worker(schema, args.n, args.m)
            label = f"Celery, Redis, {processes} worker process{'es' if processes > 1 else ''}"
            rows.append((label, throughput, latencies))
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        print(f"n = {args.n} tasks (throughput), m = {args.m} sequential tasks (latency)")
        print(f"{'mode':<40} {'tasks/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
        for label, rate, values in rows:
            print(
                f"{label:<40} {rate:>9.1f} {percentile(values, 0.5) * 1000:>8.2f} "
                f"{percentile(values, 0.95) * 1000:>8.2f} {statistics.mean(values) * 1000:>8.2f}"
            )
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
