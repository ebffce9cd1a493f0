"""Change impact: equal windows around a local date, statuses, and the test chosen by the scale."""

from __future__ import annotations

import datetime as dt

import pytest

from federation.analytics.change import (
    ImpactStatus,
    ImpactWindows,
    change_moment,
    difference_of,
    impact,
    impact_windows,
)
from federation.analytics.significance import TestKind
from federation.battery.scales import Scale
from federation.scores.stats import Histogram

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 16, 12, 30, tzinfo=UTC)


def test_the_change_takes_effect_at_local_midnight() -> None:
    assert change_moment(dt.date(2026, 1, 10)) == dt.datetime(2026, 1, 9, 22, tzinfo=UTC)
    assert change_moment(dt.date(2026, 6, 10)) == dt.datetime(2026, 6, 9, 21, tzinfo=UTC)


def test_complete_windows_are_equal_and_adjacent() -> None:
    windows = impact_windows(dt.date(2026, 1, 10), window_days=28, now=NOW)
    change = dt.datetime(2026, 1, 9, 22, tzinfo=UTC)
    assert windows == ImpactWindows(change - dt.timedelta(days=28), change, change + dt.timedelta(days=28), True)


def test_a_running_after_window_shortens_both_to_whole_hours() -> None:
    windows = impact_windows(dt.date(2026, 3, 10), window_days=28, now=NOW)
    change = dt.datetime(2026, 3, 9, 22, tzinfo=UTC)
    elapsed = dt.datetime(2026, 3, 16, 12, tzinfo=UTC) - change
    assert windows == ImpactWindows(change - elapsed, change, change + elapsed, False)
    assert windows is not None and windows.length == dt.timedelta(days=6, hours=14)


def test_a_future_change_is_pending() -> None:
    assert impact_windows(dt.date(2026, 3, 17), window_days=28, now=NOW) is None
    assert impact(None, None, None).status is ImpactStatus.PENDING
    with pytest.raises(ValueError, match="windowDays must be 1–365, got 0"):
        impact_windows(dt.date(2026, 1, 1), window_days=0, now=NOW)


def test_statuses_and_the_difference() -> None:
    windows = impact_windows(dt.date(2026, 1, 10), window_days=28, now=NOW)
    before = Histogram.from_values(Scale.STARS_5, [1, 2, 3])
    after = Histogram.from_values(Scale.STARS_5, [3, 4, 4, 5])
    done = impact(windows, before, after)
    assert done.status is ImpactStatus.COMPLETE and done.difference is not None
    assert done.difference.difference == 2.0 and done.difference.test is TestKind.WELCH_T
    assert impact(windows, before, after, minimum_count=4).status is ImpactStatus.INSUFFICIENT_DATA
    running = impact(impact_windows(dt.date(2026, 3, 10), window_days=28, now=NOW), before, after)
    assert running.status is ImpactStatus.PARTIAL


def test_the_test_follows_the_scale() -> None:
    yes_before = Histogram.from_values(Scale.YES_NO, [0] * 70 + [1] * 30)
    yes_after = Histogram.from_values(Scale.YES_NO, [0] * 55 + [1] * 45)
    share = difference_of(yes_before, yes_after)
    assert share.test is TestKind.TWO_PROPORTION_Z and share.difference == pytest.approx(0.15)
    nps = difference_of(Histogram.from_values(Scale.NPS_11, [10, 0, 8]), Histogram.from_values(Scale.NPS_11, [9, 9]))
    assert nps.test is TestKind.NPS_Z and nps.difference == pytest.approx(100.0)
    faces = difference_of(Histogram.from_values(Scale.FACES_4, [1, 2]), Histogram.from_values(Scale.FACES_4, [4, 3]))
    assert faces.test is TestKind.WELCH_T and faces.difference == 2.0
