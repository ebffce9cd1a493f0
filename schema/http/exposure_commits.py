"""Group commit of the widget's exposure counts (``ARVIO_EXPOSURE_COMMIT=durable``): ``GET /widget/draw`` answers only
once the count its draw added is committed, so a crash loses no exposure of a draw a citizen was shown.

Draws still only count in memory (federation/ratings/exposures.py); a draw then waits for the next flush. One flush
runs at a time, and every draw that arrives meanwhile waits for the one after it, so under load one transaction
commits the counts of many draws (the database sees a transaction per commit latency, not per draw) and a draw waits
for at most two commits. If a flush fails, the counts are kept for the next one (as in batched mode) and the waiting
draws are answered anyway: the database being unreachable should not stop the widget from asking its question.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

log = logging.getLogger("arvio.widget")


class ExposureCommits:
    """Draws waiting for their exposure counts to be committed, and the loop that commits them."""

    def __init__(self, flush: Callable[[], int]) -> None:
        self._flush = flush
        self._waiters: list[asyncio.Future[None]] = []
        self._wake: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        """Whether the commit loop runs (started by the app's lifespan, schema/http/lifespan.py)."""
        return self._wake is not None

    async def settled(self) -> None:
        """Return once every exposure counted before this call is committed (at once if the loop is not running)."""
        if self._wake is None:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._wake.set()
        await waiter

    async def run(self) -> None:
        """Commit the pending counts whenever a draw waits, until cancelled."""
        wake = self._wake = asyncio.Event()
        try:
            while True:
                await wake.wait()
                wake.clear()
                waiters, self._waiters = self._waiters, []
                try:
                    await run_in_threadpool(self._flush)
                except Exception:
                    log.exception("committing exposure counts failed; they are kept for the next try")
                _release(waiters)
        finally:
            self._wake = None
            _release(self._waiters)
            self._waiters = []


def _release(waiters: list[asyncio.Future[None]]) -> None:
    for waiter in waiters:
        if not waiter.done():
            waiter.set_result(None)
