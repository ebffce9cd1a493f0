"""Time series of a score: rollups bucketed by hour, day, week, month or quarter. Pure functions.

Buckets are calendar periods in Finnish local time (Europe/Helsinki, with its daylight saving time): a "day" runs
from local midnight to local midnight (23 or 25 hours on the DST change days), a week starts on Monday (ISO
8601), months and quarters on their first local midnight. That is what organisations expect when they read
"Monday" or "March". Hour buckets are plain UTC hours labelled in local time.

Where the bucketing happens: rollups are keyed by UTC hour, and SQLite has no named time zones, so the query
(``read_histograms`` in federation/rollups/reading.py) adds the window's UTC offset spans (``offset_spans``: +2 h
or +3 h, changing at the DST instants) to each hour and groups by local day in SQL — one row per local day of the
window reaches Python, which sums days into weeks, months and quarters. Hour buckets read one row per hour (at
most ``MAX_POINTS``). Either way the work grows with the days (or hours) in the window, never with the number of
ratings.

A bucket clipped by the window's ends is marked ``partial``. Each bucket's statistics come from ``summarise``;
``published`` follows the publication threshold per bucket.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from federation.battery.scales import Scale
from federation.scores.stats import Histogram, Interval, ScoreStats, summarise

LOCAL_TIME_ZONE = ZoneInfo("Europe/Helsinki")
MAX_POINTS = 2000
"""The most buckets one series may have (an hourly series of 83 days); coarser granularities cover more."""


class Granularity(enum.Enum):
    """The calendar period of one bucket."""

    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"


@dataclass(frozen=True)
class HourCounts:
    """One UTC hour of rollups summed over channels: 11 value slots (slot v counts value v) and skips."""

    hour: dt.datetime
    slots: tuple[int, ...]
    skipped: int

    def histogram(self, scale: Scale) -> Histogram:
        """The hour as a histogram of ``scale``."""
        return Histogram.from_slots(scale, self.slots, self.skipped)


@dataclass(frozen=True)
class DayCounts:
    """One local day of rollups (the hours of it inside the window) summed over channels."""

    day: dt.date
    slots: tuple[int, ...]
    skipped: int

    def histogram(self, scale: Scale) -> Histogram:
        """The day as a histogram of ``scale``."""
        return Histogram.from_slots(scale, self.slots, self.skipped)


@dataclass(frozen=True)
class Bucket:
    """A bucket [start, end) in UTC, its local calendar label and whether the window clipped it."""

    start: dt.datetime
    end: dt.datetime
    label: str
    partial: bool


@dataclass(frozen=True)
class SeriesPoint:
    """One bucket's histogram and statistics."""

    bucket: Bucket
    histogram: Histogram
    stats: ScoreStats


def local_start(moment: dt.datetime, granularity: Granularity, tz: ZoneInfo = LOCAL_TIME_ZONE) -> dt.datetime:
    """The start (aware, in ``tz``) of the bucket that contains ``moment``."""
    local = moment.astimezone(tz)
    if granularity is Granularity.HOUR:
        return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0).astimezone(tz)
    day = local.date()
    if granularity is Granularity.WEEK:
        day -= dt.timedelta(days=day.weekday())
    elif granularity is Granularity.MONTH:
        day = day.replace(day=1)
    elif granularity is Granularity.QUARTER:
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return _midnight(day, tz)


