"""Upgrading the database after a release: shared schema, template, then only the tenants that are behind.

``migrate_schemas`` runs Django's whole ``migrate`` command in every tenant schema, one after the
other, even when there is nothing to apply: ~0.8 s per schema (12 minutes for 900 tenants). Here:
1. the shared schema is migrated (``migrate_schemas --shared``), then the template is rebuilt if
   the tenant migrations changed (``prepare_tenant_template``);
2. ``find_stale_schemas`` asks PostgreSQL, with **one** query over every tenant schema, which
   migrations of the project's graph each ``django_migrations`` table lacks (~1 s for 1,000
   schemas); up-to-date schemas are skipped;
3. ``migrate_schemas_in_parallel`` runs the migration plan in the stale schemas only, in a pool of
   worker processes, as ``migrate`` does (pre_migrate, executor, post_migrate), each worker rendering
   the project state once rather than twice per schema. When every pending migration of a schema is
   atomic (the default), the whole schema is migrated in **one** transaction: it ends fully
   upgraded, or untouched if a migration fails. Failures are collected (schema, migration, one-line
   error), never raised mid-way.

``manage.py upgrade_schemas`` (the Helm migrate Job) drives these steps.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import django
from django.apps import apps
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection, connections, transaction
from django.db.migrations import Migration
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import get_public_schema_name, get_tenant_model

from clea_tenants.schemas import use_public_schema

MigrationKey = tuple[str, str]


@dataclass(frozen=True)
class MigrationTargets:
    """What an up-to-date schema has applied: every node of the project's migration graph."""

    nodes: frozenset[MigrationKey]
    replaces: dict[MigrationKey, tuple[MigrationKey, ...]]  # squashed migration -> the ones it replaces
    non_atomic: frozenset[MigrationKey]

    @classmethod
    def from_disk(cls) -> MigrationTargets:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        nodes = frozenset(loader.graph.nodes)
        replaces = {
            key: tuple((str(app), str(name)) for app, name in migration.replaces)
            for key, migration in loader.graph.nodes.items()
            if migration.replaces
        }
        non_atomic = frozenset(key for key, migration in loader.graph.nodes.items() if not migration.atomic)
        return cls(nodes, replaces, non_atomic)

    def checked_keys(self) -> list[str]:
        keys = set(self.nodes) | {r for replaced in self.replaces.values() for r in replaced}
        return sorted(f"{app}.{name}" for app, name in keys)

    def missing(self, absent: Iterable[str]) -> tuple[str, ...]:
        """The graph nodes a schema lacks, given which checked keys its ``django_migrations`` lacks."""
        absent_keys = {tuple(key.split(".", 1)) for key in absent}
        missing = []
        for node in self.nodes:
            if node not in absent_keys:
                continue
            replaced = self.replaces.get(node)
            if replaced and not any(r in absent_keys for r in replaced):
                continue  # a squash whose replaced migrations are all applied: nothing to run
            missing.append(f"{node[0]}.{node[1]}")
        return tuple(sorted(missing))


@dataclass(frozen=True)
class SchemaState:
    schema: str
    missing: tuple[str, ...]  # "app.name" of unapplied migrations; ("*",) when there is no history at all
    exists: bool = True


# One round trip for all schemas, on any PostgreSQL build (no SQL/XML, which embedded or minimal builds
# lack): a PL/pgSQL function of the session's temporary schema loops over the schemas and, for each one
# that has a django_migrations table, runs (server side, ``EXECUTE format(...)``) the query listing which
# expected migrations it lacks. A UNION ALL of one branch per schema took 16 s to plan for 1,000 schemas;
# the loop costs one small query per schema inside the server (figures: docs/BENCHMARKS.md, "stale schemas").
# The function lives in ``pg_temp``: nothing is left in the database, it disappears with the session.
_STALE_FUNCTION = """
CREATE OR REPLACE FUNCTION pg_temp.clea_absent_migrations(expected text[], schemas text[])
RETURNS TABLE (schema_name text, schema_exists boolean, has_history boolean, absent text[])
LANGUAGE plpgsql AS $body$
DECLARE
    namespace oid;
    history oid;
BEGIN
    FOREACH schema_name IN ARRAY schemas LOOP
        SELECT n.oid INTO namespace FROM pg_namespace n WHERE n.nspname = schema_name;
        history := NULL;
        IF namespace IS NOT NULL THEN
            SELECT c.oid INTO history FROM pg_class c
             WHERE c.relnamespace = namespace AND c.relname = 'django_migrations' AND c.relkind = 'r';
        END IF;
        absent := NULL;
        IF history IS NOT NULL THEN
            EXECUTE format(
                'SELECT array(SELECT k FROM unnest($1) k EXCEPT SELECT app || ''.'' || name FROM %I.django_migrations)',
                schema_name
            ) INTO absent USING expected;
        END IF;
        schema_exists := namespace IS NOT NULL;
        has_history := history IS NOT NULL;
        RETURN NEXT;
    END LOOP;
END
$body$
"""
_STALE_SQL = "SELECT schema_name, schema_exists, has_history, absent FROM pg_temp.clea_absent_migrations(%s, %s)"


