"""Per-request observation: the request metrics (:mod:`schema.http.metrics`) and one access log line.

The middleware runs inside :class:`schema.http.request_ids.RequestIds`, so the line carries the request id. Its
fields are all from bounded sets: the method (or ``OTHER``), the route template Starlette matched (never the raw
path, which holds ids), the GraphQL root field (or ``other``), the status, the error code (``federation/errors.py``
codes or ``other``) and the duration — never query strings, tokens or anything else a caller typed.

Handlers say what they answered through :func:`note_operation` and :func:`note_code`, which write into the
request's :class:`Outcome` (one small object per request, shared with the worker threads through a context
variable). Client errors are logged at INFO, answers of 500 and more at WARNING (the fault itself is logged at
ERROR where it happens); the probes ``/healthz``, ``/readyz`` and ``/metrics`` at DEBUG.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from federation.errors import CODES
from schema.http import metrics

log = logging.getLogger("arvio.access")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
UNMATCHED = "unmatched"
NO_CODE = "none"


class Outcome:
    """What one request answered, as bounded labels: the GraphQL root field and the first error code."""

    __slots__ = ("code", "operation")

    def __init__(self) -> None:
        self.operation = metrics.NO_OPERATION
        self.code = NO_CODE


_CURRENT: ContextVar[Outcome | None] = ContextVar("arvio_outcome", default=None)


def note_operation(root_field: str) -> None:
    """The request ran the GraphQL root field ``root_field`` (already one of the schema's, or ``other``)."""
    outcome = _CURRENT.get()
    if outcome is not None:
        outcome.operation = root_field


def note_code(code: str) -> None:
    """The request was answered with error ``code`` (the first one noted counts); unknown codes become ``other``."""
    outcome = _CURRENT.get()
    if outcome is not None and outcome.code == NO_CODE:
        outcome.code = code if code in CODES else metrics.OTHER


class Observe:
    """ASGI middleware: counts and times every HTTP request and writes its access log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        outcome = Outcome()
        token = _CURRENT.set(outcome)
        status = 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            _CURRENT.reset(token)
            _record(scope, outcome, status, time.perf_counter() - started)


def _record(scope: Scope, outcome: Outcome, status: int, seconds: float) -> None:
    route = scope.get("route")
    template = getattr(route, "path", None) or UNMATCHED
    metrics.record_request(template, outcome.operation, status, outcome.code, seconds)
    level = logging.DEBUG if template in PROBES else logging.WARNING if status >= 500 else logging.INFO
    if log.isEnabledFor(level):
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        duration_ms = round(seconds * 1000, 1)
        log.log(level, "%s %s %s %s %.1fms", method, template, status, outcome.code, duration_ms,
                extra={"http": {"method": method, "route": template, "operation": outcome.operation,
                                "status": status, "code": outcome.code, "duration_ms": duration_ms}})
