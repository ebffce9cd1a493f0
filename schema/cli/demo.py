"""Loading the demo federation through the real ingest path, with a progress bar."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator

from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from federation.db import Database, utcnow
from federation.demo import SERVICES, demo_ratings, demo_volumes, install_demo_registry
from federation.pages.demo import install_demo_pages
from federation.privacy.keyring import open_key_ring
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import RatingSubmission
from federation.ratings.ingest import IngestPolicy, submit_ratings
from federation.ratings.models import Rating
from federation.settings import Settings
from federation.volumes.ingest import report_volumes
from federation.volumes.models import ServiceVolumeDaily

BATCH = 1000


def load_demo(database: Database, settings: Settings, *, scale: float = 1.0) -> int:
    """Fill an empty database with the demo federation; returns the ratings stored (0 if not empty)."""
    with database.transaction() as session:
        if session.scalar(select(func.count()).select_from(Rating)):
            print("demo: the database already holds ratings; leaving it as it is")
            load_demo_volumes(session, now=utcnow(), scale=scale)
            return 0
        install_demo_registry(session, now=utcnow())
        install_demo_pages(session, now=utcnow())
    protector = PrivacyProtector(open_key_ring(settings))
    now = utcnow()
    total = sum(max(1, int(s.volume * scale)) for s in SERVICES)
    stored = 0
    policy = IngestPolicy(max_items=BATCH, max_answer_age=dt.timedelta(days=366))
    with Progress() as progress:
        task = progress.add_task("demo ratings", total=total)
        stream = demo_ratings(now=now, scale=scale)
        for org, group in itertools.groupby(stream, key=lambda pair: pair[0]):
            for chunk in _as_received(item for _, item in group):
                # Received an hour after the chunk's last answer, as a live feed would send it: a quarter's
                # answers arrive before it closes, so they count in the research cube (federation/privacy/cube.py).
                received = min(now, max(item.answered_at for item in chunk) + dt.timedelta(hours=1))
                with database.transaction() as session:
                    stored += submit_ratings(session, org, chunk, now=received, protector=protector,
                                             policy=policy).accepted
                progress.advance(task, len(chunk))
    with database.transaction() as session:
        load_demo_volumes(session, now=now, scale=scale)
    return stored


def _as_received(items: Iterable[RatingSubmission]) -> Iterator[list[RatingSubmission]]:
    """Batches of at most BATCH answers within one week (the demo stream is in time order per service, to the
    hour; a new service starts over)."""
    chunk: list[RatingSubmission] = []
    for item in items:
        offset = item.answered_at - chunk[0].answered_at if chunk else dt.timedelta()
        if chunk and (len(chunk) == BATCH or not -dt.timedelta(hours=1) <= offset <= dt.timedelta(days=7)):
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk


def load_demo_volumes(session: Session, *, now: dt.datetime, scale: float = 1.0) -> int:
    """Report the demo's daily volumes through the real validation unless some are there; returns days stored."""
    if session.scalar(select(func.count()).select_from(ServiceVolumeDaily)):
        return 0
    stored = 0
    for org, group in itertools.groupby(demo_volumes(now=now, scale=scale), key=lambda pair: pair[0]):
        items = [item for _, item in group]
        for start in range(0, len(items), BATCH):
            stored += report_volumes(session, org, items[start:start + BATCH], now=now, actor="demo").accepted
    print(f"demo: {stored} days of service volumes")
    return stored
