"""A weekday × hour heatmap of volume and score, for rush-peak analysis. Pure functions.

Each hourly rollup row falls into one cell (local weekday 1 = Monday … 7 = Sunday, local hour 0–23 in
Europe/Helsinki, so "Monday 8–9" means what the service desk sees on its wall clock). A cell carries the answers
and skips of every such hour in the window, the number of such hours the window holds (``occurrences``) and so
the average answers per occurrence, and its score statistics. On the day clocks go back the repeated local hour
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


def _cell_of(hour: dt.datetime, tz: ZoneInfo) -> tuple[int, int]:
    local = hour.astimezone(tz)
    return local.isoweekday(), local.hour


def occurrences(start: dt.datetime, end: dt.datetime, tz: ZoneInfo = LOCAL_TIME_ZONE) -> dict[tuple[int, int], int]:
    """How many distinct local weekday-hours of each cell the UTC hours of [start, end) cover."""
    seen: dict[tuple[int, int], set[dt.date]] = {(d, h): set() for d in WEEKDAYS for h in HOURS}
    hour = start.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    if hour < start:
        hour += dt.timedelta(hours=1)
    while hour < end:
        local = hour.astimezone(tz)
        seen[(local.isoweekday(), local.hour)].add(local.date())
        hour += dt.timedelta(hours=1)
    return {cell: len(days) for cell, days in seen.items()}


def heatmap(hours: Iterable[HourCounts], scale: Scale, start: dt.datetime, end: dt.datetime, *,
            publication_threshold: int, tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[HeatmapCell]:
    """All 168 cells, Monday 0:00 first, from the hour rows of [start, end) (rows outside are ignored)."""
    slots = {(d, h): [0] * 11 for d in WEEKDAYS for h in HOURS}
    skipped = dict.fromkeys(slots, 0)
    for row in hours:
        if not start <= row.hour < end:
            continue
        cell = _cell_of(row.hour, tz)
        target = slots[cell]
        for value, count in enumerate(row.slots):
            target[value] += count
        skipped[cell] += row.skipped
    covered = occurrences(start, end, tz)
    cells = []
    for key in sorted(slots):
        histogram = Histogram.from_slots(scale, slots[key], skipped[key])
        cells.append(HeatmapCell(key[0], key[1], histogram,
                                 summarise(histogram, publication_threshold=publication_threshold), covered[key]))
    return cells


def peak(cells: Iterable[HeatmapCell]) -> HeatmapCell | None:
    """The cell with the most answers (earliest in the week on ties), or None when there are none."""
    best: HeatmapCell | None = None
    for cell in cells:
        if cell.count > 0 and (best is None or cell.count > best.count):
            best = cell
    return best
