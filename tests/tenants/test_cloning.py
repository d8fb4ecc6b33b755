"""The fast clone of the template (``clea_tenants.cloning``) is faithful: same catalogue, same rows.

Each test works in the test's transaction (``db``): cloned schemas are rolled back with it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

from clea_tenants import cloning
from clea_tenants.template import clone_template, migration_fingerprint, template_schema_name

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.usefixtures("tenant_template")]


def _query(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def catalogue(schema: str) -> dict[str, Any]:
    """What defines a schema, read with ``search_path = public`` and the schema's name normalised."""
    nsp = [schema]
    snapshot: dict[str, Any] = {
        "tables": _query(
            "SELECT relname, relpersistence, reloptions FROM pg_class WHERE relnamespace = %s::regnamespace"
            " AND relkind = 'r' ORDER BY 1",
            nsp,
        ),
        # Columns in their order; attnum itself differs only if the template had dropped columns.
        "columns": _query(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,"
            " a.attgenerated, pg_get_expr(d.adbin, d.adrelid), a.attcollation,"
            " row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum)"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
            " ORDER BY 1, 9",
            nsp,
        ),
        "constraints": _query(
            "SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.convalidated, k.condeferrable,"
            " k.condeferred, f.relname, fn.nspname = %s"
            " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
            " LEFT JOIN pg_class f ON f.oid = k.confrelid LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace"
            " WHERE c.relnamespace = %s::regnamespace ORDER BY 1, 2",
            [schema, schema],
        ),
        "indexes": _query(
            "SELECT c.relname, x.relname, pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary"
            " FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid"
            " WHERE x.relnamespace = %s::regnamespace ORDER BY 1, 2",
            nsp,
        ),
        "sequences": _query(
            "SELECT s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax,"
            " q.seqcache, q.seqcycle, d.deptype, t.relname, a.attname, tn.nspname = %s"
            " FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid"
            " LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
            " LEFT JOIN pg_class t ON t.oid = d.refobjid LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace"
            " LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
            " WHERE s.relnamespace = %s::regnamespace ORDER BY 1",
            [schema, schema],
        ),
        "comments": _query(
            "SELECT c.relname, d.objsubid, d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid"
            " WHERE d.classoid = 'pg_class'::regclass AND c.relnamespace = %s::regnamespace ORDER BY 1, 2",
            nsp,
        ),
        "triggers": _query(
            "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal"
            " ORDER BY 1, 2",
            nsp,
        ),
        "other objects": _query(
            "SELECT 'type', typname FROM pg_type WHERE typnamespace = %s::regnamespace AND typrelid = 0"
            " AND typelem = 0 UNION ALL SELECT 'function', proname FROM pg_proc WHERE pronamespace = %s::regnamespace"
            " UNION ALL SELECT 'trigger', t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2",
            [schema, schema, schema],
        ),
    }
    snapshot["sequence values"] = [
        (name, *_query(f'SELECT last_value, is_called FROM "{schema}"."{name}"', [])[0])
        for name, *_ in snapshot["sequences"]
    ]
    digest = "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
    snapshot["rows"] = {table: _query(digest.format(f'"{schema}"."{table}"'), []) for table, *_ in snapshot["tables"]}
    qualified = re.compile(rf'(?<![\w"])(?:"{re.escape(schema)}"|{re.escape(schema)})\.')
    text = repr(snapshot)
    assert "<SCHEMA>" not in text
    return {key: qualified.sub("<SCHEMA>.", repr(value)) for key, value in snapshot.items()}


def _clone(name: str) -> str:
    assert clone_template(name)
    return name


def test_the_fast_script_is_used_for_our_template(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template_schema_name()])
        (oid,) = cursor.fetchone()
        script = cloning.build_clone_script(cursor, template_schema_name(), oid, migration_fingerprint())
    assert script is not None and script.tables >= 15
    assert template_schema_name() not in script.body.replace(f'"{template_schema_name()}".', "")  # only as a source


def test_clone_has_the_template_catalogue_and_rows(db: None) -> None:
    template = catalogue(template_schema_name())
    clone = catalogue(_clone("clone_fidelity"))
    for key in template:
        assert clone[key] == template[key], key
    assert "django_migrations" in template["tables"] and "auth_permission" in template["tables"]
    # Foreign keys point into the clone, not into the template.
    assert _query(
        "SELECT count(*) FROM pg_constraint k JOIN pg_class f ON f.oid = k.confrelid"
        " WHERE k.connamespace = 'clone_fidelity'::regnamespace AND f.relnamespace <> k.connamespace",
        [],
    ) == [(0,)]


def test_clone_sequences_continue_after_the_copied_rows(db: None) -> None:
    from django.contrib.auth.models import Group

    schema = _clone("clone_sequences")
    with schema_context(schema):
        before = max(Group.objects.values_list("id", flat=True))
        assert Group.objects.create(name="new role").id == before + 1
    with schema_context(template_schema_name()):
        assert not Group.objects.filter(name="new role").exists()


def test_search_path_is_restored_after_a_clone(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        before = cursor.fetchone()
    _clone("clone_path")
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        assert cursor.fetchone() == before


def test_falls_back_to_django_tenants_when_no_script(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cloning, "cached_clone_script", lambda *args: None)
    schema = _clone("clone_fallback")
    assert catalogue(schema)["tables"] == catalogue(template_schema_name())["tables"]


def test_new_migrations_apply_to_a_clone(db: None) -> None:
    """Operations that find constraints and indexes by introspection (drop a UNIQUE, turn a one-to-one
    into a foreign key, rename a column) work on a clone as on a migrated schema."""
    schema = _clone("clone_migrates")
    accounts = migrations.Migration("9999_clone_check", "accounts")
    accounts.operations = [  # type: ignore[misc]  # the documented way to build a migration in code
        migrations.AddField("user", "nickname", models.CharField(max_length=30, default="", db_index=True)),
        migrations.AlterField("user", "username", models.CharField(max_length=150)),
    ]
    journey = migrations.Migration("9999_clone_check", "journey")
    journey.operations = [  # type: ignore[misc]
        migrations.AlterField(
            "candidate",
            "user",
            models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"),
        ),
        migrations.RenameField("candidate", "phone", "telephone"),
    ]
    with schema_context(schema):
        state = MigrationExecutor(connection).loader.project_state()
        with connection.schema_editor() as editor:
            state = accounts.apply(state, editor)
            journey.apply(state, editor)
    unique_on_username = _query(
        "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [f"{schema}.accounts_user"],
    )
    assert unique_on_username == [(0,)]
    assert _query(
        "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [f"{schema}.journey_candidate"],
    ) == [(1,)]
