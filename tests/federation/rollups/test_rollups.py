"""The rollups' read API (federation/rollups/reading.py) sums exactly what a plain Python walk over the stored rows
sums, for every grouping, on SQLite and PostgreSQL — across the DST changes of Europe/Helsinki — and the slot
helpers (federation/rollups/slots.py) keep the slot layout in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from federation.battery.scales import HISTOGRAM_SLOTS, Scale
from federation.db import Database
from federation.rollups.models import NO_CHANNEL, RollupHourly
from federation.rollups.reading import CURRENT_WORDING, Grouping, HistogramRow, read_histograms
from federation.rollups.slots import answered, slot_sums, slot_values, slots_of
from federation.scores.stats import Histogram
from tests.conftest import SERVICE_A, SERVICE_B

HELSINKI = ZoneInfo("Europe/Helsinki")
SMOOTH = "national.transaction-smooth"
OTHER = "national.easy-to-use"
# 2026-03-29 01:00 UTC and 2026-10-25 01:00 UTC are the DST changes: the window spans both, and a year's end.
START = dt.datetime(2026, 3, 20, 5, tzinfo=dt.UTC)
END = dt.datetime(2027, 1, 3, 22, tzinfo=dt.UTC)
SPLIT = dt.datetime(2026, 10, 25, 1, tzinfo=dt.UTC)

Stored = tuple[str, str, str, int, dt.datetime, tuple[int, ...], int, int]
"""(service, channel, question, wording version, hour, slots, skipped, offered) of one stored row."""


def _hours_near(moment: dt.datetime) -> st.SearchStrategy[dt.datetime]:
    return st.integers(-60, 60).map(lambda h: moment + dt.timedelta(hours=h))


_HOURS = st.one_of(st.integers(-48, int((END - START).total_seconds()) // 3600 + 48)
                   .map(lambda h: START + dt.timedelta(hours=h)),
                   _hours_near(dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC)), _hours_near(SPLIT),
                   _hours_near(dt.datetime(2026, 12, 31, 22, tzinfo=dt.UTC)))
_ROWS = st.dictionaries(
    st.tuples(st.sampled_from([SERVICE_A, SERVICE_B]), st.sampled_from([NO_CHANNEL, "ch-1", "ch-2"]),
              st.sampled_from([SMOOTH, OTHER]), st.integers(1, 2), _HOURS),
    st.tuples(st.lists(st.integers(0, 9), min_size=HISTOGRAM_SLOTS, max_size=HISTOGRAM_SLOTS).map(tuple),
              st.integers(0, 5), st.integers(0, 20)),
    max_size=40)


def _store(database: Database, rows: dict[tuple[Any, ...], tuple[Any, ...]]) -> list[Stored]:
    stored = [(*key, *counts) for key, counts in rows.items()]
    with database.transaction() as session:
        session.execute(delete(RollupHourly))
        if stored:
            session.execute(insert(RollupHourly), [
                {"service_id": s, "channel_id": c, "question_id": q, "wording_version": v, "hour": h,
                 "skipped": skipped, "offered": offered, **slot_values(slots)}
                for s, c, q, v, h, slots, skipped, offered in stored])
    return stored  # type: ignore[return-value]


def _local(hour: dt.datetime) -> dt.datetime:
    return hour.astimezone(HELSINKI)


_TIME_KEYS: dict[Grouping, Callable[[dt.datetime], tuple[Any, ...]]] = {
    Grouping.TOTAL: lambda hour: (),
    Grouping.HOUR: lambda hour: (hour,),
    Grouping.DAY: lambda hour: (_local(hour).date(),),
    Grouping.WEEK: lambda hour: (_local(hour).date() - dt.timedelta(days=_local(hour).weekday()),),
    Grouping.MONTH: lambda hour: (_local(hour).date().replace(day=1),),
    Grouping.WEEKDAY_HOUR: lambda hour: (_local(hour).isoweekday(), _local(hour).hour),
    Grouping.SPLIT: lambda hour: (hour >= SPLIT,),
}


def _expected(stored: Sequence[Stored], identities: Grouping, time: Grouping, *, services: Sequence[str] | None,
              channel: str | None, wording: int | None) -> dict[tuple[Any, ...], tuple[tuple[int, ...], int, int]]:
    """The groups as a walk over the stored rows sums them (the oracle)."""
    sums: dict[tuple[Any, ...], list[int]] = {}
    for service, channel_id, question, version, hour, slots, skipped, offered in stored:
        if not START <= hour < END or (services is not None and service not in services) or question != SMOOTH:
            continue
        if (channel is not None and channel_id != channel) or (wording is not None and version != wording):
            continue
        names = {Grouping.SERVICE: service, Grouping.CHANNEL: channel_id, Grouping.QUESTION: question,
                 Grouping.WORDING_VERSION: version}
        key = (*(value for flag, value in names.items() if identities & flag), *_TIME_KEYS[time](hour))
        target = sums.setdefault(key, [0] * (HISTOGRAM_SLOTS + 2))
        for index, count in enumerate((*slots, skipped, offered)):
            target[index] += count
    return {key: (tuple(s[:HISTOGRAM_SLOTS]), s[-2], s[-1]) for key, s in sums.items()}


def _found(rows: Sequence[HistogramRow]) -> dict[tuple[Any, ...], tuple[tuple[int, ...], int, int]]:
    found = {row.key: (row.slots, row.skipped, row.offered) for row in rows}
    assert len(found) == len(rows), "one row per group"
    return found


_IDENTITIES = st.sampled_from([Grouping.TOTAL, Grouping.SERVICE, Grouping.CHANNEL, Grouping.CELL,
                               Grouping.SERVICE | Grouping.QUESTION, Grouping.SERVICE | Grouping.WORDING_VERSION])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_ROWS, identities=_IDENTITIES, services=st.sampled_from([None, [SERVICE_A], [SERVICE_A, SERVICE_B]]),
       channel=st.sampled_from([None, None, NO_CHANNEL, "ch-1"]), wording=st.sampled_from([None, 1]))
def test_every_grouping_sums_what_the_stored_rows_hold(database: Database, rows: dict[tuple[Any, ...], Any],
                                                       identities: Grouping, services: list[str] | None,
                                                       channel: str | None, wording: int | None) -> None:
    stored = _store(database, rows)
    for time in _TIME_KEYS:
        by = identities | time
        with database.transaction(write=False) as session:
            found = read_histograms(session, services=services, questions=[SMOOTH], start=START, end=END, by=by,
                                    channel=channel, wording_version=wording,
                                    split=SPLIT if time is Grouping.SPLIT else None)
        expected = _expected(stored, identities, time, services=services, channel=channel, wording=wording)
        if by is Grouping.TOTAL:
            expected = expected or {(): ((0,) * HISTOGRAM_SLOTS, 0, 0)}
        assert _found(found) == expected, by
        if time in (Grouping.HOUR, Grouping.DAY, Grouping.WEEK, Grouping.MONTH):
            assert [row.key for row in found] == sorted(row.key for row in found)


def test_current_wording_keeps_each_questions_current_version(database: Database) -> None:
    hour = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    slots = tuple(range(HISTOGRAM_SLOTS))
    _store(database, {(SERVICE_A, NO_CHANNEL, SMOOTH, 1, hour): (slots, 1, 2),
                      (SERVICE_A, NO_CHANNEL, SMOOTH, 2, hour): (slots, 4, 8)})
    with database.transaction(write=False) as session:
        rows = read_histograms(session, services=[SERVICE_A], questions=None, start=START, end=END,
                               by=Grouping.QUESTION | Grouping.DAY, wording_version=CURRENT_WORDING)
    assert rows == [HistogramRow((SMOOTH, dt.date(2026, 6, 1)), slots, 1, 2)]  # the battery's version 1


def test_an_empty_selection_gives_one_zero_total_and_no_groups(database: Database) -> None:
    zero = HistogramRow((), (0,) * HISTOGRAM_SLOTS, 0, 0)
    with database.transaction(write=False) as session:
        assert read_histograms(session, services=[SERVICE_A], questions=[SMOOTH], start=START, end=END) == [zero]
        assert read_histograms(session, services=[], questions=[SMOOTH], start=START, end=END) == [zero]
        assert read_histograms(session, services=[], questions=None, start=START, end=END, by=Grouping.CELL) == []
        assert read_histograms(session, services=None, questions=[], start=START, end=END, by=Grouping.DAY) == []


@pytest.mark.parametrize(("by", "split"), [(Grouping.DAY | Grouping.HOUR, None), (Grouping.SPLIT, None),
                                           (Grouping.DAY, SPLIT), (Grouping.WEEK | Grouping.WEEKDAY_HOUR, None)])
def test_contradictory_groupings_are_refused(database: Database, by: Grouping, split: dt.datetime | None) -> None:
    with database.transaction(write=False) as session, pytest.raises(ValueError, match=r"split|one time grouping"):
        read_histograms(session, services=None, questions=None, start=START, end=END, by=by, split=split)


def test_a_row_is_a_histogram_of_its_scale() -> None:
    row = HistogramRow((), (0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0), 4, 9)
    assert row.answered == 5
    assert row.histogram(Scale.STARS_5) == Histogram(Scale.STARS_5, (3, 0, 0, 0, 2), 4)


def test_the_slot_helpers_read_and_write_one_layout(database: Database) -> None:
    hour = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    slots = tuple(range(10, 10 + HISTOGRAM_SLOTS))
    _store(database, {(SERVICE_A, NO_CHANNEL, SMOOTH, 1, hour): (slots, 0, 0),
                      (SERVICE_B, NO_CHANNEL, SMOOTH, 1, hour): (slots, 0, 0)})
    table = RollupHourly.__table__
    with database.transaction(write=False) as session:
        [stored] = session.scalars(select(RollupHourly).where(RollupHourly.service_id == SERVICE_A)).all()
        assert slots_of(stored) == slots
        assert slots_of(session.execute(select(table).limit(1)).mappings().one()) == slots
        assert tuple(session.execute(select(*slot_sums(table))).one()) == tuple(2 * n for n in slots)
        assert session.scalar(select(answered(table)).limit(1)) == sum(slots)
    with pytest.raises(ValueError, match="11 slots"):
        slot_values([1, 2, 3])
