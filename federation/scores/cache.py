"""A small in-process cache of published scores, invalidated per service by ingest.

Every final page of every e-service shows other users' rating, so the public score is read far more often than
it changes. Entries for a service are dropped as soon as a batch touching it commits in this process, and on
PostgreSQL as soon as another host announces the commit (federation/shared/stamps.py); an announcement also sets
the service's *floor*, the version a value must have been read at to be cached, so a read from a lagging replica
is not kept. Without announcements (SQLite with several workers, a dropped listening connection) other processes
see the change within ``ttl`` (a bounded staleness documented in the README).
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
        self._floors: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, service_id: str, key: Hashable) -> V | None:
        """The cached value, or None when absent or stale."""
        entry = self._entries.get((service_id, key))
        if entry is None or entry[0] < self._clock():
            return None
        return entry[1]

    def floor(self, service_id: str) -> int | None:
        """The stamp version a value of ``service_id`` must have been read at to be cached (None: any)."""
        return self._floors.get(service_id)

    def put(self, service_id: str, key: Hashable, value: V, *, version: int | None = None) -> bool:
        """Remember a value until it expires or its service is invalidated; a value read at a ``version`` below the
        service's floor (or at no known version when there is one) is not kept. Returns whether it was kept."""
        with self._lock:
            floor = self._floors.get(service_id)
            if floor is not None and (version is None or version < floor):
                return False
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[(service_id, key)] = (self._clock() + self._ttl, value)
            return True

    def invalidate(self, service_ids: Iterable[str], *, version: int | None = None) -> None:
        """Forget every entry of these services (called after a batch touching them commits); with ``version``
        (an announced stamp), also refuse values read before it from now on."""
        targets = set(service_ids)
        if not targets:
            return
        with self._lock:
            for entry_key in [k for k in self._entries if k[0] in targets]:
                del self._entries[entry_key]
            if version is not None:
                if len(self._floors) >= self._max:
                    self._floors.clear()  # entries may then be cached from a lagging replica, for one TTL at most
                for service_id in targets:
                    self._floors[service_id] = max(version, self._floors.get(service_id, version))

    def clear(self) -> None:
        """Forget every entry (announcements may have been missed)."""
        with self._lock:
            self._entries.clear()
