"""Database engine, sessions and the column types shared by every model.

SQLite (the embedded default) and PostgreSQL (production) are both first-class. Every timestamp is stored and
returned as timezone-aware UTC. On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so two concurrent
writers queue on the database lock instead of failing when a read transaction tries to upgrade.

With ``ARVIO_READ_DATABASE_URL`` (a PostgreSQL hot standby of the primary), ``session(replica=True)`` reads from the
standby: the reads that tolerate lag ask for it (public scores, GraphQL queries, exports and the subgraph, draw
configs). Everything else reads and writes the primary: mutations and ingest, whatever a read must keep (the audit
and the research budget go through ``Context.write_transaction``, on the primary), the NDJSON upload's checks.
A standby lags the primary (usually milliseconds, more under load or while it replays a long transaction): a
replica read may not see a write committed a moment ago on any host. Unset, every session is on the primary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BigInteger, DateTime, Engine, Integer, create_engine, event
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator, TypeEngine

from federation.settings import Settings

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")

_IMMEDIATE = "arvio_immediate"


class _SQLiteUTCText(sqlite.DATETIME):
    """SQLite's text timestamps (``YYYY-MM-DD HH:MM:SS.ffffff``, what ``sqlite.DATETIME`` writes and reads), written
    by ``datetime.isoformat`` in C instead of SQLAlchemy's %-formatting of seven fields: 1.9 against 3–16 µs per
    value (``timeit``), two values per rating on the ingest hot path. Values come in as UTC (see UTCDateTime)."""

    def bind_processor(self, dialect: Dialect) -> Any:
        def process(value: dt.datetime | None) -> str | None:
            if value is None:
                return None
            return value.isoformat(" ", "microseconds")[:26]  # UTC already: the "+00:00" is cut off
        return process


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return _SQLiteUTCText()  # type: ignore[no-untyped-call]
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None or value.tzinfo is dt.UTC:  # the common case on the ingest hot path: nothing to do
            return value
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; attach a timezone (UTC) first")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base of every arvio table."""


def utcnow() -> dt.datetime:
    """The current time as an aware UTC datetime (only the edges call this; domain code gets ``now`` passed in)."""
    return dt.datetime.now(dt.UTC)


def make_engine(settings: Settings, url: str | None = None) -> Engine:
    """Create the engine for ``url`` (``settings.database_url`` by default) with the per-dialect settings arvio
    relies on."""
    url = url or settings.database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    # PgBouncer in transaction mode hands each transaction any server connection, where a statement psycopg
    # prepared on another one does not exist: prepare none (psycopg prepares after 5 runs by default).
    connect_args = {"prepare_threshold": None} if settings.database_pooler == "pgbouncer-transaction" else {}
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True, connect_args=connect_args)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writers can ask for BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk (WAL fsynced) before the call returns, so an acknowledged batch survives
            # a power loss; NORMAL could lose the last commits. Measured cost: bench/durability.py.
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engines (the primary, and the read replica if one is configured) and the session factories: reads,
    writes (which take the write lock up front) and reads that tolerate lag."""

    def __init__(self, settings: Settings, engine: Engine | None = None, read_engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        if read_engine is None and settings.read_database_url:
            read_engine = make_engine(settings, settings.read_database_url)
        self.read_engine = read_engine or self.engine
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False)
        self._replica = sessionmaker(self.read_engine, expire_on_commit=False) if read_engine else self._reads

    @property
    def has_replica(self) -> bool:
        """Whether lag-tolerant reads go to a separate read replica."""
        return self.read_engine is not self.engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def session(self, *, write: bool = False, replica: bool = False) -> Session:
        """A new session; the caller owns its transaction (commit or rollback). ``replica``: a read that tolerates
        lag, on the read replica when one is configured (never for ``write``)."""
        if write:
            return self._writes()
        return (self._replica if replica else self._reads)()

    @contextmanager
    def transaction(self, *, write: bool = True, replica: bool = False) -> Iterator[Session]:
        """A session whose transaction commits when the block ends and rolls back on an exception."""
        session = self.session(write=write, replica=replica)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        if self.has_replica:
            self.read_engine.dispose()
