"""Tenant provisioning: script clone vs django-tenants' clone vs replaying migrations, in the same run.

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
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))


def _admin_cursor_exec(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


MODES = ("script clone", "django-tenants clone", "migration replay")


def run(n: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Provision ``n`` tenants per mode, the modes taking turns (same load for each). Returns the
    end-to-end seconds per tenant and, for the clone modes, the seconds spent in the clone itself."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    import clea_tenants.template as template_module
    from clea_tenants import cloning
    from clea_tenants.provisioning import OrganisationInput, provision_with_password_hash
    from clea_tenants.template import prepare_tenant_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    prepare_tenant_template(force=True)
    password_hash = make_password("bench-password-123")
    fast_script = cloning.cached_clone_script
    clone = template_module.clone_template
    clone_seconds: list[float] = []

    def no_script(cursor: Any, template: str, template_oid: int, fingerprint: str) -> cloning.CloneScript | None:
        return None  # django-tenants' clone_schema() is used instead

    def timed_clone(schema_name: str) -> bool:
        start = time.perf_counter()
        try:
            return clone(schema_name)
        finally:
            clone_seconds.append(time.perf_counter() - start)

    template_module.clone_template = timed_clone

    def provision(prefix: str, index: int) -> None:
        slug = f"{prefix}{index}"
        data = OrganisationInput(f"Bench {slug}", slug, "73282932000074", "11", "c@b.example", "a@b.example")
        provision_with_password_hash(data, password_hash)

    def configure(mode: str) -> None:
        settings.TENANT_CREATION_FAKES_MIGRATIONS = mode != "migration replay"
        cloning.cached_clone_script = fast_script if mode == "script clone" else no_script

    for mode in MODES:  # warm-up: imports, first connection, the script built once
        configure(mode)
        provision(f"warm{MODES.index(mode)}x", 0)
    results: dict[str, list[float]] = {mode: [] for mode in MODES}
    clone_only: dict[str, list[float]] = {mode: [] for mode in MODES[:2]}
    for index in range(n):
        for mode in MODES:
            configure(mode)
            clone_seconds.clear()
            start = time.perf_counter()
            provision(f"m{MODES.index(mode)}x", index)
            results[mode].append(time.perf_counter() - start)
            if mode in clone_only:
                clone_only[mode].append(sum(clone_seconds))
    configure("script clone")
    settings.TENANT_CREATION_FAKES_MIGRATIONS = True
    return results, clone_only


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="tenants per method")
    args = parser.parse_args()

    load_before = f"{os.getloadavg()[0]:.2f}"
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    bench_db = f"clea_bench_{os.getpid()}"
    _admin_cursor_exec(base_url, f'CREATE DATABASE "{bench_db}"')
    os.environ["DATABASE_URL"] = _with_database(base_url, bench_db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clea.settings.dev"
    try:
        import django

        django.setup()
        outcome = run(args.n)
        from django.db import connections

        connections.close_all()
    finally:
        _admin_cursor_exec(base_url, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')

    results, clone_only = outcome
    medians = {label: statistics.median(values) for label, values in results.items()}
    print(f"{args.n} tenants per method (methods taking turns), seconds per tenant, end to end")
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'method':<22} {'median':>8} {'p95':>8} {'min':>8} {'max':>8}  clone step (median)")
    for label, values in results.items():
        step = f"{statistics.median(clone_only[label]):8.3f}" if label in clone_only else ""
        print(
            f"{label:<22} {medians[label]:8.3f} {percentile(values, 0.95):8.3f} {min(values):8.3f} {max(values):8.3f}"
            f"  {step}"
        )
    for label in MODES[:2]:
        print(f"ratio replay / {label} (median): {medians['migration replay'] / medians[label]:.1f}x")


if __name__ == "__main__":
    main()
