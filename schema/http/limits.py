"""Per-caller rate limiting: a token bucket per authenticated token, or per client address for anonymous calls and
for tokens that have not authenticated.

On SQLite (one host) the buckets live in the process (:class:`RateLimiter`). On PostgreSQL they live in the database
(:class:`SharedRateLimiter`, federation/shared/buckets.py), so a caller's allowance is spent across every process
and host: N hosts still allow ``ARVIO_RATE_LIMIT_PER_MINUTE``, not N times it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from federation.db import Database
from federation.shared import buckets

log = logging.getLogger("arvio.limits")


class RateLimiter:
    """Allows ``per_minute`` requests per key on average, with bursts up to the same number."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self._rate = per_minute / 60.0
        self._capacity = float(per_minute)
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one request from ``key``'s bucket; False when it is empty."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self._capacity, now))
            tokens = min(self._capacity, tokens + (now - last) * self._rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            if len(self._buckets) >= self._max_keys:
                self._buckets.clear()
            self._buckets[key] = (tokens - 1.0, now)
            return True

    async def admit(self, key: str) -> bool:
        """:meth:`allow`, in the interface the routes await (:class:`SharedRateLimiter` may ask the database)."""
        return self.allow(key)

    def retry_after(self) -> int:
        """Seconds until one more request is allowed for an empty bucket."""
        return max(1, int(1.0 / self._rate + 0.999))


class SharedRateLimiter(RateLimiter):
    """Buckets in PostgreSQL shared by every host, with two in-process shortcuts that keep it exact:

    * a *lease*: one database round trip takes up to ``lease`` tokens, which this process then spends without
      asking again (tokens taken are tokens the bucket allowed, so all hosts together never exceed it);
    * a *cached denial*: an empty bucket refills at a known rate and no host can add tokens, so until the next
      token is due this process refuses the key without asking.

    If the database cannot be reached, the per-process bucket of :class:`RateLimiter` decides (the limit then holds
    per process, as on a single host) and the failure is logged.
    """

    def __init__(self, per_minute: int, engine: Engine, *, max_keys: int = 100_000) -> None:
        super().__init__(per_minute, max_keys=max_keys)
        self._per_minute = per_minute
        self._engine = buckets.autocommit(engine)
        self.lease = max(1, min(20, per_minute // 30))
        """Tokens taken per round trip: 1 for small allowances (exact), up to 20 (600/min gives 20)."""
        self._leases: dict[str, int] = {}
        self._denied_until: dict[str, float] = {}

    async def admit(self, key: str) -> bool:
        """Take one request from ``key``'s shared bucket; False when it is empty."""
        now = time.monotonic()
        with self._lock:
            if self._denied_until.get(key, 0.0) > now:
                return False
            held = self._leases.get(key, 0)
            if held > 0:
                self._leases[key] = held - 1
                return True
        try:
            grant = await run_in_threadpool(buckets.take, self._engine, key, per_minute=self._per_minute,
                                            lease=self.lease)
        except Exception as error:
            log.warning("shared rate limit unavailable (%s); limiting in this process", type(error).__name__)
            return self.allow(key)
        return self._record(key, grant, now)

    def _record(self, key: str, grant: buckets.Grant, now: float) -> bool:
        with self._lock:
            if len(self._leases) >= self._max_keys or len(self._denied_until) >= self._max_keys:
                self._leases.clear()
                self._denied_until.clear()
            if grant.granted < 1:
                self._denied_until[key] = now + max(0.0, 1.0 - grant.left) / self._rate
                return False
            if grant.granted > 1:
                self._leases[key] = self._leases.get(key, 0) + grant.granted - 1
            return True

    def prune(self) -> int:
        """Delete the database's full buckets (called now and then by the app's lifespan)."""
        return buckets.prune(self._engine)


class CallerKeys:
    """Which bucket a request draws from: a token's own only once that token has authenticated.

    A token not (yet) known to be valid draws from its client address's bucket, as an anonymous call would, so a
    flood of made-up tokens (each would otherwise get a fresh allowance) is limited per address. Tokens are kept
    only as short fingerprints, and the set is bounded. The fingerprint is the same in every process and host (a
    hash personalised for rate limiting, no per-process salt), so a token's bucket in the database is shared; it
    only ever names tokens that authenticated, which are 32 random bytes each, so a hash reveals nothing of them.
    """

    def __init__(self, *, max_tokens: int = 10_000) -> None:
        self._known: set[str] = set()
        self._max_tokens = max_tokens
        self._lock = threading.Lock()

    def key(self, token: str | None, client: str) -> str:
        """The bucket of a request carrying ``token`` from address ``client``."""
        if token is not None:
            fingerprint = self._fingerprint(token)
            if fingerprint in self._known:
                return f"t:{fingerprint}"
        return f"ip:{client}"

    def authenticated(self, token: str) -> None:
        """``token`` authenticated: its later requests draw from its own bucket."""
        fingerprint = self._fingerprint(token)
        if fingerprint in self._known:
            return
        with self._lock:
            if len(self._known) >= self._max_tokens:
                self._known.clear()
            self._known.add(fingerprint)

    def rejected(self, token: str) -> None:
        """``token`` failed to authenticate (unknown, expired or revoked): back to the address's bucket."""
        self._known.discard(self._fingerprint(token))

    def _fingerprint(self, token: str) -> str:
        return hashlib.blake2b(token.encode(), digest_size=12, person=b"arvio-ratelimit").hexdigest()


def limiter_for(per_minute: int, database: Database) -> RateLimiter:
    """Buckets in the database on PostgreSQL (shared by every host), in the process on SQLite (one host). Limiters
    sharing a database keep their keys apart by prefix (``ip:…``, ``receipt:ip:…``)."""
    if database.dialect == "postgresql":
        return SharedRateLimiter(per_minute, database.engine)
    return RateLimiter(per_minute)
