"""django-tenants' PostgreSQL backend, safe behind PgBouncer in **transaction** pooling mode.

``ENGINE = "clea_tenants.pooling"`` (set by ``clea.settings.base.database_config`` when
``CLEA_DB_POOL_MODE=transaction``). Under transaction pooling a server connection is lent to a client for one
transaction only, then to another client: a session-level ``SET search_path`` (what django-tenants issues)
stays on the server connection and is seen by whichever client gets it next, while the client that issued
it may run its next transaction on a server connection set for another tenant. So this backend never issues
a session-level ``SET``; the schema travels with each transaction instead:

* **inside a transaction** (``atomic`` blocks, and every request: ``clea_tenants.pooling.middleware``), the
  first statement of the transaction is ``SET LOCAL search_path = <tenant>, public``, issued again whenever
  the tenant changes inside it, and after a ``ROLLBACK TO SAVEPOINT`` (which may undo it). ``SET LOCAL``
  ends with the transaction, so nothing is left behind on the server connection;
* **outside a transaction** (autocommit), every statement becomes its own transaction:
  ``BEGIN; SET LOCAL search_path = …`` then the statement, then ``COMMIT`` (``ROLLBACK`` if it failed).
  Correct but three round trips instead of one, which is why requests run in one transaction each.

Nothing runs with a stale ``search_path``: a statement either runs in a transaction whose first statement
set the path, or in one of its own that did. Statements sent on the raw psycopg connection (bypassing
Django's cursor) are not covered; the platform sends none that read tenant tables (``SET TIME ZONE`` at
connect time is a parameter PgBouncer tracks per client).

Server-side cursors and prepared statements do not survive transaction pooling either (PgBouncer 1.18):
``database_config`` sets ``DISABLE_SERVER_SIDE_CURSORS`` and psycopg's ``prepare_threshold = None``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.db.backends import utils as backend_utils
from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import quote_schema_name

DatabaseError = tenants_base.DatabaseError
IntegrityError = tenants_base.IntegrityError


class PooledCursorWrapper(backend_utils.CursorWrapper):
    """Runs a statement sent in autocommit mode in a transaction of its own that sets the schema first."""

    db: DatabaseWrapper

    def _execute(self, sql: Any, params: Any, *ignored: Any) -> Any:
        run = super()._execute  # type: ignore[misc]  # Django's private hook, absent from django-stubs
        return self.db.run_in_own_transaction(lambda: run(sql, params, *ignored))

    def _executemany(self, sql: Any, param_list: Any, *ignored: Any) -> Any:
        run = super()._executemany  # type: ignore[misc]
        return self.db.run_in_own_transaction(lambda: run(sql, param_list, *ignored))


class PooledDebugCursorWrapper(PooledCursorWrapper, backend_utils.CursorDebugWrapper):
    pass


class DatabaseWrapper(tenants_base.DatabaseWrapper):  # type: ignore[misc]
    """django-tenants' wrapper with a transaction-local ``search_path`` instead of a session one."""

    _setting_search_path: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The search_path set by ``SET LOCAL`` in the current transaction (None: not set in this one).
        self._local_search_path: list[str] | None = None
        super().__init__(*args, **kwargs)

    # --- what the current transaction knows ------------------------------------------------------------
    def _forget_local_path(self) -> None:
        self._local_search_path = None

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        super().set_tenant(tenant, include_public)
        self._forget_local_path()

    def close(self) -> None:
        self._forget_local_path()
        super().close()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._forget_local_path()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._forget_local_path()

    def savepoint_rollback(self, sid: str) -> None:
        try:
            super().savepoint_rollback(sid)
        finally:
            self._forget_local_path()  # ROLLBACK TO SAVEPOINT undoes a SET LOCAL issued after the savepoint

    def _set_autocommit(self, autocommit: bool) -> None:
        self._forget_local_path()
        super()._set_autocommit(autocommit)

    # --- the schema, per transaction -------------------------------------------------------------------
    def _search_path_sql(self) -> tuple[str, list[str]]:
        paths = self._get_cursor_search_paths()
        return "SET LOCAL search_path = " + ",".join(quote_schema_name(p) for p in paths), paths

    def _handle_search_path(self, cursor: Any = None) -> None:
        """Called by django-tenants for every cursor: ``SET LOCAL`` once per transaction and tenant."""
        if self._setting_search_path or self.get_autocommit():
            return  # autocommit: each statement sets the path in its own transaction (run_in_own_transaction)
        sql, paths = self._search_path_sql()
        if self._local_search_path == paths:
            return
        self._setting_search_path = True
        raw = self.connection.cursor() if cursor is None else cursor.cursor
        try:
            raw.execute(sql)  # psycopg opens the transaction (BEGIN) first: autocommit is off
        finally:
            self._setting_search_path = False
            if cursor is None:
                raw.close()
        self._local_search_path = paths
        self.search_path_set_schemas = paths

    def run_in_own_transaction(self, run: Callable[[], Any]) -> Any:
        """Run ``run`` (one statement) in the current transaction, or in one of its own under autocommit."""
        if not self.get_autocommit() or self.connection is None:
            return run()
        sql, _paths = self._search_path_sql()
        raw = self.connection  # its own cursors: the statement's cursor keeps its results for the caller
        raw.execute("BEGIN; " + sql)
        try:
            result = run()
        except BaseException:
            with contextlib.suppress(Exception):  # the connection may be gone; the original error matters
                raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")
        return result

    def make_cursor(self, cursor: Any) -> Any:
        return PooledCursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> Any:
        return PooledDebugCursorWrapper(cursor, self)
