"""Token buckets shared by every app host, in the ``rate_bucket`` table of PostgreSQL.

One request to the database takes up to ``lease`` tokens from a caller's bucket with one atomic
``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the row lock serialises hosts taking from the same bucket, and the
refill is computed from the database's clock, so hosts whose clocks differ still agree. The host spends a lease
locally (schema/http/limits.py), so the allowance over all hosts never exceeds the bucket's; at most ``lease - 1``
tokens a host took but did not spend are lost to the caller, which makes the limit stricter, never looser.
A bucket whose row is older than a full refill is the same as no row; :func:`prune` deletes those.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine

MAX_KEY_CHARS = 120

_TAKE = """
INSERT INTO rate_bucket AS b (key, tokens, at, granted)
VALUES (%(key)s, %(cap)s - LEAST(%(lease)s, FLOOR(%(cap)s)), EXTRACT(EPOCH FROM clock_timestamp()),
        LEAST(%(lease)s, FLOOR(%(cap)s))::int)
ON CONFLICT (key) DO UPDATE SET
  tokens = LEAST(%(cap)s, b.tokens + GREATEST(0.0, EXCLUDED.at - b.at) * %(rate)s)
           - LEAST(%(lease)s, FLOOR(LEAST(%(cap)s, b.tokens + GREATEST(0.0, EXCLUDED.at - b.at) * %(rate)s))),
  granted = LEAST(%(lease)s, FLOOR(LEAST(%(cap)s, b.tokens + GREATEST(0.0, EXCLUDED.at - b.at) * %(rate)s)))::int,
  at = EXCLUDED.at
RETURNING granted, tokens
"""
"""The SET expressions all read the row as it was: refill by the time elapsed (never above capacity), grant the
whole tokens up to the lease, keep the rest."""
_PRUNE = "DELETE FROM rate_bucket WHERE at < EXTRACT(EPOCH FROM clock_timestamp()) - 60.0"
"""A bucket's capacity is one minute's allowance, so 60 s after its last use it is full whatever the rate."""


@dataclass(frozen=True)
class Grant:
    """Tokens taken (0 when the bucket had less than one) and the tokens left in the bucket after."""

    granted: int
    left: float


def bucket_key(key: str) -> str:
    """``key`` as stored: as given when short, else a hash of it (callers' keys are bounded, this is a guard)."""
    if len(key) <= MAX_KEY_CHARS:
        return key
    return "h:" + hashlib.blake2b(key.encode(), digest_size=24).hexdigest()


def take(engine: Engine, key: str, *, per_minute: int, lease: int) -> Grant:
    """Take up to ``lease`` tokens from ``key``'s bucket (capacity ``per_minute``, refilled at per_minute/60 a
    second) in one statement; give an :func:`autocommit` engine."""
    params = {"key": bucket_key(key), "cap": float(per_minute), "rate": per_minute / 60.0, "lease": float(lease)}
    with engine.connect() as conn:
        row = conn.exec_driver_sql(_TAKE, params).one()
    return Grant(int(row[0]), float(row[1]))


def prune(engine: Engine) -> int:
    """Delete buckets that have refilled completely (a full bucket is the same as none); returns how many."""
    with engine.connect() as conn:
        result = conn.exec_driver_sql(_PRUNE)
        return int(result.rowcount or 0)


def autocommit(engine: Engine) -> Engine:
    """``engine`` with every statement committed on its own (one round trip per :func:`take`, no BEGIN/COMMIT)."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")
