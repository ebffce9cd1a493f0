"""Probes and metrics: ``/healthz`` (liveness), ``/readyz`` (readiness) and ``/metrics`` (Prometheus).

- ``/healthz`` answers 200 ``{"status": "ok"}`` whenever the process serves HTTP at all; it touches nothing else,
  so a supervisor restarts a worker only when the worker itself is stuck, not when the database is away.
- ``/readyz`` answers 200 when the process can serve: the database answers, its schema is at the newest migration
  (``arvio migrate`` has run for this release) and the master key ring is loaded; otherwise 503 with
  ``{"status": "unavailable", "reason": …}`` naming the first failing check (a load balancer takes the worker out).
- ``/metrics`` is the Prometheus text (:mod:`schema.http.metrics`), only for client addresses in
  ``ARVIO_METRICS_ALLOW`` (loopback by default); others get 403 ``FORBIDDEN``.
"""

from __future__ import annotations

import functools
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from federation.errors import AuthCode
from federation.migrate import current_revision, head_revision
from schema.http import metrics
from schema.http.requests import error_response
from schema.http.state import App

log = logging.getLogger("arvio.health")


def health_routes(state: App) -> list[Route]:
    """``/healthz``, ``/readyz`` and ``/metrics``."""
    return [Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", functools.partial(readyz, state), methods=["GET"]),
            Route("/metrics", functools.partial(metrics_endpoint, state), methods=["GET"])]


async def healthz(_request: Request) -> Response:
    """Liveness: the process answers."""
    return JSONResponse({"status": "ok"})


async def readyz(state: App, _request: Request) -> Response:
    """Readiness: database (and read replica, when configured) reachable, schema at the newest migration, master
    keys loaded."""
    reason = await run_in_threadpool(not_ready, state)
    if reason is not None:
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready", "database": state.database.dialect, "migration": head_revision()})


def not_ready(state: App) -> str | None:
    """Why the process cannot serve yet, or None when it can."""
    try:
        revision = current_revision(state.database)
    except Exception as error:  # any driver error means the same thing here
        log.warning("readiness: database unreachable (%s)", type(error).__name__)
        return "database unreachable"
    if revision != head_revision():
        return f"database schema at {revision or 'no migration'}, not {head_revision()}; run arvio migrate"
    if state.database.has_replica:
        try:
            with state.database.read_engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception as error:
            log.warning("readiness: read replica unreachable (%s)", type(error).__name__)
            return "read replica (ARVIO_READ_DATABASE_URL) unreachable"
    ring = getattr(state.services.protector, "ring", None)
    if ring is None or not ring.versions:
        return "master key ring not loaded; set ARVIO_KEY_FILE or ARVIO_MASTER_KEY"
    return None


async def metrics_endpoint(state: App, request: Request) -> Response:
    """The Prometheus text of this process, or of every worker together (only for allowed addresses)."""
    if not metrics.allowed(request.client.host if request.client else None, state.settings.metrics_networks):
        return error_response(AuthCode.FORBIDDEN, "/metrics is served only to the addresses in "
                                                  "ARVIO_METRICS_ALLOW; scrape from one of them.")
    metrics.sample_pool(state.database.engine)
    body = await run_in_threadpool(metrics.exposition)
    return Response(body, media_type=metrics.CONTENT_TYPE)
