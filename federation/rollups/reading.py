"""Reading the rollups: histograms of (services, questions, window) grouped by what the caller needs, and the driver
counts of a window.

:func:`read_histograms` is the one way arvio sums ``rollup_hourly`` (scores, analytics, publication, volumes): one
grouped aggregate query per call, filtered by service, question, wording version and hour range — the leading
columns of the read index ``ix_rollup_hourly_service_question_hour`` (federation/rollups/models.py) — so the rows
scanned grow with the hours × channels of the window and the rows returned with the groups asked for (hours, local
days, weekday-hour cells, services, cells), never with the number of ratings behind them.

Local time is Europe/Helsinki, as in federation/analytics/series.py. SQLite has no named time zones, so local days
and weekday-hour cells are computed in SQL from each hour's epoch seconds plus the window's UTC offset spans
(``offset_spans``: +2 h or +3 h, changing at the DST instants) — ``strftime('%s', hour)`` on SQLite, ``extract(epoch
…)`` on PostgreSQL, the same arithmetic after that — and grouped there, so one row per local day reaches Python.
Weeks and months are those day rows summed in Python (at most 366 a year). bench/flat.py measures these reads at
~10 k and ~10 M ratings' worth of rollups.

I/O: reads only, in the caller's session; nothing here writes or commits.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from sqlalchemy import BigInteger, ColumnElement, Integer, Table, and_, case, cast, extract, func, select
from sqlalchemy.orm import Session

from federation.analytics.series import offset_spans
from federation.battery.followups import DRIVERS, Band
from federation.battery.models import Question
from federation.battery.scales import HISTOGRAM_SLOTS, Scale
from federation.rollups.models import RollupDriverHourly, RollupHourly
from federation.rollups.slots import slot_sums
from federation.scores.stats import Histogram


class Grouping(enum.Flag):
    """What the rows of :func:`read_histograms` are grouped by; combine with ``|``.

    Keys come in this order: SERVICE, CHANNEL, QUESTION, WORDING_VERSION, then at most one time grouping. TOTAL (no
    flag) is one row for the whole selection.
    """

    TOTAL = 0
    SERVICE = 1
    """Key: the service id."""
    CHANNEL = 2
    """Key: the channel id (``NO_CHANNEL``, "", for answers sent without one)."""
    QUESTION = 4
    """Key: the question id."""
    WORDING_VERSION = 8
    """Key: the wording version (int)."""
    HOUR = 16
    """Key: the UTC hour (aware datetime)."""
    DAY = 32
    """Key: the local (Europe/Helsinki) date, of the hours inside the window."""
    WEEK = 64
    """Key: the Monday (local date) of the ISO week, summed from the days inside the window."""
    MONTH = 128
    """Key: the first day (local date) of the month, summed from the days inside the window."""
    WEEKDAY_HOUR = 256
    """Keys: the local ISO weekday (1 = Monday) and the local hour (0–23) — two values."""
    SPLIT = 512
    """Key: whether the hours are at or after ``split`` (bool): a before/after pair in one query."""
    CELL = SERVICE | CHANNEL | QUESTION | WORDING_VERSION
    """The publication cell: (service, channel, question, wording version)."""


CURRENT_WORDING: Final = "current"
"""``wording_version=CURRENT_WORDING`` keeps each question's current wording only (joins ``question``)."""

WordingVersion = int | Literal["current"] | None
"""One wording version, each question's current one, or every version (None)."""

_TIMES = (Grouping.HOUR | Grouping.DAY | Grouping.WEEK | Grouping.MONTH | Grouping.WEEKDAY_HOUR
          | Grouping.SPLIT)
_ORDERED = Grouping.HOUR | Grouping.DAY | Grouping.WEEK | Grouping.MONTH
_IDENTITIES = (Grouping.SERVICE, Grouping.CHANNEL, Grouping.QUESTION, Grouping.WORDING_VERSION)
_ROLLUP: Table = RollupHourly.__table__  # type: ignore[assignment]
_COUNTER_SUMS = [*slot_sums(_ROLLUP), func.coalesce(func.sum(_ROLLUP.c.skipped), 0),
                 func.coalesce(func.sum(_ROLLUP.c.offered), 0)]
_EPOCH = dt.date(1970, 1, 1)
Converter = Callable[[Any], Any] | None
"""How a key value read from the database becomes the row's key value (None: as it is)."""


