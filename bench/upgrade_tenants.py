"""Upgrades across many tenants: ``upgrade_schemas`` vs django-tenants' ``migrate_schemas``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/upgrade_tenants.py -n 1000

In a throw-away database (created, then dropped):

1. ``--sample`` tenants (50) are created; ``migrate_schemas --tenant`` (the baseline) and
   ``upgrade_schemas`` are timed with nothing to apply, as ``manage.py`` processes;
2. tenants are added up to ``-n`` (fast template clones, in parallel processes);
3. (a) ``upgrade_schemas`` with nothing to apply over all of them;
4. (c) one new migration everywhere: a temporary tenant app, in a temporary folder put on the
   path by a temporary settings module, whose migration adds a column to ``journey_candidate``
   (nothing is written in the repository). ``upgrade_schemas`` rebuilds the template and
   migrates every tenant; the column is then counted in every schema.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))

from bench.provisioning import _admin_cursor_exec, _with_database  # noqa: E402

BENCH_APP = "clea_bench_upgrade"
BENCH_COLUMN = "bench_upgrade_note"


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def manage(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return seconds, result


def _create_range(bounds: tuple[int, int]) -> int:
    """Create tenants ``start..stop-1`` (organisation row + cloned schema). Runs in a child process."""
    from django.db import connections

    from clea_tenants.models import Organisation

    connections.close_all()
    for index in range(*bounds):
        slug = f"t{index:05d}"
        Organisation(
            schema_name=f"org_{slug}", name=f"Bench {slug}", slug=slug, siret="73282932000074", region="11",
            contact_email="c@b.example",
        ).save(verbosity=0)
    connections.close_all()
    return bounds[1] - bounds[0]


def create_tenants(start: int, stop: int, processes: int) -> float:
    import multiprocessing

    from django.db import connections

    connections.close_all()
    step = max(1, (stop - start + processes - 1) // processes)
    chunks = [(low, min(stop, low + step)) for low in range(start, stop, step)]
    began = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        created = sum(pool.map(_create_range, chunks))
    assert created == stop - start
    return time.perf_counter() - began


def write_bench_app(folder: Path) -> None:
    """A tenant app with one migration adding a nullable column to journey_candidate, and settings for it."""
    from django.db.migrations.loader import MigrationLoader

    journey_leaf = max(name for app, name in MigrationLoader(None).graph.leaf_nodes() if app == "journey")
    package = folder / BENCH_APP
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    (package / "migrations" / "0001_add_column.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('journey', '{journey_leaf}')]\n"
        "    operations = [\n"
        "        migrations.RunSQL(\n"
        f"            'ALTER TABLE journey_candidate ADD COLUMN {BENCH_COLUMN} varchar(50) NULL',\n"
        f"            'ALTER TABLE journey_candidate DROP COLUMN {BENCH_COLUMN}',\n"
        "        ),\n"
        "    ]\n"
    )
    (folder / "bench_upgrade_settings.py").write_text(
        "from clea.settings.dev import *  # noqa: F403\n\n"
        f"TENANT_APPS = (*TENANT_APPS, '{BENCH_APP}')  # noqa: F405\n"
        f"INSTALLED_APPS = [*INSTALLED_APPS, '{BENCH_APP}']  # noqa: F405\n"
    )


def count_column() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " WHERE c.relname = 'journey_candidate' AND a.attname = %s AND NOT a.attisdropped",
            [BENCH_COLUMN],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def run(n: int, sample: int, workers: int, env: dict[str, str]) -> dict[str, Any]:
    from django.core.management import call_command

    from clea_tenants.template import prepare_tenant_template
    from clea_tenants.upgrade import find_stale_schemas, tenant_schemas

    figures: dict[str, Any] = {"n": n, "sample": sample, "workers": workers}
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    prepare_tenant_template(force=True)
    figures["create sample"] = create_tenants(0, sample, processes=2)

    figures["load (b)"] = load()
    figures["(b) migrate_schemas, sample"], _ = manage(["migrate_schemas", "--tenant", "-v0"], env)
    figures["upgrade_schemas, sample"], _ = manage(["upgrade_schemas", "--workers", str(workers), "-v0"], env)
    print(f"sample of {sample}: {figures}", flush=True)

    figures["create rest"] = create_tenants(sample, n, processes=2)
    print(f"{n} tenants created in {figures['create sample'] + figures['create rest']:.0f} s", flush=True)

    schemas = tenant_schemas()
    start = time.perf_counter()
    stale = find_stale_schemas(schemas)
    figures["detection query"] = time.perf_counter() - start
    assert len(schemas) == n and not stale, (len(schemas), len(stale))

    figures["load (a)"] = load()
    figures["(a) upgrade_schemas, no-op"], result = manage(["upgrade_schemas", "--workers", str(workers)], env)
    figures["(a) output"] = result.stdout.strip().splitlines()[-2:]
    print(f"(a) {figures['(a) upgrade_schemas, no-op']:.1f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="clea-bench-upgrade-") as folder:
        write_bench_app(Path(folder))
        migration_env = {
            **env,
            "PYTHONPATH": os.pathsep.join(filter(None, [folder, env.get("PYTHONPATH", "")])),
            "DJANGO_SETTINGS_MODULE": "bench_upgrade_settings",
        }
        figures["load (c)"] = load()
        figures["(c) upgrade_schemas, one migration"], result = manage(
            ["upgrade_schemas", "--workers", str(workers)], migration_env
        )
        figures["(c) output"] = result.stdout.strip().splitlines()[-2:]
        figures["load after (c)"] = load()
        figures["column in schemas"] = count_column()
        figures["(a') upgrade_schemas, no-op after (c)"], _ = manage(
            ["upgrade_schemas", "--workers", str(workers), "-v0"], migration_env
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="tenants")
    parser.add_argument("--sample", type=int, default=50, help="tenants for the migrate_schemas baseline")
    parser.add_argument("--workers", type=int, default=2, help="upgrade_schemas --workers")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    bench_db = f"clea_bench_upgrade_{os.getpid()}"
    _admin_cursor_exec(base_url, f'CREATE DATABASE "{bench_db}"')
    os.environ["DATABASE_URL"] = _with_database(base_url, bench_db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clea.settings.dev"
    env = {**os.environ}
    load_start = load()
    try:
        import django

        django.setup()
        figures = run(args.n, args.sample, args.workers, env)
        from django.db import connections

        connections.close_all()
    finally:
        _admin_cursor_exec(base_url, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')

    n, sample = figures["n"], figures["sample"]
    baseline = figures["(b) migrate_schemas, sample"]
    print(f"\n{n} tenants, upgrade_schemas --workers {figures['workers']}; {os.cpu_count()} CPUs;"
          f" load average at start {load_start}, before (b) {figures['load (b)']}, (a) {figures['load (a)']},"
          f" (c) {figures['load (c)']}, after (c) {figures['load after (c)']}")
    print(f"tenants created (fast clone, 2 processes): {figures['create sample'] + figures['create rest']:.0f} s")
    print(f"stale detection query over {n} schemas: {figures['detection query'] * 1000:.0f} ms")
    print(f"(b) migrate_schemas --tenant, nothing to apply, {sample} tenants: {baseline:.1f} s"
          f" -> {baseline / sample:.3f} s/tenant, extrapolated to {n}: {baseline / sample * n:.0f} s")
    print(f"    upgrade_schemas, nothing to apply, {sample} tenants: {figures['upgrade_schemas, sample']:.1f} s")
    print(f"(a) upgrade_schemas, nothing to apply, {n} tenants: {figures['(a) upgrade_schemas, no-op']:.1f} s")
    print(f"    {' / '.join(figures['(a) output'])}")
    print(f"(c) upgrade_schemas, one new migration, {n} tenants: {figures['(c) upgrade_schemas, one migration']:.1f} s"
          f" (template rebuilt included); column present in {figures['column in schemas']} schemas"
          f" ({n} tenants + template)")
    print(f"    {' / '.join(figures['(c) output'])}")
    again = figures["(a') upgrade_schemas, no-op after (c)"]
    print(f"(a') upgrade_schemas, nothing to apply after (c): {again:.1f} s")


if __name__ == "__main__":
    main()
