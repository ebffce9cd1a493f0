"""A small in-process cache of published scores, invalidated per service by ingest.

Every final page of every e-service shows other users' rating, so the public score is read far more often than
it changes. Entries for a service are dropped as soon as a batch touching it commits in this process; other
processes see the change within ``ttl`` (a bounded staleness documented in the README).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

V = TypeVar("V")


class ServiceCache(Generic[V]):
    """Values keyed by (service id, anything hashable), with a TTL and per-service invalidation."""

    def __init__(self, *, ttl: float = 30.0, max_entries: int = 50_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: dict[tuple[str, Hashable], tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, service_id: str, key: Hashable) -> V | None:
        """The cached value, or None when absent or stale."""
        entry = self._entries.get((service_id, key))
        if entry is None or entry[0] < self._clock():
            return None
        return entry[1]

    def put(self, service_id: str, key: Hashable, value: V) -> None:
        """Remember a value until it expires or its service is invalidated."""
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[(service_id, key)] = (self._clock() + self._ttl, value)

    def invalidate(self, service_ids: Iterable[str]) -> None:
        """Forget every entry of these services (called after a batch touching them commits)."""
        targets = set(service_ids)
        if not targets:
            return
        with self._lock:
            for entry_key in [k for k in self._entries if k[0] in targets]:
                del self._entries[entry_key]
