"""KPI time series: the days of a range grouped into days, ISO weeks or calendar months. Pure.

Every period of the range is a point, also one without reports (its totals are zero and its KPIs null), so a
chart's gaps are visible. The first and last periods are clipped to the range: a point's ``first``/``last`` say
which days it really covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from federation.errors import DomainError, VolumesCode
from federation.volumes.days import DayRange, Granularity, period_end, period_start
from federation.volumes.kpis import RatingTotals, VolumeTotals

MAX_SERIES_POINTS = 1000


@dataclass(frozen=True)
class SeriesPoint:
    """The totals of one period (days ``first`` … ``last`` inclusive)."""

    first: dt.date
    last: dt.date
    volumes: VolumeTotals
    ratings: RatingTotals


def periods(days: DayRange, granularity: Granularity) -> Iterator[tuple[dt.date, dt.date]]:
    """The (first, last) day of each period overlapping ``days``, clipped to it, in order."""
    start = period_start(days.first, granularity)
    while start <= days.last:
        end = period_end(start, granularity)
        yield max(start, days.first), min(end, days.last)
        start = end + dt.timedelta(days=1)


def series(days: DayRange, granularity: Granularity, daily: Mapping[dt.date, VolumeTotals],
           covered: Mapping[dt.date, int], ratings: Mapping[dt.date, tuple[int, int]]) -> list[SeriesPoint]:
    """One point per period; ``covered`` and ``ratings`` are per-day coverage numerators and (answered,
    skipped) counts. Refuses more than ``MAX_SERIES_POINTS`` points."""
    spans = list(periods(days, granularity))
    if len(spans) > MAX_SERIES_POINTS:
        raise DomainError(VolumesCode.SERIES_TOO_LONG,
                          f"the series would have {len(spans)} points; at most "
                          f"{MAX_SERIES_POINTS} are returned. Use WEEK or MONTH, or a shorter window.")
    points = []
    for first, last in spans:
        span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        volumes = VolumeTotals.total(daily[d] for d in span if d in daily)
        answered = sum(ratings[d][0] for d in span if d in ratings)
        skipped = sum(ratings[d][1] for d in span if d in ratings)
        points.append(SeriesPoint(first, last, volumes,
                                  RatingTotals(answered, skipped, sum(covered.get(d, 0) for d in span))))
    return points
