"""Tenant provisioning: template clone vs replaying migrations, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/provisioning.py -n 10

Works in a throw-away database (created and dropped), so it never touches real data. Each
tenant is provisioned end to end (organisation row, schema, domain, role groups, admin user) with
a pre-hashed admin password, so that password hashing does not blur the comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))


def _admin_cursor_exec(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run(n: int) -> dict[str, list[float]]:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from clea_tenants.provisioning import OrganisationInput, provision_with_password_hash
    from clea_tenants.template import prepare_tenant_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    prepare_tenant_template(force=True)
    password_hash = make_password("bench-password-123")

    def provision(prefix: str, index: int) -> None:
        slug = f"{prefix}{index}"
        data = OrganisationInput(f"Bench {slug}", slug, "73282932000074", "11", "c@b.example", "a@b.example")
        provision_with_password_hash(data, password_hash)

    def measure(prefix: str) -> list[float]:
        timings = []
        for index in range(n):
            start = time.perf_counter()
            provision(prefix, index)
            timings.append(time.perf_counter() - start)
        return timings

    results: dict[str, list[float]] = {}
    modes: list[tuple[str, bool, Callable[[str], list[float]]]] = [
        ("template clone", True, measure),
        ("migration replay", False, measure),
    ]
    provision("warmup", 0)  # import and first-connection costs out of the figures
    for label, fakes, measure_mode in modes:
        settings.TENANT_CREATION_FAKES_MIGRATIONS = fakes
        results[label] = measure_mode("clone" if fakes else "replay")
    settings.TENANT_CREATION_FAKES_MIGRATIONS = True
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="tenants per method")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    bench_db = f"clea_bench_{os.getpid()}"
    _admin_cursor_exec(base_url, f'CREATE DATABASE "{bench_db}"')
    os.environ["DATABASE_URL"] = _with_database(base_url, bench_db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clea.settings.dev"
    try:
        import django

        django.setup()
        results = run(args.n)
        from django.db import connections

        connections.close_all()
    finally:
        _admin_cursor_exec(base_url, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')

    medians = {label: statistics.median(values) for label, values in results.items()}
    print(f"{args.n} tenants per method, seconds per tenant")
    print(f"{'method':<18} {'median':>8} {'p95':>8} {'min':>8} {'max':>8}")
    for label, values in results.items():
        print(
            f"{label:<18} {medians[label]:8.3f} {percentile(values, 0.95):8.3f} {min(values):8.3f} {max(values):8.3f}"
        )
    print(f"ratio replay/clone (median): {medians['migration replay'] / medians['template clone']:.1f}x")


if __name__ == "__main__":
    main()
