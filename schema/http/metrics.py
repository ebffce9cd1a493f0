"""Prometheus metrics of one arvio process, or of every worker of ``arvio serve --workers N`` together.

With several workers (:mod:`schema.http.serve`) the supervisor creates a ``PROMETHEUS_MULTIPROC_DIR`` before it
starts them, so prometheus-client keeps every value in a small per-process file there; a scrape of ``/metrics``
on any worker reads all the files and sums them (:func:`exposition`). The supervisor marks a dead worker so its
gauges leave the sums (its counters stay: what it counted happened) and removes the folder at shutdown.

Every label value comes from a bounded set: route templates (never raw paths), the schema's root field names or
``other`` (never the operation name a caller typed), HTTP statuses, error codes of ``federation/errors.py`` or
``other``, and the ingest statuses. The request counter and histogram are updated once per request by
:mod:`schema.http.observe`; the pool gauges are sampled every few seconds (:mod:`schema.http.lifespan`) and at each
scrape, never on the request path.
"""

from __future__ import annotations

import ipaddress
import os
from fractions import Fraction

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from sqlalchemy import Engine

from federation.settings import Networks

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
"""The environment variable prometheus-client reads at import to keep values in per-process files."""

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REQUESTS = Counter("arvio_http_requests", "HTTP requests answered, by route template, GraphQL root field "
                   "(or other), HTTP status and error code (none when there was no error).",
                   ("route", "operation", "status", "code"))
LATENCY = Histogram("arvio_http_request_duration_seconds", "Time from receiving a request to the end of its "
                    "answer, by route template and GraphQL root field.", ("route", "operation"),
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
INGEST = Counter("arvio_ingest_items", "Ratings received, by path (graphql: submitRatings, ndjson: "
                 "/ingest/ratings) and outcome (ACCEPTED, DUPLICATE, REJECTED); counted once committed.",
                 ("path", "status"))
POOL_CHECKED_OUT = Gauge("arvio_db_pool_checked_out", "Database connections in use (sum over live workers).",
                         multiprocess_mode="livesum")
POOL_SIZE = Gauge("arvio_db_pool_size", "Database connections the pools hold open (sum over live workers).",
                  multiprocess_mode="livesum")
PRIVACY_BUDGET = Counter("arvio_research_privacy_budget_spent_epsilon", "Differential-privacy budget (epsilon) "
                         "spent by researchers' breakdowns, all researchers together (cached answers are free).")

_REQUEST_CHILDREN: dict[tuple[str, str, int, str], tuple[Counter, Histogram]] = {}
"""The counter and histogram children of each label combination seen (bounded, as the label values are): a dict
lookup per request instead of two ``labels()`` calls (measured ~4× cheaper)."""


def record_request(route: str, operation: str, status: int, code: str, seconds: float) -> None:
    """Count and time one answered request."""
    key = (route, operation, status, code)
    children = _REQUEST_CHILDREN.get(key)
    if children is None:  # first time: the same children whichever thread gets here first
        children = _REQUEST_CHILDREN[key] = (REQUESTS.labels(route, operation, str(status), code),
                                             LATENCY.labels(route, operation))
    children[0].inc()
    children[1].observe(seconds)


INGEST_STATUSES = ("ACCEPTED", "DUPLICATE", "REJECTED")
NO_OPERATION = "none"
OTHER = "other"


def record_ingest(path: str, accepted: int, duplicates: int, rejected: int) -> None:
    """Count the committed items of one submitRatings call or one NDJSON upload."""
    for status, count in zip(INGEST_STATUSES, (accepted, duplicates, rejected), strict=True):
        if count:
            INGEST.labels(path, status).inc(count)


def record_privacy_spend(epsilon: Fraction) -> None:
    """Count epsilon a researcher's answer debited (zero for a cached answer)."""
    if epsilon > 0:
        PRIVACY_BUDGET.inc(float(epsilon))


def sample_pool(engine: Engine) -> None:
    """Set the pool gauges from ``engine``'s pool (SQLAlchemy's QueuePool counts; other pools count as empty)."""
    pool = engine.pool
    checked_out = getattr(pool, "checkedout", None)
    size = getattr(pool, "size", None)
    POOL_CHECKED_OUT.set(checked_out() if callable(checked_out) else 0)
    POOL_SIZE.set(size() if callable(size) else 0)


def exposition() -> bytes:
    """The text a scrape returns: every worker's values summed when several share a multiprocess folder."""
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def allowed(client: str | None, networks: Networks) -> bool:
    """Whether the client address is in one of ``networks`` (an address that does not parse never is)."""
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in network for network in networks)
