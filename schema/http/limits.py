"""Per-caller rate limiting: a token bucket per authenticated token, or per client address for anonymous calls and
for tokens that have not authenticated."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable


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

    def retry_after(self) -> int:
        """Seconds until one more request is allowed for an empty bucket."""
        return max(1, int(1.0 / self._rate + 0.999))


class CallerKeys:
    """Which bucket a request draws from: a token's own only once that token has authenticated.

    A token not (yet) known to be valid draws from its client address's bucket, as an anonymous call would, so a
    flood of made-up tokens (each would otherwise get a fresh allowance) is limited per address. Tokens are kept
    only as short keyed-hash fingerprints, and the set is bounded.
    """

    def __init__(self, *, max_tokens: int = 10_000) -> None:
        self._salt = secrets.token_bytes(16)
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
        return hashlib.blake2b(token.encode(), key=self._salt, digest_size=12).hexdigest()
