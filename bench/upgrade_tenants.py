"""Upgrades across many tenants: ``upgrade_schemas`` vs django-tenants' ``migrate_schemas``, same tenants, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/upgrade_tenants.py -n 1000

In a throw-away database (created, then dropped), ``-n`` tenants are created (fast template clones, in
parallel processes), then every figure is measured on **all** of them, as ``manage.py`` processes (Django's
start-up included), nothing extrapolated:

1. nothing to apply: ``migrate_schemas --tenant`` with django-tenants' sequential (``standard``) executor,
   with its ``multiprocessing`` executor (``--workers`` processes), and ``upgrade_schemas --workers N``;
2. one new migration, three times, each method applying its own: a temporary tenant app (in a temporary
   folder put on the path by a temporary settings module; nothing is written in the repository) gets one
   more migration before each method, adding one more column to ``journey_candidate``. The sequential
   executor applies the first, the multiprocessing executor the second, ``upgrade_schemas`` the third
   (it also rebuilds the template, which the others leave behind: its figure includes that). The column of
   each is then counted in every schema. The load average is printed before each step.
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
            schema_name=f"org_{slug}",
            name=f"Bench {slug}",
            slug=slug,
            siret="73282932000074",
            region="11",
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


def write_bench_app(folder: Path, migrations: int) -> None:
    """A tenant app whose ``migrations`` migrations each add a nullable column to journey_candidate, and
    settings for it (the multiprocessing executor gets ``CLEA_BENCH_PROCESSES`` processes)."""
    from django.db.migrations.loader import MigrationLoader

    package = folder / BENCH_APP
    (package / "migrations").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    previous = f"('journey', '{_journey_leaf(MigrationLoader)}')"
    for number in range(1, migrations + 1):
        name = f"{number:04d}_add_column"
        (package / "migrations" / f"{name}.py").write_text(
            "from django.db import migrations\n\n\n"
            "class Migration(migrations.Migration):\n"
            f"    dependencies = [{previous}]\n"
            "    operations = [\n"
            "        migrations.RunSQL(\n"
            f"            'ALTER TABLE journey_candidate ADD COLUMN {BENCH_COLUMN}_{number} varchar(50) NULL',\n"
            f"            'ALTER TABLE journey_candidate DROP COLUMN {BENCH_COLUMN}_{number}',\n"
            "        ),\n"
            "    ]\n"
        )
        previous = f"('{BENCH_APP}', '{name}')"
    (folder / "bench_upgrade_settings.py").write_text(
        "import os\n\n"
        "from clea.settings.dev import *  # noqa: F403\n\n"
        f"TENANT_APPS = (*TENANT_APPS, '{BENCH_APP}')  # noqa: F405\n"
        f"INSTALLED_APPS = [*INSTALLED_APPS, '{BENCH_APP}']  # noqa: F405\n"
        "TENANT_MULTIPROCESSING_MAX_PROCESSES = int(os.environ.get('CLEA_BENCH_PROCESSES', '2'))\n"
    )


_leaf_cache: list[str] = []


def _journey_leaf(loader_class: Any) -> str:
    if not _leaf_cache:
        _leaf_cache.append(max(name for app, name in loader_class(None).graph.leaf_nodes() if app == "journey"))
    return _leaf_cache[0]


def count_column(number: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " WHERE c.relname = 'journey_candidate' AND a.attname = %s AND NOT a.attisdropped",
            [f"{BENCH_COLUMN}_{number}"],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


METHODS = (
    ("migrate_schemas, standard (sequential) executor", ["migrate_schemas", "--tenant", "--executor", "standard"]),
    ("migrate_schemas, multiprocessing executor", ["migrate_schemas", "--tenant", "--executor", "multiprocessing"]),
    ("upgrade_schemas", ["upgrade_schemas"]),
)


def run(n: int, workers: int, env: dict[str, str]) -> dict[str, Any]:
    from django.core.management import call_command

    from clea_tenants.template import prepare_tenant_template
    from clea_tenants.upgrade import find_stale_schemas, tenant_schemas

    figures: dict[str, Any] = {"n": n, "workers": workers, "load": {}}
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    prepare_tenant_template(force=True)
    figures["create"] = create_tenants(0, n, processes=2)
    print(f"{n} tenants created in {figures['create']:.0f} s", flush=True)

    schemas = tenant_schemas()
    start = time.perf_counter()
    stale = find_stale_schemas(schemas)
    figures["detection query"] = time.perf_counter() - start
    assert len(schemas) == n and not stale, (len(schemas), len(stale))

    def command(base: list[str]) -> list[str]:
        return [*base, "--workers", str(workers)] if base[0] == "upgrade_schemas" else base

    with tempfile.TemporaryDirectory(prefix="clea-bench-upgrade-") as folder:
        write_bench_app(Path(folder), 0)
        bench_env = {
            **env,
            "PYTHONPATH": os.pathsep.join(filter(None, [folder, env.get("PYTHONPATH", "")])),
            "DJANGO_SETTINGS_MODULE": "bench_upgrade_settings",
            "CLEA_BENCH_PROCESSES": str(workers),
        }
        # Nothing to apply (the bench app has no migration yet): the three methods on the same tenants.
        for label, base in METHODS:
            figures["load"][f"no-op {label}"] = load()
            figures[f"no-op {label}"], _ = manage([*command(base), "-v0"], bench_env)
            print(f"no-op, {label}: {figures[f'no-op {label}']:.1f} s", flush=True)
        # One new migration for each method in turn.
        for number, (label, base) in enumerate(METHODS, start=1):
            write_bench_app(Path(folder), number)
            figures["load"][f"one {label}"] = load()
            figures[f"one {label}"], _ = manage([*command(base), "-v0"], bench_env)
            figures[f"column {number}"] = count_column(number)
            print(f"one migration, {label}: {figures[f'one {label}']:.1f} s", flush=True)
        figures["load"]["after"] = load()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="tenants")
    parser.add_argument("--workers", type=int, default=2, help="upgrade_schemas --workers = multiprocessing processes")
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
        figures = run(args.n, args.workers, env)
        from django.db import connections

        connections.close_all()
    finally:
        _admin_cursor_exec(base_url, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')

    n = figures["n"]
    print(f"\n{n} tenants, every figure measured on all of them; --workers {figures['workers']}; {os.cpu_count()} CPUs;"
          f" load average (1 min) at start {load_start}")  # fmt: skip
    print(f"tenants created (fast clone, 2 processes): {figures['create']:.0f} s;"
          f" stale detection query: {figures['detection query'] * 1000:.0f} ms")  # fmt: skip
    for case in ("no-op", "one"):
        title = "nothing to apply" if case == "no-op" else "one new migration"
        best = min(figures[f"{case} {label}"] for label, _ in METHODS[:2])
        for label, _ in METHODS:
            seconds = figures[f"{case} {label}"]
            print(f"{title:>18} | {label:50} {seconds:8.1f} s  (best django-tenants / this: {best / seconds:5.2f})"
                  f"  load before {figures['load'][f'{case} {label}']}")  # fmt: skip
    for number, (label, _) in enumerate(METHODS, start=1):
        print(f"column {number} ({label}) present in {figures[f'column {number}']} schemas")
    print(f"load average after: {figures['load']['after']}")


if __name__ == "__main__":
    main()
