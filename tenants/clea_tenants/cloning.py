"""A fast, faithful copy of the tenant template schema, as one SQL script run in one round trip.

django-tenants' ``clone_schema()`` is a generic PL/pgSQL function: for every clone it re-creates
itself (~4,600 lines), then walks the catalogue object by object and builds each statement with
string functions -- about 0.2 s for our ~20 tables, nearly all of a tenant's provisioning time.

Here the catalogue of the template is read **once per template** (per schema oid and migration
fingerprint) and turned into a script, kept in memory by each process. Cloning a tenant is then::

    CREATE SCHEMA "org_x";
    <set search_path to "org_x" for the rest of the transaction>
    CREATE SEQUENCE / CREATE TABLE ... (columns, defaults, identity, PK/UNIQUE/CHECK/EXCLUDE)
    INSERT INTO t SELECT ... FROM "clea_template".t          -- django_migrations, content types...
    SELECT setval(...) FROM "clea_template".seq               -- sequences where the template left them
    CREATE INDEX ...; ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ...; CREATE TRIGGER ...; COMMENT ON ...
    <restore the caller's search_path>

Schema names never need rewriting: the definitions are read with ``search_path`` set to the
template alone, so PostgreSQL prints references to template objects (FK targets, sequences in
defaults, index tables) *unqualified*, and everything else (``public``...) qualified. Executed with
``search_path`` set to the new schema, those unqualified names bind to the new schema's objects.

When the template holds something this script does not reproduce (functions, views, own types,
disabled triggers, row security, grants, partitions...), ``clone_script`` returns None and the caller falls
back to django-tenants' ``clone_schema``. ``tests/tenants/test_cloning.py`` compares the catalogue
of a clone with the template's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

_SAVED_PATH_GUC = "clea.clone_saved_search_path"


def quote_ident(name: str) -> str:
    """Always-quoted SQL identifier (exact, whatever the case or keywords)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class CloneScript:
    """The statements that rebuild the template in the schema named by ``search_path``."""

    template: str
    template_oid: int
    fingerprint: str
    body: str
    tables: int
    statements: int

    def render(self, schema_name: str) -> str:
        """The whole clone of ``schema_name`` as one multi-statement string (no parameters)."""
        path = quote_literal(quote_ident(schema_name))
        return (
            f"CREATE SCHEMA {quote_ident(schema_name)};\n"
            f"SELECT set_config('{_SAVED_PATH_GUC}', current_setting('search_path'), true),"
            f" set_config('search_path', {path}, true);\n"
            f"{self.body}"
            f"SELECT set_config('search_path', current_setting('{_SAVED_PATH_GUC}'), true);\n"
        )


_cache: dict[tuple[int, str], CloneScript | None] = {}
_cache_lock = threading.Lock()


def cached_clone_script(cursor: Any, template: str, template_oid: int, fingerprint: str) -> CloneScript | None:
    """The script for this template (schema oid + fingerprint), built on first use in the process.

    None (also cached) when the template holds objects the script does not reproduce.
    """
    key = (template_oid, fingerprint)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    script = build_clone_script(cursor, template, template_oid, fingerprint)
    with _cache_lock:
        for stale in [k for k in _cache if k[1] != fingerprint or k[0] != template_oid]:
            del _cache[stale]  # one template at a time: drop scripts of replaced templates
        _cache[key] = script
    return script


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


@contextmanager
def local_search_path(cursor: Any, schema_name: str) -> Iterator[None]:
    """``search_path`` = ``schema_name`` alone until the block ends (transaction-local, restored).

    On an error the caller's transaction (or savepoint) is rolled back, which restores it too.
    """
    cursor.execute(
        f"SELECT set_config('{_SAVED_PATH_GUC}', current_setting('search_path'), true), "
        "set_config('search_path', %s, true)",
        [quote_ident(schema_name)],
    )
    yield
    cursor.execute(f"SELECT set_config('search_path', current_setting('{_SAVED_PATH_GUC}'), true)")


# --- reading the template's catalogue ----------------------------------------------------------

