"""Counting exposures (question draws) without a write per draw: in memory, flushed to the rollups in batches.

Every draw is an exposure. The draw path only increments an in-process counter keyed like ``rollup_hourly``
(service, channel, question, wording version, hour of the draw); the app flushes the counters into the
``offered`` column every few seconds and at shutdown, one upsert per touched rollup row. Answers and skips are
counted separately when they arrive (the answer slots and ``skipped``), so offered - answered - skipped is the
number of exposures nobody reacted to (the citizen left the page).

Limits: with ``ARVIO_EXPOSURE_COMMIT=batched`` (the default) counts not yet flushed are lost if the process dies
(at most one flush interval; a SIGTERM flushes them); with ``durable`` the widget's ``GET /widget/draw`` answers only
after the flush that holds its count committed (group commit, schema/http/exposure_commits.py), so a crash loses
no exposure of a draw that was shown. A flush that fails is put back and retried with the next one.
Draws are public, so ``offered`` can be inflated by someone drawing in a loop; the per-address rate limit bounds
it; answers need a rating ticket and cannot be inflated this way.
"""

from __future__ import annotations

import threading

from federation.db import Database
from federation.rollups.writing import RollupDelta, RollupKey


class ExposureCounter:
    """Thread-safe in-memory counts of draws per rollup key."""

    def __init__(self) -> None:
        self._counts: dict[RollupKey, int] = {}
        self._lock = threading.Lock()
        self._flushing = threading.Lock()

    def count(self, key: RollupKey, n: int = 1) -> None:
        """Count ``n`` draws for ``key``."""
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + n

    def pending(self) -> int:
        """Draws counted but not flushed yet."""
        with self._lock:
            return sum(self._counts.values())

    def drain(self) -> dict[RollupKey, int]:
        """Take every pending count out of the counter."""
        with self._lock:
            counts, self._counts = self._counts, {}
        return counts

    def restore(self, counts: dict[RollupKey, int]) -> None:
        """Put drained counts back (their flush failed)."""
        for key, n in counts.items():
            self.count(key, n)

    def flush(self, database: Database) -> int:
        """Add the pending counts to ``rollup_hourly.offered`` in one transaction; returns how many draws.

        If the transaction fails the counts are put back for the next flush, and the error propagates.
        """
        with self._flushing:  # one flush at a time: when it returns, every count taken before it is committed
            counts = self.drain()
            if not counts:
                return 0
            delta = RollupDelta()
            for key, n in counts.items():
                delta.add_offered(key, n)
            try:
                with database.transaction() as session:
                    delta.apply(session)
            except Exception:
                self.restore(counts)
                raise
            return sum(counts.values())