def _midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    # Helsinki changes clocks at 03:00/04:00, never at midnight, so local midnight always exists once.
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def _next_start(start: dt.datetime, granularity: Granularity, tz: ZoneInfo) -> dt.datetime:
    if granularity is Granularity.HOUR:
        return (start.astimezone(dt.UTC) + dt.timedelta(hours=1)).astimezone(tz)
    day = start.date()
    if granularity is Granularity.DAY:
        return _midnight(day + dt.timedelta(days=1), tz)
    if granularity is Granularity.WEEK:
        return _midnight(day + dt.timedelta(days=7), tz)
    months = 1 if granularity is Granularity.MONTH else 3
    month_index = day.year * 12 + day.month - 1 + months
    return _midnight(dt.date(month_index // 12, month_index % 12 + 1, 1), tz)


def label_of(start: dt.datetime, granularity: Granularity) -> str:
    """The bucket's local label: 2026-03-16T09:00+02:00, 2026-03-16, 2026-W12, 2026-03 or 2026-Q1."""
    if granularity is Granularity.HOUR:
        return start.isoformat(timespec="minutes")
    if granularity is Granularity.DAY:
        return start.date().isoformat()
    if granularity is Granularity.WEEK:
        year, week, _ = start.date().isocalendar()
        return f"{year}-W{week:02d}"
    if granularity is Granularity.MONTH:
        return f"{start.year}-{start.month:02d}"
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def buckets(start: dt.datetime, end: dt.datetime, granularity: Granularity,
            tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[Bucket]:
    """The buckets covering [start, end), the first and last clipped to the window (and marked partial).

    Raises ``ValueError`` when there would be more than ``MAX_POINTS`` buckets.
    """
    result: list[Bucket] = []
    bucket_start = local_start(start, granularity, tz)
    while bucket_start.astimezone(dt.UTC) < end:
        bucket_end = _next_start(bucket_start, granularity, tz)
        utc_start, utc_end = bucket_start.astimezone(dt.UTC), bucket_end.astimezone(dt.UTC)
        clipped_start, clipped_end = max(utc_start, start), min(utc_end, end)
        partial = clipped_start != utc_start or clipped_end != utc_end
        result.append(Bucket(clipped_start, clipped_end, label_of(bucket_start, granularity), partial))
        if len(result) > MAX_POINTS:
            raise ValueError(f"The window holds more than {MAX_POINTS} {granularity.value.lower()} buckets: "
                             "choose a coarser granularity or a shorter window.")
        bucket_start = bucket_end
    return result


def offset_spans(start: dt.datetime, end: dt.datetime,
                 tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """(from, to, UTC offset in seconds) spans covering [start, end), split where the offset changes.

    Days are probed at UTC midnight and a change is pinned to its UTC hour by bisection (zones change clocks on
    whole hours), so a ten-year window costs a few thousand offset look-ups.
    """
    def offset(moment: dt.datetime) -> int:
        delta = moment.astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    spans: list[tuple[dt.datetime, dt.datetime, int]] = []
    span_start, current = start, offset(start)
    probe = start.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    while probe < end:
        following = min(probe + dt.timedelta(days=1), end)
        if offset(following) != current and following > span_start:
            low, high = max(probe, span_start), following
            while high - low > dt.timedelta(hours=1):
                middle = low + (high - low) / 2
                middle = middle.replace(minute=0, second=0, microsecond=0)
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            spans.append((span_start, high, current))
            span_start, current = high, offset(high)
        probe = following
    spans.append((span_start, end, current))
    return spans


def _accumulate(slots: list[list[int]], skipped: list[int], index: int, row_slots: Sequence[int],
                row_skipped: int) -> None:
    target = slots[index]
    for value, count in enumerate(row_slots):
        target[value] += count
    skipped[index] += row_skipped


def bucket_histograms(hours: Iterable[HourCounts], scale: Scale,
                      bucket_list: Sequence[Bucket]) -> list[Histogram]:
    """The histogram of each bucket from hour rows (hours outside every bucket are ignored)."""
    starts = [b.start for b in bucket_list]
    slots = [[0] * 11 for _ in bucket_list]
    skipped = [0] * len(bucket_list)
    for row in hours:
        index = bisect.bisect_right(starts, row.hour) - 1
        if index >= 0 and row.hour < bucket_list[index].end:
            _accumulate(slots, skipped, index, row.slots, row.skipped)
    return [Histogram.from_slots(scale, s, k) for s, k in zip(slots, skipped, strict=True)]


def day_bucket_histograms(days: Iterable[DayCounts], scale: Scale, bucket_list: Sequence[Bucket],
                          tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[Histogram]:
    """The histogram of each day-aligned bucket (DAY and coarser) from local-day rows."""
    first_days = [b.start.astimezone(tz).date() for b in bucket_list]
    last_day = (bucket_list[-1].end - dt.timedelta(microseconds=1)).astimezone(tz).date() if bucket_list else None
    slots = [[0] * 11 for _ in bucket_list]
    skipped = [0] * len(bucket_list)
    for row in days:
        index = bisect.bisect_right(first_days, row.day) - 1
        if index >= 0 and last_day is not None and row.day <= last_day:
            _accumulate(slots, skipped, index, row.slots, row.skipped)
    return [Histogram.from_slots(scale, s, k) for s, k in zip(slots, skipped, strict=True)]


def _points(bucket_list: Sequence[Bucket], histograms: Sequence[Histogram],
            publication_threshold: int) -> list[SeriesPoint]:
    return [SeriesPoint(b, h, summarise(h, publication_threshold=publication_threshold))
            for b, h in zip(bucket_list, histograms, strict=True)]


def hourly_series(hours: Iterable[HourCounts], scale: Scale, start: dt.datetime, end: dt.datetime, *,
                  publication_threshold: int, tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[SeriesPoint]:
    """Every hour bucket of [start, end) from hour rows, oldest first (empty buckets included)."""
    bucket_list = buckets(start, end, Granularity.HOUR, tz)
    return _points(bucket_list, bucket_histograms(hours, scale, bucket_list), publication_threshold)


def series(days: Iterable[DayCounts], scale: Scale, start: dt.datetime, end: dt.datetime,
           granularity: Granularity, *, publication_threshold: int,
           tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[SeriesPoint]:
    """Every DAY, WEEK, MONTH or QUARTER bucket of [start, end) from local-day rows (of the hours inside the
    window), oldest first (empty buckets included)."""
    if granularity is Granularity.HOUR:
        raise ValueError("Hour buckets are built from hour rows: use hourly_series.")
    bucket_list = buckets(start, end, granularity, tz)
    return _points(bucket_list, day_bucket_histograms(days, scale, bucket_list, tz), publication_threshold)


def headline(stats: ScoreStats) -> tuple[float | None, Interval | None]:
    """The scale's headline metric and its interval: NPS for NPS_11, yes-share for YES_NO, otherwise the mean."""
    if stats.scale is Scale.NPS_11:
        return stats.nps, stats.nps_interval
    if stats.scale is Scale.YES_NO:
        return stats.yes_share, stats.yes_share_interval
    return stats.mean, stats.mean_interval


def daily_histograms(days: Iterable[DayCounts], scale: Scale, start: dt.datetime, end: dt.datetime,
                     tz: ZoneInfo = LOCAL_TIME_ZONE) -> list[tuple[dt.date, Histogram]]:
    """(local date, histogram) of every local day of [start, end), days without rows empty, for day-level
    analyses such as alerts."""
    by_day = {row.day: row for row in days}
    first = start.astimezone(tz).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    result = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        row = by_day.get(day)
        result.append((day, row.histogram(scale) if row else Histogram.empty(scale)))
    return result
