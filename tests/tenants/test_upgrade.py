"""``upgrade_schemas``: stale tenant schemas are found in one query, only they are migrated, failures reported.

In-process tests run in the test's transaction (``workers=1``: no fork). The last test runs the
command as a real process with two workers, on committed tenants it removes afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import app_labels
from tests.fixtures.tenants import create_organisation
from tests.tenants.test_commands import _manage

from clea_tenants.models import Organisation
from clea_tenants.template import clone_template
from clea_tenants.upgrade import MigrationTargets, find_stale_schemas

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.usefixtures("tenant_template")]

NO_OP_MIGRATION = ("authtoken", "0004_alter_tokenproxy_options")  # AlterModelOptions: nothing to do in SQL


def _last_migration_creating_something() -> tuple[str, str]:
    """A tenant app's migration that nothing depends on and that creates a table or a column:
    replaying it over what it created fails ("already exists")."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_labels = set(app_labels(list(settings.TENANT_APPS)))
    for key in sorted(loader.graph.leaf_nodes()):
        migration = loader.graph.nodes[key]
        creates = any(isinstance(op, migrations.CreateModel | migrations.AddField) for op in migration.operations)
        if key[0] in tenant_labels and creates and not loader.graph.node_map[key].children:
            return (str(key[0]), str(key[1]))
    pytest.skip("no tenant migration creating a table or a column is a leaf", allow_module_level=True)


TABLE_MIGRATION = _last_migration_creating_something()
FAILED_AT = f"{TABLE_MIGRATION[0]}.{TABLE_MIGRATION[1]}"


def _execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _forget(schema: str, migration: tuple[str, str]) -> None:
    _execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', list(migration))


def _rows(schema: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name, applied FROM "{schema}".django_migrations ORDER BY app, name')
        return list(cursor.fetchall())


def test_stale_detection(db: None) -> None:
    for name in ("up_fresh", "up_stale", "up_nohistory"):
        assert clone_template(name)
    _forget("up_stale", NO_OP_MIGRATION)
    _execute('DROP TABLE "up_nohistory".django_migrations')
    states = {s.schema: s for s in find_stale_schemas(["up_fresh", "up_stale", "up_nohistory", "up_missing"])}
    assert set(states) == {"up_stale", "up_nohistory", "up_missing"}  # up_fresh is skipped
    assert states["up_stale"].missing == ("authtoken.0004_alter_tokenproxy_options",)
    assert states["up_nohistory"].missing == ("*",) and states["up_nohistory"].exists
    assert not states["up_missing"].exists


def test_a_squashed_migration_counts_as_applied_when_what_it_replaces_is() -> None:
    targets = MigrationTargets(
        nodes=frozenset({("a", "0001_squashed_0002"), ("a", "0003")}),
        replaces={("a", "0001_squashed_0002"): (("a", "0001"), ("a", "0002"))},
        non_atomic=frozenset(),
    )
    assert targets.missing(["a.0001_squashed_0002"]) == ()
    assert targets.missing(["a.0001_squashed_0002", "a.0002"]) == ("a.0001_squashed_0002",)
    assert targets.missing(["a.0003"]) == ("a.0003",)


def test_command_migrates_only_the_stale_schemas(db: None, org_a: Organisation) -> None:
    fresh, stale = (
        create_organisation("up-fresh", "7777777700001"),
        create_organisation("up-stale", "7777777700002"),
    )
    _forget(stale.schema_name, NO_OP_MIGRATION)
    fresh_rows, org_a_rows = _rows(fresh.schema_name), _rows(org_a.schema_name)

    dry = io.StringIO()
    call_command("upgrade_schemas", dry_run=True, stdout=dry)
    assert f"{stale.schema_name}: authtoken.0004_alter_tokenproxy_options" in dry.getvalue()
    assert fresh.schema_name not in dry.getvalue()
    assert len(_rows(stale.schema_name)) == len(fresh_rows) - 1  # the dry run changed nothing

    out = io.StringIO()
    call_command("upgrade_schemas", workers=1, stdout=out, verbosity=2)
    assert "behind: 1" in out.getvalue() and f"{stale.schema_name}: 1 migration(s)" in out.getvalue()
    assert _rows(fresh.schema_name) == fresh_rows and _rows(org_a.schema_name) == org_a_rows  # untouched
    assert [row[:2] for row in _rows(stale.schema_name)] == [row[:2] for row in fresh_rows]
    assert find_stale_schemas([fresh.schema_name, stale.schema_name]) == []


def test_a_failing_schema_is_reported_and_left_unchanged(db: None) -> None:
    good, bad = (
        create_organisation("up-good", "7777777700003"),
        create_organisation("up-bad", "7777777700004"),
    )
    _forget(good.schema_name, NO_OP_MIGRATION)
    _forget(bad.schema_name, NO_OP_MIGRATION)
    _forget(bad.schema_name, TABLE_MIGRATION)
    bad_rows = _rows(bad.schema_name)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 of 2 tenant schema\(s\) failed to migrate: org_up_bad"):
        call_command("upgrade_schemas", workers=1, stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"FAILED {bad.schema_name} at {FAILED_AT}: ProgrammingError: ")
    assert "already exists" in lines[0] and lines[0].endswith("(nothing applied)")
    assert _rows(bad.schema_name) == bad_rows  # authtoken.0004 was applied, then rolled back with the rest
    assert find_stale_schemas([good.schema_name]) == []


@pytest.fixture(scope="module")
def committed_tenants(tenant_template: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """Three committed tenants: one up to date, one behind, one whose migration fails. Removed after."""
    with django_db_blocker.unblock():
        orgs = {
            "fresh": create_organisation("up-proc-fresh", "8888888800001"),
            "stale": create_organisation("up-proc-stale", "8888888800002"),
            "broken": create_organisation("up-proc-broken", "8888888800003"),
        }
        _forget(orgs["stale"].schema_name, NO_OP_MIGRATION)
        _forget(orgs["broken"].schema_name, TABLE_MIGRATION)
        yield {role: org.schema_name for role, org in orgs.items()}
        for org in orgs.values():
            _execute(f'DROP SCHEMA IF EXISTS "{org.schema_name}" CASCADE')
            org.domains.all().delete()
            Organisation.objects.filter(pk=org.pk).delete()


def test_command_process_exit_code_and_one_line_per_failure(committed_tenants: dict[str, str]) -> None:
    dry = _manage("upgrade_schemas", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert committed_tenants["stale"] in dry.stdout and committed_tenants["fresh"] not in dry.stdout

    result = _manage("upgrade_schemas", "--workers", "2")
    assert result.returncode == 1
    # Only our lines: start-up noise (system check warnings...) is not this command's.
    lines = [line for line in result.stderr.splitlines() if line.startswith(("FAILED ", "CommandError"))]
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith(f"FAILED {committed_tenants['broken']} at {FAILED_AT}: ProgrammingError: ")
    assert lines[0].endswith("already exists (nothing applied)")
    assert lines[1] == f"CommandError: 1 of 2 tenant schema(s) failed to migrate: {committed_tenants['broken']}"
    assert "behind: 2 (migrating with 2 worker(s))" in result.stdout
    assert find_stale_schemas([committed_tenants["stale"], committed_tenants["fresh"]]) == []