@dataclass(frozen=True, slots=True)
class HistogramRow:
    """One group of :func:`read_histograms`: its key (the values of the grouping, in :class:`Grouping` order;
    ``()`` for TOTAL), its 11 slot counts (slot ``v`` counts answers with value ``v``), skips and draws."""

    key: tuple[Any, ...]
    slots: tuple[int, ...]
    skipped: int
    offered: int

    @property
    def answered(self) -> int:
        """The group's answers (skips not included)."""
        return sum(self.slots)

    def histogram(self, scale: Scale) -> Histogram:
        """The group as a histogram of ``scale`` (its values' slots and the skips)."""
        return Histogram.from_slots(scale, self.slots, self.skipped)


def read_histograms(session: Session, *, services: Collection[str] | None, questions: Collection[str] | None,
                    start: dt.datetime, end: dt.datetime, by: Grouping = Grouping.TOTAL, channel: str | None = None,
                    wording_version: WordingVersion = None, split: dt.datetime | None = None) -> list[HistogramRow]:
    """The rollups of [start, end) summed per group of ``by``, in one query.

    ``services`` / ``questions``: the ids to read (None: every one); ``channel``: one channel only (None: every
    channel, and answers without one); ``wording_version``: see :data:`WordingVersion`; ``split``: the moment a
    SPLIT grouping divides the window at. TOTAL gives exactly one row (zeros when nothing matched); other groupings
    give one row per group with rows in it. Rows of HOUR, DAY, WEEK and MONTH come in key order; others in no
    particular order. ``ValueError`` for two time groupings, or SPLIT without ``split``.
    """
    _check(by, split)
    if (services is not None and not services) or (questions is not None and not questions):
        return [HistogramRow((), (0,) * HISTOGRAM_SLOTS, 0, 0)] if by is Grouping.TOTAL else []
    keys, converters = _keys(session, by, start, end, split)
    stmt = select(*keys, *_COUNTER_SUMS).where(*_filters(services, questions, wording_version, channel, start, end))
    if wording_version == CURRENT_WORDING:
        r = _ROLLUP.c
        stmt = stmt.join(Question, (Question.id == r.question_id) & (Question.current_version == r.wording_version))
    if keys:
        stmt = stmt.group_by(*keys)
    if by & _ORDERED:
        stmt = stmt.order_by(*keys)
    rows = _rows(session.execute(stmt), converters)
    if by & Grouping.WEEK:
        return _fold(rows, _monday)
    if by & Grouping.MONTH:
        return _fold(rows, _first_of_month)
    return rows


def _check(by: Grouping, split: dt.datetime | None) -> None:
    times = [flag for flag in (Grouping.HOUR, Grouping.DAY, Grouping.WEEK, Grouping.MONTH, Grouping.WEEKDAY_HOUR,
                               Grouping.SPLIT) if by & flag]
    if len(times) > 1:
        raise ValueError(f"group by one time grouping at most, not {' and '.join(str(t.name) for t in times)}")
    if bool(by & Grouping.SPLIT) != (split is not None):
        raise ValueError("give split (the moment dividing the window) with Grouping.SPLIT, and only with it")


def _one_or_many(column: ColumnElement[str], values: Collection[str]) -> ColumnElement[bool]:
    return column == next(iter(values)) if len(values) == 1 else column.in_(sorted(values))


def _filters(services: Collection[str] | None, questions: Collection[str] | None, wording_version: WordingVersion,
             channel: str | None, start: dt.datetime, end: dt.datetime) -> list[ColumnElement[bool]]:
    r = _ROLLUP.c
    conditions = [] if services is None else [_one_or_many(r.service_id, services)]
    conditions += [r.hour >= start, r.hour < end]
    if questions is not None:
        conditions.append(_one_or_many(r.question_id, questions))
    if isinstance(wording_version, int):
        conditions.append(r.wording_version == wording_version)
    if channel is not None:
        conditions.append(r.channel_id == channel)
    return conditions


