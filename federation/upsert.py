"""Dialect-aware INSERT … ON CONFLICT, and the bulk writes of the ingest hot path.

SQLAlchemy builds and processes parameters per row, which costs more than the database itself when a batch writes
1000 rows. On SQLite, :func:`execute_many` compiles a statement once and hands the rows straight to the DBAPI
cursor, converting each value with the bind processors SQLAlchemy would use (tests/federation/test_upsert.py
compares what it writes with what the ORM reads). On PostgreSQL, :func:`copy_add` adds counters with COPY into a
temporary table and one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` (ratings themselves take the same route in
federation/ratings/ingest.py): no statement is parsed or planned per row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from psycopg import sql as psql
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Insert


def dialect_insert(session: Session, table: Table) -> Any:
    """An INSERT for ``table`` that offers ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    return insert_for(session.get_bind().dialect.name, table)


def insert_for(dialect_name: str, table: Table) -> Any:
    """The dialect's INSERT construct with ON CONFLICT support."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"arvio supports SQLite and PostgreSQL, not {dialect_name}")


class CompiledMany:
    """A statement compiled once for one dialect, with the bind processors of its parameters."""

    def __init__(self, statement: Insert, dialect: Dialect, columns: Sequence[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(columns))
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        names = list(compiled.positiontup or []) if self.positional else list(compiled.binds)
        self.names = names
        self.processors: list[Callable[[Any], Any] | None] = [
            compiled.binds[name].type._cached_bind_processor(dialect)
            for name in names
        ]
        self._values = operator.itemgetter(*names)
        self._converted = [(i, p) for i, p in enumerate(self.processors) if p is not None]

    def parameters(self, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """The rows as DBAPI parameters (tuples for qmark, dicts for pyformat). Values are taken in one C call
        per row and only the columns with a bind processor are converted (the hot path of every ingest)."""
        values, converted = self._values, self._converted
        many = len(self.names) > 1  # itemgetter of one name gives the value itself
        lists = [list(values(row)) if many else [values(row)] for row in rows]
        for i, process in converted:
            last_in: Any = _NOTHING
            last_out: Any = None
            for row in lists:
                value = row[i]
                if value is not last_in:  # a batch shares values (its receipt time): convert each once
                    last_in, last_out = value, process(value)
                row[i] = last_out
        if self.positional:
            return lists
        return [dict(zip(self.names, row, strict=True)) for row in lists]


_NOTHING = object()
_CACHE: dict[tuple[str, str, tuple[str, ...]], CompiledMany] = {}


def execute_many(session: Session, key: str, build: Callable[[str], Insert], rows: Sequence[dict[str, Any]]) -> int:
    """Execute the statement ``build(dialect_name)`` (cached under ``key``) for every row, on the DBAPI cursor;
    returns the DBAPI rowcount (rows inserted or updated)."""
    if not rows:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    columns = tuple(rows[0])
    cache_key = (key, dialect.name, columns)
    compiled = _CACHE.get(cache_key)
    if compiled is None:
        compiled = _CACHE[cache_key] = CompiledMany(build(dialect.name), dialect, columns)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(compiled.sql, compiled.parameters(rows))
        return int(cursor.rowcount)
    finally:
        cursor.close()


def driver_rows(session: Session, sql: str, parameters: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of one constant statement run on the DBAPI cursor of ``session``'s connection (no SQLAlchemy
    compilation or result processing; for the hot paths whose values need no conversion)."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())
    finally:
        cursor.close()


_COPY_SQL: dict[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...] | None], tuple[str, ...]] = {}


def copy_statements(cursor: Any, table: str, columns: Sequence[str], keys: Sequence[str],
                    counters: Sequence[str] | None) -> tuple[str, ...]:
    """The four statements of a COPY write into ``table`` (create the temporary table, COPY, INSERT … SELECT …
    ON CONFLICT, TRUNCATE), composed with quoted identifiers once per shape and cached: ``counters`` None means
    DO NOTHING … RETURNING the first key column, else DO UPDATE adding the counters."""
    cache_key = (table, tuple(columns), tuple(keys), None if counters is None else tuple(counters))
    found = _COPY_SQL.get(cache_key)
    if found is not None:
        return found
    names = psql.SQL(", ").join(map(psql.Identifier, columns))
    incoming = psql.Identifier(f"{table}_incoming")
    target = psql.Identifier(table)
    key_list = psql.SQL(", ").join(map(psql.Identifier, keys))
    if counters is None:
        conflict = psql.SQL("DO NOTHING RETURNING {}").format(psql.Identifier(keys[-1]))
    else:
        conflict = psql.SQL("DO UPDATE SET {}").format(psql.SQL(", ").join(
            psql.SQL("{c} = {t}.{c} + EXCLUDED.{c}").format(c=psql.Identifier(c), t=target) for c in counters))
    statements = (
        psql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} ON COMMIT DELETE ROWS AS SELECT {} FROM {} WITH NO DATA")
        .format(incoming, names, target),
        psql.SQL("COPY {} ({}) FROM STDIN").format(incoming, names),
        psql.SQL("INSERT INTO {target} ({names}) SELECT {names} FROM {incoming} ORDER BY {keys} "
                 "ON CONFLICT ({keys}) {conflict}").format(target=target, names=names, incoming=incoming,
                                                          keys=key_list, conflict=conflict),
        psql.SQL("TRUNCATE {}").format(incoming),
    )
    found = _COPY_SQL[cache_key] = tuple(statement.as_string(cursor.connection) for statement in statements)
    return found


def copy_write(session: Session, table: str, rows: Sequence[dict[str, Any]], keys: Sequence[str],
               counters: Sequence[str] | None) -> list[Any]:
    """PostgreSQL: write ``rows`` into ``table`` by COPY into a per-connection temporary table and one
    ``INSERT … SELECT … ORDER BY keys ON CONFLICT`` — no per-row statement to parse or plan, rows locked in key
    order so concurrent batches cannot deadlock. With ``counters``, existing keys get them added; without, existing
    keys are left alone and the values of the last key column that went in are returned."""
    if not rows:
        return []
    columns = list(rows[0])
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        create, copy_sql, insert, truncate = copy_statements(cursor, table, columns, keys, counters)
        cursor.execute(create)
        with cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
        cursor.execute(insert)
        inserted = [value for (value,) in cursor.fetchall()] if counters is None else []
        cursor.execute(truncate)
        return inserted
    finally:
        cursor.close()


def copy_add(session: Session, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
             counters: Sequence[str]) -> None:
    """PostgreSQL: add ``counters`` of ``rows`` to ``table`` — new keys inserted, existing ones incremented
    (:func:`copy_write`). ``rows`` must hold each key once."""
    copy_write(session, table.name, rows, keys, counters)