def tenant_schemas() -> list[str]:
    public = get_public_schema_name()
    names = get_tenant_model().objects.exclude(schema_name=public).values_list("schema_name", flat=True)
    return sorted(str(name) for name in names)


def find_stale_schemas(schemas: list[str] | None = None, targets: MigrationTargets | None = None) -> list[SchemaState]:
    """The tenant schemas that lack at least one migration of the graph (one query for all of them)."""
    use_public_schema()
    schemas = tenant_schemas() if schemas is None else schemas
    targets = targets or MigrationTargets.from_disk()
    if not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_STALE_FUNCTION)  # no parameters: the body's % signs are not placeholders
        cursor.execute(_STALE_SQL, [targets.checked_keys(), schemas])
        found = {row[0]: (row[1], row[2], list(row[3] or [])) for row in cursor.fetchall()}
    states = []
    for schema in schemas:
        exists, has_history, absent = found[schema]
        if not exists:
            states.append(SchemaState(schema, ("*",), exists=False))
        elif not has_history:
            states.append(SchemaState(schema, ("*",)))
        elif missing := targets.missing(absent):
            states.append(SchemaState(schema, missing))
    return states


# --- migrating one schema ------------------------------------------------------------------------


@dataclass
class Outcome:
    schema: str
    applied: list[str] = field(default_factory=list)
    error: str | None = None
    failed_migration: str | None = None
    kept: list[str] = field(default_factory=list)  # applied before a failure and not rolled back
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def failure_line(self) -> str:
        where = f" at {self.failed_migration}" if self.failed_migration else ""
        state = f"kept {len(self.kept)} earlier migration(s)" if self.kept else "nothing applied"
        return f"{self.schema}{where}: {self.error} ({state})"


