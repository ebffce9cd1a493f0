"""Reporting days in Finnish time and the periods of a series."""

from __future__ import annotations

import datetime as dt

import pytest

from federation.errors import DomainError
from federation.volumes.days import DayRange, Granularity, day_bounds, local_date
from federation.volumes.series import periods, series


def test_a_reporting_day_is_a_day_in_finland_dst_included() -> None:
    assert day_bounds(dt.date(2026, 3, 10)) == (dt.datetime(2026, 3, 9, 22, tzinfo=dt.UTC),
                                                dt.datetime(2026, 3, 10, 22, tzinfo=dt.UTC))
    start, end = day_bounds(dt.date(2026, 3, 29))  # clocks go forward: a 23-hour day
    assert (start.hour, end - start) == (22, dt.timedelta(hours=23))
    assert local_date(dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC)) == dt.date(2026, 3, 11)


def test_a_window_covers_whole_days_up_to_the_day_before_its_end() -> None:
    utc = dt.UTC
    assert DayRange.of_window(dt.datetime(2026, 1, 1, tzinfo=utc), dt.datetime(2026, 4, 1, tzinfo=utc)) == DayRange(
        dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    now = dt.datetime(2026, 3, 16, 12, tzinfo=utc)
    last_week = DayRange.of_window(now - dt.timedelta(days=7), now)
    assert (last_week.first, last_week.last, last_week.days) == (dt.date(2026, 3, 9), dt.date(2026, 3, 15), 7)
    assert DayRange.of_window(now, now + dt.timedelta(hours=1)).days == 0


def test_periods_are_clipped_to_the_range() -> None:
    days = DayRange(dt.date(2026, 1, 28), dt.date(2026, 3, 3))
    assert list(periods(days, Granularity.MONTH)) == [
        (dt.date(2026, 1, 28), dt.date(2026, 1, 31)), (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 3))]
    weeks = list(periods(days, Granularity.WEEK))
    assert weeks[0] == (dt.date(2026, 1, 28), dt.date(2026, 2, 1)) and weeks[-1] == (dt.date(2026, 3, 2),
                                                                                     dt.date(2026, 3, 3))
    assert len(list(periods(days, Granularity.DAY))) == days.days == 35


def test_a_series_of_more_than_1000_points_is_refused() -> None:
    days = DayRange(dt.date(2020, 1, 1), dt.date(2023, 1, 1))
    with pytest.raises(DomainError) as caught:
        series(days, Granularity.DAY, {}, {}, {})
    assert caught.value.code == "SERIES_TOO_LONG"
    assert len(series(days, Granularity.WEEK, {}, {}, {})) == 1 + 156  # Wed 1.1.2020–Sun 5.1., then full weeks
