"""Dialect-aware INSERT … ON CONFLICT, and the bulk writes of the ingest hot path.

SQLAlchemy builds and processes parameters per row, which costs more than the database itself when a batch writes
1000 rows. On SQLite, :func:`execute_many` compiles a statement once and hands the rows straight to the DBAPI
cursor, converting each value with the bind processors SQLAlchemy would use (tests/federation/test_upsert.py
compares what it writes with what the ORM reads). On PostgreSQL, :func:`copy_add` adds counters with COPY into a
temporary table and one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` (ratings themselves take the same route in
federation/ratings/ingest.py): no statement is parsed or planned per row.
"""

from __future__ import annotations

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

    def parameters(self, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """The rows as DBAPI parameters (tuples for qmark, dicts for pyformat)."""
        pairs = list(zip(self.names, self.processors, strict=True))
        if self.positional:
            return [tuple(p(row[n]) if p else row[n] for n, p in pairs) for row in rows]
        return [{n: p(row[n]) if p else row[n] for n, p in pairs} for row in rows]


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


def copy_add(session: Session, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
             counters: Sequence[str]) -> None:
    """PostgreSQL: add ``counters`` of ``rows`` to ``table`` — new keys inserted, existing ones incremented — by
    COPY into a per-connection temporary table and one ``INSERT … SELECT … ORDER BY keys ON CONFLICT DO UPDATE``
    (no per-row statement to parse or plan; rows locked in key order, so concurrent batches cannot deadlock).
    ``rows`` must hold each key once."""
    if not rows:
        return
    columns = list(rows[0])
    names = psql.SQL(", ").join(map(psql.Identifier, columns))
    incoming = psql.Identifier(f"{table.name}_incoming")
    target = psql.Identifier(table.name)
    additions = psql.SQL(", ").join(
        psql.SQL("{c} = {t}.{c} + EXCLUDED.{c}").format(c=psql.Identifier(c), t=target) for c in counters)
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(psql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} ON COMMIT DELETE ROWS AS SELECT {} FROM {} "
                                "WITH NO DATA").format(incoming, names, target))
        with cursor.copy(psql.SQL("COPY {} ({}) FROM STDIN").format(incoming, names)) as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
        key_list = psql.SQL(", ").join(map(psql.Identifier, keys))
        cursor.execute(psql.SQL("INSERT INTO {target} ({names}) SELECT {names} FROM {incoming} ORDER BY {keys} "
                                "ON CONFLICT ({keys}) DO UPDATE SET {additions}").format(
            target=target, names=names, incoming=incoming, keys=key_list, additions=additions))
        cursor.execute(psql.SQL("TRUNCATE {}").format(incoming))
    finally:
        cursor.close()