_UNSUPPORTED_SQL = """
SELECT 'relation ' || c.relname || ' of kind ' || c.relkind::text
  FROM pg_class c WHERE c.relnamespace = %(nsp)s AND c.relkind NOT IN ('r', 'i', 'S')
UNION ALL SELECT 'table ' || c.relname || ' has grants, row security, partitions, a tablespace or a replica identity'
  FROM pg_class c WHERE c.relnamespace = %(nsp)s AND c.relkind IN ('r', 'i', 'S')
   AND (c.relacl IS NOT NULL OR c.relrowsecurity OR c.relispartition OR c.reltablespace <> 0
        OR (c.relkind = 'r' AND c.relreplident <> 'd'))
UNION ALL SELECT 'table ' || c.relname || ' inherits'
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relnamespace = %(nsp)s
UNION ALL SELECT 'trigger ' || t.tgname || ' is not simply enabled'
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = %(nsp)s AND NOT t.tgisinternal AND t.tgenabled <> 'O'
UNION ALL SELECT 'rule ' || r.rulename
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = %(nsp)s
UNION ALL SELECT 'policy ' || p.polname
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = %(nsp)s
UNION ALL SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = %(nsp)s
UNION ALL SELECT 'type ' || t.typname FROM pg_type t
  WHERE t.typnamespace = %(nsp)s AND t.typrelid = 0
    AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typrelid <> 0)
UNION ALL SELECT 'statistics ' || s.stxname FROM pg_statistic_ext s WHERE s.stxnamespace = %(nsp)s
UNION ALL SELECT 'collation ' || o.collname FROM pg_collation o WHERE o.collnamespace = %(nsp)s
UNION ALL SELECT 'operator ' || o.oprname FROM pg_operator o WHERE o.oprnamespace = %(nsp)s
UNION ALL SELECT 'extension ' || x.extname FROM pg_extension x WHERE x.extnamespace = %(nsp)s
UNION ALL SELECT 'column ' || c.relname || '.' || a.attname || ' has its own storage or compression'
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
 WHERE c.relnamespace = %(nsp)s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
   AND (a.attstorage <> t.typstorage OR a.attcompression <> ''::"char"
        OR EXISTS (SELECT 1 FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\\_attver=%%'))
UNION ALL SELECT 'index ' || c.relname || ' is invalid or clustered'
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relnamespace = %(nsp)s AND (NOT i.indisvalid OR i.indisclustered)
UNION ALL SELECT 'sequence ' || s.relname || ' owned by another schema''s table'
  FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND d.classid = 'pg_class'::regclass
  JOIN pg_class t ON t.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass
 WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') AND (s.relnamespace = %(nsp)s) <> (t.relnamespace = %(nsp)s)
"""

_TABLES_SQL = """
SELECT c.oid, c.relname, c.relpersistence, c.reloptions
  FROM pg_class c WHERE c.relnamespace = %(nsp)s AND c.relkind = 'r' ORDER BY c.relname
"""

_COLUMNS_SQL = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod),
       CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::regcollation::text END,
       a.attnotnull, a.attidentity, a.attgenerated,
       CASE WHEN a.atthasdef THEN pg_get_expr(d.adbin, d.adrelid) END,
       s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_depend dep ON a.attidentity <> '' AND dep.refclassid = 'pg_class'::regclass
       AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass
       AND dep.deptype = 'i'
  LEFT JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
  LEFT JOIN pg_sequence q ON q.seqrelid = s.oid
 WHERE c.relnamespace = %(nsp)s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
"""

_CONSTRAINTS_SQL = """
SELECT k.conrelid, k.conname, k.contype, pg_get_constraintdef(k.oid), k.convalidated
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
 WHERE c.relnamespace = %(nsp)s AND c.relkind = 'r' AND k.contype IN ('p', 'u', 'x', 'c', 'f')
 ORDER BY k.conrelid, array_position(ARRAY['p', 'u', 'x', 'c', 'f']::"char"[], k.contype), k.conname
"""

_INDEXES_SQL = """
SELECT pg_get_indexdef(i.indexrelid, 0, true)
  FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
 WHERE x.relnamespace = %(nsp)s
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                   AND k.contype IN ('p', 'u', 'x'))
 ORDER BY x.relname
"""

# Triggers (not the internal ones of foreign keys), created last so that they do not fire on the copy.
_TRIGGERS_SQL = """
SELECT pg_get_triggerdef(t.oid, true)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = %(nsp)s AND NOT t.tgisinternal
 ORDER BY c.relname, t.tgname
"""

# Sequences that are not identity sequences (those come with their column): free-standing ones and
# serial-style ones (owned by a column, used by its nextval() default).
_SEQUENCES_SQL = """
SELECT s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache,
       q.seqcycle, t.relname, a.attname
  FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_class t ON t.oid = d.refobjid
  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
 WHERE s.relnamespace = %(nsp)s AND s.relkind = 'S' AND d.deptype IS DISTINCT FROM 'i'
 ORDER BY s.relname
"""

_ALL_SEQUENCES_SQL = "SELECT relname FROM pg_class WHERE relnamespace = %(nsp)s AND relkind = 'S' ORDER BY relname"

# COMMENT statements, quoted by PostgreSQL itself.
_COMMENTS_SQL = """
SELECT format('COMMENT ON %%s %%s IS %%L;', CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'i' THEN 'INDEX'
              ELSE 'SEQUENCE' END, quote_ident(c.relname), d.description)
  FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
 WHERE c.relnamespace = %(nsp)s
UNION ALL
SELECT format('COMMENT ON COLUMN %%s.%%s IS %%L;', quote_ident(c.relname), quote_ident(a.attname), d.description)
  FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
 WHERE c.relnamespace = %(nsp)s AND d.objsubid > 0
UNION ALL
SELECT format('COMMENT ON CONSTRAINT %%s ON %%s IS %%L;', quote_ident(k.conname), quote_ident(c.relname), d.description)
  FROM pg_description d JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid
  JOIN pg_class c ON c.oid = k.conrelid
 WHERE c.relnamespace = %(nsp)s
