"""Where the time of one whole-file read goes (issue 19 §1: "profile first"), in-process, no HTTP server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/profile_file_read.py

In a throw-away database (dropped at exit): the fully evaluated file of ``bench/api_latency.py``
(107 criteria), then ``GET /api/files/<id>/`` through Django's test client (every middleware, token
authentication, DRF, the access record) and the bare view of the same run as the floor:

- the SQL statements of one read, with their times;
- wall time per call (median of ``--calls``) of the read and of the bare view;
- cProfile of ``--calls`` reads: the functions by cumulative time (project code and the main libraries),
  and the share of the main stages (middleware before the view, authentication, the load, the
  presenter, JSON rendering).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT / "tenants"), str(ROOT / "plugins")]
sys.path.append(str(ROOT))

from bench.throwaway import create_throwaway_database, loadavg  # noqa: E402

STAGES = {
    "middleware + routing (whole request)": "django/core/handlers/base.py:*(_get_response)",
    "token authentication": "rest_framework/authentication.py:*(authenticate_credentials)",
    "permission check": "rest_framework/views.py:*(check_permissions)",
    "services.load (queries + kernel objects)": "clea/journey/services.py:*(load)",
    "present_file (to dicts)": "clea/journey/presenters.py:*(present_file)",
    "access record (audit)": "*(record_file_access)",
    "JSON rendering": "rest_framework/renderers.py:*(render)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60)
    args = parser.parse_args()
    print(f"load average before: {loadavg()}")
    os.environ["DATABASE_URL"] = create_throwaway_database(os.environ["DATABASE_URL"], "clea_bench_profile")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import bench.api_latency as api_latency  # sets Django up on the throw-away database

    token, read_id, _ = api_latency.prepare(0)
    client = Client(HTTP_HOST=f"{api_latency.SLUG}.{settings.CLEA_BASE_DOMAIN}", HTTP_AUTHORIZATION=f"Token {token}")
    path = f"/api/files/{read_id}/"
    for _ in range(5):  # warm: imports, caches, the connection
        assert client.get(path).status_code == 200
        assert client.get("/bench/bare/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    print(f"GET {path}: {response.status_code}, {len(response.content):,} bytes, {len(queries)} SQL statements:")
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")

    def wall(target: str) -> float:
        samples = []
        for _ in range(args.calls):
            started = time.perf_counter()
            client.get(target)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000

    read_ms, bare_ms = wall(path), wall("/bench/bare/")
    print(
        f"median wall time per call: read {read_ms:.1f} ms, bare view {bare_ms:.1f} ms (ratio {bare_ms / read_ms:.2f})"
    )

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.calls):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values() if row) / args.calls  # type: ignore[attr-defined]
    print(f"\ncProfile over {args.calls} reads (profiling overhead included):")
    import fnmatch

    for label, pattern in STAGES.items():
        cumulative = sum(
            row[3]
            for (filename, line, name), row in stats.stats.items()  # type: ignore[attr-defined]
            if fnmatch.fnmatch(f"{filename}:{line}({name})", f"*{pattern}")
        )
        print(f"  {label:44} {cumulative / args.calls * 1000:7.2f} ms per read")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"clea|rest_framework|django_tenants", 30)
    print(out.getvalue()[-6000:])
    print(f"(total own time per read under the profiler: {total * 1000:.1f} ms)")
    print(f"load average after: {loadavg()}")
    connection.close()


if __name__ == "__main__":
    main()
