"""Calendar quarters of a report: parsing ``2026Q3``, their local (Europe/Helsinki) bounds, the previous quarter.

A quarter runs from its first local day's midnight to the next quarter's first local midnight, the same local
calendar that federation/analytics/series.py and federation/volumes/days.py use. A quarter that has not begun is
refused; the running quarter is reported up to the last whole hour (``complete`` is then False).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from federation.analytics.series import LOCAL_TIME_ZONE
from federation.errors import DomainError, ReportCode

EARLIEST_YEAR = 2000
_PATTERN = re.compile(r"(\d{4})[Qq]([1-4])")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter: its year and number 1–4."""

    year: int
    number: int

    @property
    def label(self) -> str:
        """``2026Q3``."""
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        """The quarter's first local date."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        """The quarter's last local date."""
        return self.next().first_day - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        """The quarter's first instant (UTC)."""
        return _local_midnight(self.first_day)

    @property
    def end(self) -> dt.datetime:
        """The instant after the quarter (UTC)."""
        return _local_midnight(self.next().first_day)

    def next(self) -> Quarter:
        """The quarter after this one."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The quarter before this one."""
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TIME_ZONE).astimezone(dt.UTC)


def parse_quarter(raw: str, *, now: dt.datetime) -> Quarter:
    """``YYYYQn`` (n 1–4) as a :class:`Quarter` that has begun by ``now``; INVALID_QUARTER or QUARTER_IN_FUTURE."""
    text = raw.strip()
    match = _PATTERN.fullmatch(text) if len(text) <= 16 else None
    if match is None:
        shown = text[:16] + ("…" if len(text) > 16 else "")
        raise DomainError(ReportCode.INVALID_QUARTER, f"--quarter {shown!r} is not a quarter; write the year and "
                                                      "the quarter 1–4, e.g. 2026Q3.")
    quarter = Quarter(int(match.group(1)), int(match.group(2)))
    if quarter.year < EARLIEST_YEAR:
        raise DomainError(ReportCode.INVALID_QUARTER, f"--quarter {quarter.label} is before {EARLIEST_YEAR}; "
                                                      "arvio holds no ratings that old.")
    if quarter.start >= now:
        current = current_quarter(now)
        raise DomainError(ReportCode.QUARTER_IN_FUTURE, f"--quarter {quarter.label} has not begun yet; report "
                                                        f"{current.label} (running) or an earlier quarter.")
    return quarter


def current_quarter(now: dt.datetime) -> Quarter:
    """The local quarter ``now`` falls in."""
    today = now.astimezone(LOCAL_TIME_ZONE).date()
    return Quarter(today.year, (today.month - 1) // 3 + 1)


def reported_end(quarter: Quarter, now: dt.datetime) -> tuple[dt.datetime, bool]:
    """The end of the reported window (the quarter's end, or ``now``'s last whole hour while it runs) and whether
    the quarter is complete."""
    if quarter.end <= now:
        return quarter.end, True
    return max(quarter.start + dt.timedelta(hours=1), now.replace(minute=0, second=0, microsecond=0)), False
