"""Serialising concurrent writers of one thing (check-then-insert, next number) within their transaction.

On PostgreSQL a transaction-scoped advisory lock keyed by the thing's name: a second writer of the same thing
waits until the first commits or rolls back, then (READ COMMITTED) sees its rows, so eight identical concurrent
requests behave like eight requests in a row. SQLite needs nothing: writers already queue on ``BEGIN IMMEDIATE``.
Take the lock before reading what the decision depends on.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def lock_key(*parts: str) -> int:
    """A stable signed 64-bit key for the lock of ``parts`` (the same in every process)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def serialise(session: Session, *parts: str) -> None:
    """Wait for, then hold until the transaction ends, the lock of ``parts`` (e.g. ``"organisation", id``)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(lock_key(*parts))))
