"""Provisioning under load: a spare schema taken from the pool vs today's clone, same run, a CPU hog running.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/provisioning_pool.py -n 20

In a throw-away database (dropped at exit). The bench starts its own CPU hog (``--hogs`` processes spinning,
default 2: one per core of this machine) before measuring, on top of whatever the neighbours run. Then it
provisions ``-n`` organisations per method end to end (organisation row, schema, domain, role groups, admin
user; admin password pre-hashed), the methods taking turns:

- **spare pool**: ``CLEA_SPARE_SCHEMAS`` spares are cloned ahead (``clea_tenants.spares.refill``, the
  refill task's work, timed apart and not included) and provisioning renames one;
- **script clone** (today's method): the pool disabled, the template cloned on demand.

Prints median, p95, min and max per method, the refill cost per spare, and the load average.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT / "tenants"), str(ROOT / "plugins")]
sys.path.append(str(ROOT))

from bench.throwaway import LoadSampler, create_throwaway_database, loadavg  # noqa: E402

METHODS = ("spare pool", "script clone")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def _spin(stop_at: float) -> None:
    while time.time() < stop_at:
        sum(i * i for i in range(10_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="organisations per method")
    parser.add_argument("--hogs", type=int, default=2, help="CPU hog processes started by the bench")
    args = parser.parse_args()
    print(f"load average before: {loadavg()}")
    os.environ["DATABASE_URL"] = create_throwaway_database(os.environ["DATABASE_URL"], "clea_bench_pool")
    os.environ["DJANGO_SETTINGS_MODULE"] = "clea.settings.dev"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from clea_tenants import spares
    from clea_tenants.provisioning import OrganisationInput, provision_with_password_hash
    from clea_tenants.template import prepare_tenant_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    prepare_tenant_template(force=True)
    password_hash = make_password("bench-password-123")

    def provision(prefix: str, index: int) -> None:
        slug = f"{prefix}{index}"
        data = OrganisationInput(f"Bench {slug}", slug, "73282932000074", "11", "c@b.example", "a@b.example")
        provision_with_password_hash(data, password_hash)

    results: dict[str, list[float]] = {method: [] for method in METHODS}
    refill_seconds: list[float] = []
    hogs = [
        multiprocessing.get_context("spawn").Process(target=_spin, args=(time.time() + 3600,), daemon=True)
        for _ in range(args.hogs)
    ]
    for hog in hogs:
        hog.start()
    try:
        with LoadSampler() as load:
            for warm in METHODS:  # imports, the clone script built once, first connection
                settings.CLEA_SPARE_SCHEMAS = 1 if warm == "spare pool" else 0
                spares.refill()
                provision(f"warm{METHODS.index(warm)}x", 0)
            for index in range(args.n):
                for method in METHODS:
                    settings.CLEA_SPARE_SCHEMAS = 1 if method == "spare pool" else 0
                    if method == "spare pool":
                        started = time.perf_counter()
                        created = spares.refill()["created"]  # the refill task's work, done ahead
                        if created:
                            refill_seconds.append((time.perf_counter() - started) / created)
                        assert spares.spares(), "the pool should hold a spare"
                    started = time.perf_counter()
                    provision(f"m{METHODS.index(method)}x", index)
                    results[method].append(time.perf_counter() - started)
    finally:
        for hog in hogs:
            hog.terminate()
        connections.close_all()

    print(f"{args.n} organisations per method (taking turns), seconds end to end; {args.hogs} CPU hog processes")
    print(f"{load.summary()}; after: {loadavg()}")
    print(f"{'method':<14} {'median':>8} {'p95':>8} {'min':>8} {'max':>8}")
    medians = {}
    for method, values in results.items():
        medians[method] = statistics.median(values)
        print(
            f"{method:<14} {medians[method]:8.3f} {percentile(values, 0.95):8.3f} {min(values):8.3f} {max(values):8.3f}"
        )
    p95s = {method: percentile(values, 0.95) for method, values in results.items()}
    print(f"ratio script clone / spare pool: median {medians['script clone'] / medians['spare pool']:.1f}x, "
          f"p95 {p95s['script clone'] / p95s['spare pool']:.1f}x")  # fmt: skip
    if refill_seconds:
        print(f"refill (not in the figures above): median {statistics.median(refill_seconds):.3f} s per spare")


if __name__ == "__main__":
    main()
