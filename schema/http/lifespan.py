"""The app's lifespan: the widget's in-memory exposure counts go to the rollups every few seconds while the app
runs, and once more at shutdown; on PostgreSQL the host also listens to the score announcements of other hosts
(federation/shared/stamps.py) and now and then deletes full rate-limit buckets (federation/shared/buckets.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool

from federation.db import make_engine
from federation.shared.stamps import StampListener
from schema.http import metrics
from schema.http.limits import SharedRateLimiter
from schema.http.state import App

log = logging.getLogger("arvio.widget")

FLUSH_SECONDS = 5.0
"""How often the in-memory exposure counts go to the rollups."""


def flush_exposures(state: App) -> int:
    """Write the pending exposure counts to the rollups now; returns how many draws."""
    kit = state.services.citizen
    return kit.exposures.flush(state.database) if kit is not None else 0


PRUNE_EVERY = 12
"""Flushes between two deletions of full rate-limit buckets (about a minute)."""


async def _flush_loop(state: App) -> None:
    rounds = 0
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        metrics.sample_pool(state.database.engine)  # each worker's share of the pool gauges (schema/http/metrics.py)
        rounds += 1
        try:
            await run_in_threadpool(flush_exposures, state)
        except Exception:
            log.exception("flushing exposure counts failed; they are kept for the next try")
        if rounds % PRUNE_EVERY == 0 and isinstance(state.limiter, SharedRateLimiter):
            try:
                await run_in_threadpool(state.limiter.prune)
            except Exception:
                log.exception("deleting full rate-limit buckets failed; tried again in a minute")


def stamp_listener(state: App) -> StampListener | None:
    """On PostgreSQL, a listener that invalidates this host's cached public scores when another host commits; it
    connects to ``ARVIO_LISTEN_DATABASE_URL`` when set (LISTEN needs a session of its own, which a transaction-mode
    pooler does not give)."""
    if state.database.dialect != "postgresql":
        return None
    cache = state.services.public_scores
    direct = state.settings.listen_database_url
    engine = make_engine(state.settings, direct) if direct else state.database.engine
    return StampListener(engine, lambda service, version: cache.invalidate({service}, version=version), cache.clear)


@contextlib.asynccontextmanager
async def lifespan(state: App, _app: Starlette) -> AsyncIterator[None]:
    """Flush exposure counts every few seconds while the app runs, and once more at shutdown; listen to score
    announcements meanwhile."""
    listener = stamp_listener(state)
    if listener is not None:
        listener.start()
    tasks = [asyncio.create_task(_flush_loop(state))]
    if state.exposure_commits is not None:
        tasks.append(asyncio.create_task(state.exposure_commits.run()))
    try:
        yield
    finally:
        if listener is not None:
            listener.stop()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await run_in_threadpool(flush_exposures, state)