"""


def _rows(cursor: Any, sql: str, nsp: int) -> list[tuple[Any, ...]]:
    cursor.execute(sql, {"nsp": nsp})
    return list(cursor.fetchall())


def _sequence_options(start: int, increment: int, minimum: int, maximum: int, cache: int, cycle: bool) -> str:
    return (
        f"START WITH {start} INCREMENT BY {increment} MINVALUE {minimum} MAXVALUE {maximum} CACHE {cache}"
        f"{' CYCLE' if cycle else ' NO CYCLE'}"
    )


def _column_definition(row: Sequence[Any]) -> str:
    (_, name, type_sql, collation, not_null, identity, generated, default, seq_name, _seq_type, *seq_opts) = row
    parts = [quote_ident(name), type_sql]
    if collation:
        parts.append(f"COLLATE {collation}")
    if generated == "s":
        parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
    elif default is not None:
        parts.append(f"DEFAULT {default}")
    if identity:
        kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
        options = f"SEQUENCE NAME {quote_ident(seq_name)} {_sequence_options(*seq_opts)}"
        parts.append(f"GENERATED {kind} AS IDENTITY ({options})")
    if not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


def build_clone_script(cursor: Any, template: str, template_oid: int, fingerprint: str) -> CloneScript | None:
    """Read the template's catalogue and write the clone script; None if the template is out of reach."""
    nsp = template_oid
    with local_search_path(cursor, template):  # template objects print unqualified, the rest qualified
        unsupported = [row[0] for row in _rows(cursor, _UNSUPPORTED_SQL, nsp)]
        if unsupported:
            logger.warning("template %s: fast clone unavailable (%s)", template, "; ".join(unsupported[:5]))
            return None
        tables = _rows(cursor, _TABLES_SQL, nsp)
        columns = _rows(cursor, _COLUMNS_SQL, nsp)
        constraints = _rows(cursor, _CONSTRAINTS_SQL, nsp)
        indexes = [row[0] for row in _rows(cursor, _INDEXES_SQL, nsp)]
        sequences = _rows(cursor, _SEQUENCES_SQL, nsp)
        all_sequences = [row[0] for row in _rows(cursor, _ALL_SEQUENCES_SQL, nsp)]
        triggers = [row[0] for row in _rows(cursor, _TRIGGERS_SQL, nsp)]
        comments = [row[0] for row in _rows(cursor, _COMMENTS_SQL, nsp)]

    source = quote_ident(template)
    columns_by_table: dict[int, list[tuple[Any, ...]]] = {}
    for row in columns:
        columns_by_table.setdefault(row[0], []).append(row)
    inline: dict[int, list[str]] = {}
    deferred: dict[int, list[str]] = {}  # foreign keys and NOT VALID constraints: after the data
    for relid, name, kind, definition, validated in constraints:
        bucket = deferred if kind == "f" or not validated else inline
        bucket.setdefault(relid, []).append(f"CONSTRAINT {quote_ident(name)} {definition}")

    statements: list[str] = []
    owned_by: list[str] = []
    for name, type_sql, *options, owner_table, owner_column in sequences:
        statements.append(f"CREATE SEQUENCE {quote_ident(name)} AS {type_sql} {_sequence_options(*options)}")
        if owner_table is not None:
            column = f"{quote_ident(owner_table)}.{quote_ident(owner_column)}"
            owned_by.append(f"ALTER SEQUENCE {quote_ident(name)} OWNED BY {column}")
    copies: list[str] = []
    for oid, table, persistence, reloptions in tables:
        table_columns = columns_by_table.get(oid, [])
        elements = [_column_definition(row) for row in table_columns] + inline.get(oid, [])
        unlogged = "UNLOGGED " if persistence == "u" else ""
        storage = f" WITH ({', '.join(reloptions)})" if reloptions else ""
        statements.append(f"CREATE {unlogged}TABLE {quote_ident(table)} ({', '.join(elements)}){storage}")
        copied = [quote_ident(row[1]) for row in table_columns if row[6] != "s"]  # not generated columns
        if copied:
            overriding = " OVERRIDING SYSTEM VALUE" if any(row[5] == "a" for row in table_columns) else ""
            listed = ", ".join(copied)
            target = quote_ident(table)
            copies.append(f"INSERT INTO {target} ({listed}){overriding} SELECT {listed} FROM {source}.{target}")
    statements += owned_by
    statements += copies
    if all_sequences:  # each sequence resumes where the template's stands
        calls = ", ".join(
            f"setval({quote_literal(quote_ident(seq))}, s{n}.last_value, s{n}.is_called)"
            for n, seq in enumerate(all_sequences)
        )
        sources = ", ".join(f"{source}.{quote_ident(seq)} s{n}" for n, seq in enumerate(all_sequences))
        statements.append(f"SELECT {calls} FROM {sources}")
    statements += indexes
    for oid, table, *_ in tables:
        if deferred.get(oid):
            statements.append(f"ALTER TABLE {quote_ident(table)} " + ", ".join(f"ADD {c}" for c in deferred[oid]))
    statements += triggers
    statements += [comment.rstrip(";") for comment in comments]
    body = "".join(f"{statement};\n" for statement in statements)
    return CloneScript(template, template_oid, fingerprint, body, len(tables), len(statements))
