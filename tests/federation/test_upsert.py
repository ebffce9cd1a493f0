"""The bulk writes of the ingest hot path write exactly what the ORM reads: the compiled executemany (SQLite), COPY
with one INSERT … SELECT (PostgreSQL), and counters added, not replaced, on both."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text

from federation.battery.scales import Scale
from federation.db import Database
from federation.ratings.drivers import DriverDelta
from federation.ratings.models import SLOT_COLUMNS, Rating, RollupDriverHourly, RollupHourly
from federation.ratings.rollups import RollupDelta, rollup_key
from federation.upsert import execute_many, insert_for
from tests.conftest import NOW, ORG_A, SERVICE_A, SERVICE_B


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


_ROW = st.fixed_dictionaries({
    "value": st.one_of(st.none(), st.integers(0, 10)),
    "skipped": st.booleans(),
    "answered_at": st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31),
                                timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2)),
                                                           dt.timezone(dt.timedelta(hours=-5, minutes=-30))])),
    "locale": st.one_of(st.none(), st.sampled_from(["fi", "sv", "en"])),
    "drivers": st.one_of(st.none(), st.text(alphabet="abcdefghij,", min_size=1, max_size=30)),
    "free_text": st.one_of(st.none(), st.binary(max_size=40)),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, min_size=1, max_size=30))
def test_the_compiled_executemany_writes_what_sqlalchemy_writes(database: Database,
                                                                rows: list[dict[str, object]]) -> None:
    """The hot path's adapter (federation/upsert.py: values taken by itemgetter, only columns with a bind processor
    converted, a value repeated in a batch converted once) stores exactly what SQLAlchemy's own insert stores."""
    table = Rating.__table__
    received = NOW
    batches: dict[str, list[dict[str, object]]] = {"fast": [], "orm": []}
    for kind, batch in batches.items():
        for number, extra in enumerate(rows):
            batch.append({"organisation_id": ORG_A, "client_ref": f"{kind}-{uuid.uuid4()}-{number}",
                          "service_id": SERVICE_A, "channel_id": None, "question_id": "national.transaction-smooth",
                          "wording_version": 1, "received_at": received, "pseudonym": None, "age_band": None,
                          "region": None, "language": None, "gender": None, **extra})
    with database.transaction() as session:
        assert execute_many(session, "test.rating.insert", lambda name: insert_for(name, table),
                            batches["fast"]) == len(rows)
        session.execute(insert(table), batches["orm"])
    columns = [c for c in table.columns.keys() if c not in ("id", "client_ref")]  # noqa: SIM118
    with database.engine.connect() as connection:
        stored = {kind: [tuple(r) for r in connection.execute(
            select(*(table.c[c] for c in columns)).where(table.c.client_ref.in_([b["client_ref"] for b in batch]))
            .order_by(table.c.id))] for kind, batch in batches.items()}
        # Untyped text: the driver's values as they are. The pattern is bound, since psycopg reads a literal `%` in
        # the statement as a placeholder.
        raw = {kind: connection.execute(text(
            "SELECT answered_at, received_at, skipped FROM rating WHERE client_ref LIKE :prefix ORDER BY id"),
            {"prefix": f"{kind}-%"}).fetchall() for kind in batches}
    assert stored["fast"] == stored["orm"]
    assert raw["fast"][-len(rows):] == raw["orm"][-len(rows):]  # the same bytes in the database, not only read back