class _Progress:
    """The executor's progress callback: which migration is being applied, which are done."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.applied: list[str] = []

    def __call__(self, action: str, migration: Migration | None = None, fake: bool | None = False, /) -> None:
        if migration is None:
            return
        if action == "apply_start":
            self.current = f"{migration.app_label}.{migration.name}"
        elif action == "apply_success":
            self.applied.append(f"{migration.app_label}.{migration.name}")
            self.current = None


# Per process: the project state before the plan, rendered, for the last applied set seen. Stale
# schemas nearly always share one applied set, and rendering the state of ~50 migrations is the
# largest cost of ``migrate`` after the migrations themselves.
_pre_states: dict[frozenset[MigrationKey], Any] = {}


def _run_plan(progress: _Progress) -> None:
    """What ``manage.py migrate`` does in the current schema, minus its output and the checks that
    ``upgrade_schemas`` already made: pre_migrate, the plan, post_migrate (for every app, as migrate)."""

    executor = MigrationExecutor(connection, progress)
    executor.loader.check_consistent_history(connection)
    conflicts = executor.loader.detect_conflicts()
    if conflicts:
        raise RuntimeError(f"conflicting migrations, run makemigrations --merge: {sorted(conflicts)}")
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    if not plan:
        return
    applied = frozenset(executor.loader.applied_migrations)
    pre_state = _pre_states.get(applied)
    if pre_state is None:
        pre_state = executor._create_project_state(with_applied_migrations=True)  # type: ignore[attr-defined]
        pre_state.apps  # noqa: B018 - render once, reused (cloned) for every schema with this applied set
        _pre_states.clear()
        _pre_states[applied] = pre_state
    state = pre_state.clone()
    emit_pre_migrate_signal(0, False, connection.alias, stdout=io.StringIO(), apps=state.apps, plan=plan)
    executor.migrate(targets, plan=plan, state=state, fake=False, fake_initial=False)
    # The models are now those of the code: post_migrate with the global registry (as ``flush``).
    emit_post_migrate_signal(0, False, connection.alias, stdout=io.StringIO(), plan=plan)


@contextmanager
def _recorder_looks_in_current_schema() -> Iterator[None]:
    """Make ``MigrationRecorder.has_table()`` ask for its one table in the current schema.

    Django's version lists every visible table (``pg_table_is_visible()`` over the whole of
    ``pg_class``: ~150,000 rows with 1,000 tenant schemas), and the loader, the executor and
    ``ensure_schema`` each call it: that made one migrated schema cost ~1 s at 1,000 tenants.
    ``current_schema()`` is the tenant schema (first of ``search_path``), as django-tenants'
    introspection would see it.
    """
    original = MigrationRecorder.has_table

    def has_table(self: MigrationRecorder) -> bool:
        if self._has_table:  # type: ignore[attr-defined]
            return True
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relname = %s AND c.relkind IN ('r', 'p'))",
                [self.Migration._meta.db_table],
            )
            row = cursor.fetchone()
        self._has_table = bool(row and row[0])  # type: ignore[attr-defined]
        return bool(self._has_table)  # type: ignore[attr-defined]

    MigrationRecorder.has_table = has_table  # type: ignore[method-assign]
    try:
        yield
    finally:
        MigrationRecorder.has_table = original  # type: ignore[method-assign]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:300]}"


def migrate_schema(schema: str, *, single_transaction: bool = True) -> Outcome:
    """Run ``migrate`` in one tenant schema; never raises (the error is in the outcome).

    With ``single_transaction`` (all pending migrations atomic), the schema is migrated in one
    transaction: fully, or not at all.
    """
    # Imported here: this module is imported by the spawned upgrade workers before django.setup() (_worker_init),
    # and a model cannot be imported before the app registry is ready.
    from django.contrib.contenttypes.models import ContentType

    started = time.perf_counter()
    outcome = Outcome(schema)
    progress = _Progress()
    tenant_connection: Any = connection
    try:
        ContentType.objects.clear_cache()  # content type ids are per schema
        with _recorder_looks_in_current_schema(), transaction.atomic() if single_transaction else nullcontext():
            # django_migrations must exist in the tenant schema itself, or public's would be read.
            tenant_connection.set_schema(schema, include_public=False)
            MigrationRecorder(connection).ensure_schema()
            tenant_connection.set_schema(schema)
            _run_plan(progress)
        outcome.applied = list(progress.applied)
    except Exception as exc:
        outcome.error = _one_line(exc)
        outcome.failed_migration = progress.current
        outcome.kept = [] if single_transaction else list(progress.applied)
    finally:
        ContentType.objects.clear_cache()
        use_public_schema()
    outcome.seconds = time.perf_counter() - started
    return outcome


# --- in parallel ---------------------------------------------------------------------------------


def _close_connections() -> None:
    """Before forking: children must open their own connections (and their own psycopg pools)."""
    for conn in connections.all(initialized_only=True):
        conn.close()
        close_pool = getattr(conn, "close_pool", None)
        if close_pool is not None and getattr(conn, "pool", None) is not None:
            close_pool()


def _worker_init() -> None:
    if not apps.ready:  # "spawn" start method: a fresh interpreter
        django.setup()
    for conn in connections.all(initialized_only=True):
        conn.connection = None  # the parent's socket (closed before the fork) is not ours
        conn.close()


def _migrate_task(task: tuple[str, bool]) -> Outcome:
    schema, single_transaction = task
    return migrate_schema(schema, single_transaction=single_transaction)


def migrate_schemas_in_parallel(
    states: list[SchemaState],
    *,
    workers: int,
    targets: MigrationTargets | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Migrate the given stale schemas, ``workers`` at a time. Returns one outcome per schema."""
    targets = targets or MigrationTargets.from_disk()
    outcomes: list[Outcome] = []
    tasks: list[tuple[str, bool]] = []
    for state in states:
        if not state.exists:
            outcome = Outcome(state.schema, error="schema does not exist")
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
            continue
        pending = targets.nodes if state.missing == ("*",) else {tuple(k.split(".", 1)) for k in state.missing}
        single = not (pending & targets.non_atomic)
        tasks.append((state.schema, single))

    def report(results: Iterator[Outcome]) -> None:
        for outcome in results:
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)

    if workers <= 1 or len(tasks) <= 1:
        report(_migrate_task(task) for task in tasks)
        return outcomes
    _close_connections()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(processes=min(workers, len(tasks)), initializer=_worker_init) as pool:
        report(pool.imap_unordered(_migrate_task, tasks, chunksize=1))
    return outcomes


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))
