"""Reporting days and the periods of a KPI time series. Pure: the clock is passed in.

Organisations count their volumes per calendar day in Finland, so a reporting day is a day of ``Europe/Helsinki``
(23, 24 or 25 hours long in UTC). Its UTC bounds are stored with each report so ratings, which are rolled up
per UTC hour, can be matched to the days whose transactions they rate.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

REPORTING_ZONE = ZoneInfo("Europe/Helsinki")


class Granularity(enum.Enum):
    """The period of one point of a KPI time series."""

    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


def local_date(moment: dt.datetime) -> dt.date:
    """The reporting day a moment falls in."""
    return moment.astimezone(REPORTING_ZONE).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC start (inclusive) and end (exclusive) of a reporting day."""
    start = dt.datetime.combine(day, dt.time(), REPORTING_ZONE)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), REPORTING_ZONE)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class DayRange:
    """Reporting days ``first`` … ``last`` inclusive (``last`` may precede ``first``: an empty range)."""

    first: dt.date
    last: dt.date

    @classmethod
    def of_window(cls, start: dt.datetime, end: dt.datetime) -> DayRange:
        """The days of a time window [start, end): from the day ``start`` falls in up to the day before the one
        ``end`` falls in, so ``to: 2026-04-01T00:00:00+03:00`` ends with 31 March and ``lastDays: 7`` is the
        seven whole days before today (today's figures are usually not complete yet)."""
        return cls(local_date(start), local_date(end) - dt.timedelta(days=1))

    @property
    def days(self) -> int:
        """How many days the range holds."""
        return max(0, (self.last - self.first).days + 1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last


def period_start(day: dt.date, granularity: Granularity) -> dt.date:
    """The first day of the period ``day`` belongs to: itself, the Monday of its ISO week, or the 1st."""
    if granularity is Granularity.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def period_end(start: dt.date, granularity: Granularity) -> dt.date:
    """The last day of the period starting on ``start``."""
    if granularity is Granularity.WEEK:
        return start + dt.timedelta(days=6)
    if granularity is Granularity.MONTH:
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return start
