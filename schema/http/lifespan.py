"""The app's lifespan: the widget's in-memory exposure counts go to the rollups every few seconds while the app
runs, and once more at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool

from schema.http import metrics
from schema.http.state import App

log = logging.getLogger("arvio.widget")

FLUSH_SECONDS = 5.0
"""How often the in-memory exposure counts go to the rollups."""


def flush_exposures(state: App) -> int:
    """Write the pending exposure counts to the rollups now; returns how many draws."""
    kit = state.services.citizen
    return kit.exposures.flush(state.database) if kit is not None else 0


async def _flush_loop(state: App) -> None:
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        metrics.sample_pool(state.database.engine)  # each worker's share of the pool gauges (schema/http/metrics.py)
        try:
            await run_in_threadpool(flush_exposures, state)
        except Exception:
            log.exception("flushing exposure counts failed; they are kept for the next try")


@contextlib.asynccontextmanager
async def lifespan(state: App, _app: Starlette) -> AsyncIterator[None]:
    """Flush exposure counts every few seconds while the app runs, and once more at shutdown."""
    task = asyncio.create_task(_flush_loop(state))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await run_in_threadpool(flush_exposures, state)
