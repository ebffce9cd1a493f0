"""A weekday × hour heatmap of volume and score, for rush-peak analysis. Pure functions.

Each hourly rollup row falls into one cell (local weekday 1 = Monday … 7 = Sunday, local hour 0–23 in
Europe/Helsinki, so "Monday 8–9" means what the service desk sees on its wall clock); the query groups the rows
by cell in SQL, with the same offset spans as the time series, so 168 rows reach Python. A cell carries the
answers and skips of every such hour in the window, the number of such hours the window holds (``occurrences``)
and so the average answers per occurrence, and its score statistics. On the day clocks go back the repeated local hour
counts twice in one occurrence; on the day they go forward the missing hour simply has one occurrence less.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from federation.analytics.series import LOCAL_TIME_ZONE, HourCounts
from federation.battery.scales import Scale
from federation.scores.stats import Histogram, ScoreStats, summarise

WEEKDAYS = range(1, 8)
HOURS = range(24)


@dataclass(frozen=True)
class HeatmapCell:
    """One weekday × hour cell: its histogram, statistics and how many such local hours the window holds."""

    weekday: int
    hour: int
    histogram: Histogram
    stats: ScoreStats
    occurrences: int

    @property
    def count(self) -> int:
        """Answers in the cell (skips excluded)."""
        return self.histogram.count

    @property
    def exposures(self) -> int:
        """Answers plus skips: how many times the question was shown and acted on."""
        return self.histogram.count + self.histogram.skipped

    @property
    def average_count(self) -> float:
        """Answers per occurrence of this weekday-hour in the window (0 when the window holds none)."""
        return self.count / self.occurrences if self.occurrences else 0.0


@dataclass(frozen=True)
class CellCounts:
    """The rollups of one weekday × hour cell: 11 value slots and skips."""

    weekday: int
    hour: int
    slots: tuple[int, ...]
    skipped: int


def cells_of_hours(hours: Iterable[HourCounts], tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[CellCounts]:
    """Hour rows summed into cells in Python (what the SQL grouping does; used by tests and small reads)."""
    sums: dict[tuple[int, int], list[int]] = {}
    for row in hours:
        local = row.hour.astimezone(tz)
        target = sums.setdefault((local.isoweekday(), local.hour), [0] * 12)
        for value, count in enumerate((*row.slots, row.skipped)):
            target[value] += count
    return [CellCounts(d, h, tuple(v[:11]), v[11]) for (d, h), v in sorted(sums.items())]


def occurrences(start: dt.datetime, end: dt.datetime, tz: ZoneInfo = LOCAL_TIME_ZONE) -> dict[tuple[int, int], int]:
    """How many distinct local weekday-hours of each cell the UTC hours of [start, end) cover.

    Whole 24-hour local days add one to each hour of their weekday at once; only the window's ends and the DST
    change days are walked hour by hour.
    """
    seen = {(d, h): 0 for d in WEEKDAYS for h in HOURS}
    first = start.astimezone(tz).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        day_start = dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
        day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz).astimezone(dt.UTC)
        if start <= day_start and day_end <= end and day_end - day_start == dt.timedelta(hours=24):
            for hour in HOURS:
                seen[(day.isoweekday(), hour)] += 1
            continue
        hour_start = max(day_start, start).replace(minute=0, second=0, microsecond=0)
        if hour_start < max(day_start, start):
            hour_start += dt.timedelta(hours=1)
        local_hours = set()
        while hour_start < min(day_end, end):
            local_hours.add(hour_start.astimezone(tz).hour)
            hour_start += dt.timedelta(hours=1)
        for hour in local_hours:
            seen[(day.isoweekday(), hour)] += 1
    return seen


def heatmap(cells: Iterable[CellCounts], scale: Scale, start: dt.datetime, end: dt.datetime, *,
            publication_threshold: int, tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[HeatmapCell]:
    """All 168 cells, Monday 0:00 first, from the cell rows of [start, end) (cells without rows are empty)."""
    given = {(c.weekday, c.hour): c for c in cells}
    covered = occurrences(start, end, tz)
    result = []
    for key in sorted(covered):
        row = given.get(key)
        histogram = Histogram.from_slots(scale, row.slots, row.skipped) if row else Histogram.empty(scale)
        result.append(HeatmapCell(key[0], key[1], histogram,
                                  summarise(histogram, publication_threshold=publication_threshold), covered[key]))
    return result


def peak(cells: Iterable[HeatmapCell]) -> HeatmapCell | None:
    """The cell with the most answers (earliest in the week on ties), or None when there are none."""
    best: HeatmapCell | None = None
    for cell in cells:
        if cell.count > 0 and (best is None or cell.count > best.count):
            best = cell
    return best
