"""Score stamps: a version per service, bumped in the transaction that changes its answers or its reported volumes
(the KPIs published beside its scores), and announced to every app host with PostgreSQL's LISTEN/NOTIFY.

Why NOTIFY and a per-service row rather than a global counter polled per read: the public-score hot path serves a
cached score without touching the database (schema/http/public.py), and a global row bumped by every ingest
transaction would serialise all of them on one row lock. NOTIFY is transactional (sent only at commit, in commit
order) and reaches every listening host within milliseconds; the per-service row adds one upsert per batch and
locks only rows of services the batch already writes.

The stamp also guards against a lagging read replica: a host that heard "service S is at version v" caches a score
of S only if the version it read (before the score, in the same database) is at least v, so a score read from a
replica that has not replayed the write yet is served but not cached. If the listening connection drops, a host
may have missed announcements: it forgets every cached score and reconnects; the cache's TTL bounds the staleness
in any case (federation/scores/cache.py).

NOTIFY is not delivered to hot standbys: the listener connects to the primary (``ARVIO_DATABASE_URL``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection

import psycopg
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from federation.shared.models import ScoreStamp
from federation.upsert import dialect_insert

log = logging.getLogger("arvio.stamps")

POLL_SECONDS = 1.0
"""How often the listening thread looks whether it was asked to stop."""

CHANNEL = "arvio_scores"
"""The NOTIFY channel (also named in ``_BUMP_PG``)."""

_BUMP_PG = """
WITH bumped AS (
  INSERT INTO score_stamp AS s (service_id, version) SELECT unnest(%(ids)s::text[]), 1
  ON CONFLICT (service_id) DO UPDATE SET version = s.version + 1
  RETURNING s.service_id, s.version)
SELECT service_id, version, pg_notify('arvio_scores', service_id || ' ' || version) FROM bumped
"""


def bump(session: Session, service_ids: Collection[str]) -> dict[str, int]:
    """Add one to the stamps of ``service_ids`` in the session's transaction (announced at commit on PostgreSQL);
    returns the new versions."""
    if not service_ids:
        return {}
    ids = sorted(set(service_ids))  # the same lock order in every transaction
    if session.get_bind().dialect.name == "postgresql":
        rows = session.connection().exec_driver_sql(_BUMP_PG, {"ids": ids}).all()
        return {str(r[0]): int(r[1]) for r in rows}
    stmt = dialect_insert(session, ScoreStamp.__table__)  # type: ignore[arg-type]
    stmt = stmt.on_conflict_do_update(index_elements=["service_id"], set_={"version": ScoreStamp.version + 1})
    session.execute(stmt, [{"service_id": i, "version": 1} for i in ids])
    return {i: version_of(session, i) for i in ids}


def version_of(session: Session, service_id: str) -> int:
    """The stamp of ``service_id`` as this session sees it (0 before the first change)."""
    found = session.scalar(select(ScoreStamp.version).where(ScoreStamp.service_id == service_id))
    return int(found or 0)


def catalogue_version(session: Session) -> tuple[int, int]:
    """A version of every service's answers at once, as this session sees it: (stamped services, sum of their
    stamps). Stamps only grow and every rollup change bumps one (federation/rollups/writing.py), so the pair changes
    whenever any answer is added or erased; one pass over ``score_stamp`` (a row per service)."""
    found = session.execute(select(func.count(), func.coalesce(func.sum(ScoreStamp.version), 0))).one()
    return int(found[0]), int(found[1])


def parse(payload: str) -> tuple[str, int] | None:
    """``(service id, version)`` of an announcement, or None when it is not one of ours."""
    service_id, _, version = payload.partition(" ")
    if not service_id or not version.isdigit():
        return None
    return service_id, int(version)


class StampListener:
    """A daemon thread listening to the primary's announcements: ``changed(service, version)`` per announcement,
    ``reset()`` whenever the connection is (re)established (announcements may have been missed meanwhile)."""

    def __init__(self, engine: Engine, changed: Callable[[str, int], None], reset: Callable[[], None], *,
                 retry_seconds: float = 1.0) -> None:
        self._conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._changed, self._reset = changed, reset
        self._retry = retry_seconds
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="arvio-stamp-listener", daemon=True)

    def start(self) -> None:
        """Start listening in the background."""
        self._thread.start()

    def stop(self, timeout: float = 0.0) -> None:
        """Stop listening: the thread closes its connection within ``POLL_SECONDS`` (waited for up to ``timeout``;
        by default not at all, so an app's shutdown, or a test's, does not wait for it)."""
        self._stop.set()
        if timeout > 0:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        """Whether the listening thread still runs."""
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as error:  # any failure: reconnect, and meanwhile trust nothing cached
                log.warning("score announcements interrupted (%s); reconnecting", type(error).__name__)
            self.listening.clear()
            self._reset()
            self._stop.wait(self._retry)

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._reset()
            self.listening.set()
            while not self._stop.is_set():
                for notice in conn.notifies(timeout=POLL_SECONDS):
                    found = parse(notice.payload)
                    if found is not None:
                        self._changed(*found)
