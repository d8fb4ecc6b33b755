"""Throughput with and without PgBouncer (transaction pooling), same gunicorn, same tenants, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pooler_throughput.py

Works in a throw-away database (created, then dropped at exit). Two gunicorn servers (2 workers × 8 threads
each) run side by side on the same code:

  direct   the default settings: django-tenants' backend, a session ``SET search_path``, psycopg pool
           (8 per worker) straight to PostgreSQL;
  pooled   ``CLEA_DB_POOL_MODE=transaction`` through a PgBouncer in transaction mode with 10 server
           connections: ``SET LOCAL search_path`` per transaction, one transaction per request.

Clients (threads with keep-alive connections) spread over the tenants' hosts, at 16 and 64 concurrent
clients, the two servers taking turns (direct, pooled, then pooled, direct) so that both see the same load.
Scenarios: ``bare`` (a bare Django JSON view behind the whole middleware: routing, the request's
transaction) and ``list`` (``GET /api/candidates/``, token-authenticated). Every ``list`` response is
checked: a row of another tenant is counted and reported (it must be 0).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT / "tenants"), str(ROOT / "plugins")]
sys.path.append(str(ROOT))

from bench.throwaway import LoadSampler, create_throwaway_database, loadavg  # noqa: E402

BASE_URL = os.environ["DATABASE_URL"]
os.environ["DATABASE_URL"] = create_throwaway_database(BASE_URL, "clea_bench_pooler")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
os.environ["CLEA_DB_POOL_MODE"] = "session"  # this process and the direct server; the pooled one says otherwise

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

PORTS = {"direct": 8771, "pooled": 8772}
POOL_SIZE = 10


def prepare(tenants: int, candidates: int) -> list[tuple[str, str]]:
    """``tenants`` organisations with ``candidates`` candidates named after them; (slug, token) each."""
    from django.contrib.auth import get_user_model

    from clea.journey.models import Candidate
    from clea_tenants.demo import migrate_everything
    from clea_tenants.provisioning import provision_organisation

    migrate_everything()
    made = []
    for index in range(tenants):
        slug = f"bench-pool-{index:02d}"
        siret = _luhn(f"7{index:03d}000000001")
        org = provision_organisation(
            name=f"Bench {index}",
            slug=slug,
            siret=siret,
            region="84",
            contact_email=f"c@{slug}.example",
            admin_email=f"admin@{slug}.example",
            admin_password="bench-password-123",
        )
        with schema_context(org.schema_name):
            Candidate.objects.bulk_create(Candidate(first_name=f"C{n}", last_name=slug) for n in range(candidates))
            user = get_user_model().objects.get(username=f"admin@{slug}.example")
            made.append((slug, Token.objects.get_or_create(user=user)[0].key))
    connection.close()
    return made


def _luhn(prefix13: str) -> str:
    for key in "0123456789":
        digits = prefix13 + key
        total = sum(
            (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2) if i % 2 else int(c)
            for i, c in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def start_server(name: str, database_url: str, pool_mode: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CLEA_DB_POOL_MODE": pool_mode,
        "PYTHONPATH": os.pathsep.join([str(ROOT / p) for p in ("platform", "tenants", "plugins")] + [str(ROOT)]),
    }
    port = PORTS[name]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clea.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz/live")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn ({name}) did not start")


_local = threading.local()


class Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.foreign = 0
        self.own = 0


def timed(port: int, path: str, headers: dict[str, str], slug: str | None, counts: Counts) -> float:
    if getattr(_local, "port", None) != port:
        _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        _local.port = port
    start = time.perf_counter()
    conn: http.client.HTTPConnection = _local.conn
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    if response.status >= 300:
        raise RuntimeError(f"GET {path} -> {response.status}: {body[:200]!r}")
    if slug is not None:
        names = [row["last_name"] for row in json.loads(body)["results"]]
        with counts.lock:
            counts.own += sum(1 for n in names if n == slug)
            counts.foreign += sum(1 for n in names if n != slug)
    return elapsed


def run(concurrency: int, count: int, call: Callable[[int], float]) -> tuple[float, float, float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(call, range(count)))
    wall = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=100)
    return quantiles[49] * 1000, quantiles[94] * 1000, count / wall


def main() -> None:
    from tests.fixtures.pgbouncer import pgbouncer_binary, run_pgbouncer

    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per scenario, server and round")
    args = parser.parse_args()
    if pgbouncer_binary() is None:
        raise SystemExit("pgbouncer is not installed (scripts/system-deps.sh test)")
    print(f"load average before: {loadavg()}")
    tenants = prepare(args.tenants, args.candidates)
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    base = settings.CLEA_BASE_DOMAIN
    counts = Counts()
    with run_pgbouncer(db, pool_size=POOL_SIZE, max_client_conn=200) as bouncer_port:
        user = db.get("USER") or "postgres"
        pooled_url = f"postgres://{user}@127.0.0.1:{bouncer_port}/{db['NAME']}"
        servers = {
            "direct": start_server("direct", os.environ["DATABASE_URL"], "session"),
            "pooled": start_server("pooled", pooled_url, "transaction"),
        }
        rows: dict[tuple[str, str, int], list[tuple[float, float, float]]] = {}
        try:

            def call(name: str, scenario: str) -> Callable[[int], float]:
                def one(i: int) -> float:
                    slug, token = tenants[i % len(tenants)]
                    headers = {"Host": f"{slug}.{base}", "Authorization": f"Token {token}"}
                    if scenario == "bare":
                        return timed(PORTS[name], "/bench/bare/", headers, None, counts)
                    return timed(PORTS[name], "/api/candidates/", headers, slug, counts)

                return one

            for name in servers:  # warm every worker of both servers
                run(8, 64, call(name, "list"))
            with LoadSampler() as load:
                for concurrency in (16, 64):
                    for round_ in range(2):  # the servers take turns, first one then the other first
                        for name in ("direct", "pooled") if round_ == 0 else ("pooled", "direct"):
                            for scenario in ("bare", "list"):
                                rows.setdefault((scenario, name, concurrency), []).append(
                                    run(concurrency, args.requests, call(name, scenario))
                                )
        finally:
            for server in servers.values():
                server.terminate()
            for server in servers.values():
                server.wait(10)
    print(
        f"{args.tenants} tenants x {args.candidates} candidates; gunicorn 2 workers x 8 threads per server; "
        f"PgBouncer {POOL_SIZE} server connections, transaction mode; {args.requests} requests per cell and round, "
        "median of 2 rounds"
    )
    print(load.summary())
    print(f"{'scenario':<8} {'clients':>7} {'server':<7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'÷ direct':>9}")
    for concurrency in (16, 64):
        for scenario in ("bare", "list"):
            direct_rps = statistics.median(r[2] for r in rows[(scenario, "direct", concurrency)])
            for name in ("direct", "pooled"):
                cells = rows[(scenario, name, concurrency)]
                p50 = statistics.median(c[0] for c in cells)
                p95 = statistics.median(c[1] for c in cells)
                rps = statistics.median(c[2] for c in cells)
                print(
                    f"{scenario:<8} {concurrency:>7} {name:<7} {p50:>8.1f} {p95:>8.1f} {rps:>8.1f} "
                    f"{rps / direct_rps:>9.2f}"
                )
    print(f"list responses: {counts.own} own rows, {counts.foreign} rows of another tenant")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