def _keys(session: Session, by: Grouping, start: dt.datetime, end: dt.datetime,
          split: dt.datetime | None) -> tuple[list[ColumnElement[Any]], list[Converter]]:
    """The key expressions of ``by`` (in :class:`Grouping` order) and how to turn each value into the row's key."""
    r = _ROLLUP.c
    identity_columns = {Grouping.SERVICE: r.service_id, Grouping.CHANNEL: r.channel_id,
                        Grouping.QUESTION: r.question_id, Grouping.WORDING_VERSION: r.wording_version}
    keys: list[ColumnElement[Any]] = [identity_columns[flag] for flag in _IDENTITIES if by & flag]
    converters: list[Converter] = [int if flag is Grouping.WORDING_VERSION else None
                                   for flag in _IDENTITIES if by & flag]
    if by & Grouping.HOUR:
        keys.append(r.hour)
        converters.append(None)
    elif by & (Grouping.DAY | Grouping.WEEK | Grouping.MONTH):
        keys.append((_local_seconds(session, start, end) // 86400).label("local_day"))
        converters.append(_day_of)
    elif by & Grouping.WEEKDAY_HOUR:
        local = _local_seconds(session, start, end)
        keys.append(((local // 86400 + 3) % 7 + 1).label("local_weekday"))  # 1970-01-01 was a Thursday
        keys.append(((local % 86400) // 3600).label("local_hour"))
        converters += [int, int]
    elif by & Grouping.SPLIT:
        keys.append((r.hour >= split).label("after_split"))
        converters.append(bool)
    return keys, converters


def _local_seconds(session: Session, start: dt.datetime, end: dt.datetime) -> ColumnElement[int]:
    """Seconds since 1970-01-01 00:00 *local time* of each rollup hour: epoch seconds plus the UTC offset of the
    span (of the window) the hour falls in."""
    hour = _ROLLUP.c.hour
    if session.get_bind().dialect.name == "sqlite":
        epoch: ColumnElement[int] = cast(func.strftime("%s", hour), Integer)
    else:
        epoch = cast(extract("epoch", hour), BigInteger)
    spans = offset_spans(start, end)
    if len(spans) == 1:
        return epoch + spans[0][2]
    offset = case(*[(and_(hour >= low, hour < high), seconds) for low, high, seconds in spans[:-1]],
                  else_=spans[-1][2])
    return epoch + offset


def _day_of(number: Any) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(number))


def _rows(result: Iterable[Sequence[Any]], converters: Sequence[Converter]) -> list[HistogramRow]:
    width = len(converters)
    slots_end = width + HISTOGRAM_SLOTS
    plain = all(convert is None for convert in converters)  # identity keys only: the export's cells
    rows = []
    for row in result:
        key = tuple(row[:width]) if plain else tuple(value if convert is None else convert(value)
                                                    for convert, value in zip(converters, row[:width], strict=True))
        rows.append(HistogramRow(key, tuple(map(int, row[width:slots_end])), int(row[slots_end]),
                                 int(row[slots_end + 1])))
    return rows


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _fold(rows: Sequence[HistogramRow], period: Callable[[dt.date], dt.date]) -> list[HistogramRow]:
    """Day rows (in key order, the day last) summed into the periods ``period`` maps their days to."""
    folded: list[HistogramRow] = []
    for row in rows:
        key = (*row.key[:-1], period(row.key[-1]))
        if folded and folded[-1].key == key:
            last = folded[-1]
            folded[-1] = HistogramRow(key, tuple(a + b for a, b in zip(last.slots, row.slots, strict=True)),
                                      last.skipped + row.skipped, last.offered + row.offered)
        else:
            folded.append(HistogramRow(key, row.slots, row.skipped, row.offered))
    return folded


@dataclass(frozen=True)
class DriverCounts:
    """How often each driver was chosen, per polarity, in a window: ``counts[band][driver]``."""

    counts: dict[Band, dict[str, int]]

    def of(self, band: Band) -> list[tuple[str, int]]:
        """(driver, count) of one band, most chosen first, then in :data:`DRIVERS` order; zeros left out."""
        row = self.counts.get(band, {})
        return sorted(((d, n) for d, n in row.items() if n > 0), key=lambda p: (-p[1], DRIVERS.index(p[0])
                                                                                if p[0] in DRIVERS else 99))


def read_driver_counts(session: Session, *, service_id: str, question_id: str, wording_version: int,
                       start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> DriverCounts:
    """Driver counts of a service's question over [start, end), summed from ``rollup_driver_hourly``."""
    r = RollupDriverHourly
    stmt = (select(r.polarity, r.driver, func.sum(r.count))
            .where(r.service_id == service_id, r.question_id == question_id,
                   r.wording_version == wording_version, r.hour >= start, r.hour < end)
            .group_by(r.polarity, r.driver))
    if channel_id is not None:
        stmt = stmt.where(r.channel_id == channel_id)
    counts: dict[Band, dict[str, int]] = {}
    for polarity, driver, total in session.execute(stmt):
        counts.setdefault(Band(polarity), {})[driver] = int(total)
    return DriverCounts(counts)
