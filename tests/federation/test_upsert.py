"""The bulk writes of the ingest hot path write exactly what the ORM reads: the compiled executemany (SQLite), COPY
with one INSERT … SELECT (PostgreSQL), and counters added, not replaced, on both."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from federation.battery.scales import Scale
from federation.db import Database
from federation.ratings.drivers import DriverDelta
from federation.ratings.models import SLOT_COLUMNS, RollupDriverHourly, RollupHourly
from federation.ratings.rollups import RollupDelta, rollup_key
from tests.conftest import NOW, SERVICE_A, SERVICE_B


def rollups(database: Database) -> dict[tuple[object, ...], tuple[int, ...]]:
    with database.transaction(write=False) as session:
        return {(r.service_id, r.channel_id, r.question_id, r.wording_version, r.hour):
                (*(getattr(r, c) for c in SLOT_COLUMNS), r.skipped, r.offered)
                for r in session.scalars(select(RollupHourly))}


def test_rollup_counters_are_added_in_every_backend(database: Database) -> None:
    hours = [NOW - dt.timedelta(hours=h, minutes=7) for h in range(40)]
    for _ in range(2):
        delta = RollupDelta()
        for number, moment in enumerate(hours):
            key = rollup_key(SERVICE_A if number % 2 else SERVICE_B, None, "national.transaction-smooth", 1, moment)
            delta.add_answer(key, 1 + number % 5)
            delta.add_answer(key, None)
            delta.add_offered(key, 3)
        with database.transaction() as session:
            delta.apply(session)
    found = rollups(database)
    assert len(found) == 40
    for number, moment in enumerate(hours):
        hour = moment.replace(minute=0, second=0, microsecond=0)
        key = (SERVICE_A if number % 2 else SERVICE_B, "", "national.transaction-smooth", 1, hour)
        expected = [0] * len(SLOT_COLUMNS)
        expected[1 + number % 5] = 2
        assert found[key] == (*expected, 2, 6)
        assert isinstance(key[4], dt.datetime) and key[4].tzinfo is dt.UTC


def test_driver_counters_are_added_in_every_backend(database: Database) -> None:
    for _ in range(3):
        delta = DriverDelta()
        key = rollup_key(SERVICE_A, None, "national.transaction-smooth", 1, NOW)
        delta.add(key, Scale.STARS_5, 2, ("staff", "waiting"))
        with database.transaction() as session:
            delta.apply(session)
    with database.transaction(write=False) as session:
        counts = {(r.polarity, r.driver): r.count for r in session.scalars(select(RollupDriverHourly))}
    assert set(counts.values()) == {3} and {driver for _, driver in counts} == {"staff", "waiting"}
