"""Change impact: equal windows around a local date, statuses, and the test chosen by the scale."""

from __future__ import annotations

import datetime as dt

import pytest

from federation.analytics.change import (
    ImpactStatus,
    ImpactWindows,
    change_moment,
    difference_of,
    driver_impact,
    impact,
    impact_windows,
    improvement_answers,
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


def _windows(complete: bool = True) -> ImpactWindows:
    change = dt.datetime(2026, 2, 14, 22, tzinfo=UTC)
    return ImpactWindows(change - dt.timedelta(days=14), change, change + dt.timedelta(days=14), complete)


def test_a_cited_drivers_share_of_the_improvement_answers_is_tested_before_and_after() -> None:
    before = Histogram(Scale.STARS_5, (20, 10, 10, 30, 30))  # improvement answers (1–3): 40
    after = Histogram(Scale.STARS_5, (10, 10, 20, 30, 30))   # improvement answers: 40
    assert improvement_answers(before) == 40 and improvement_answers(after) == 40
    got = driver_impact("staff", impact(_windows(), before, after), cited_before=20, cited_after=6)
    assert (got.driver, got.status, got.before_answers, got.after_answers, got.before_cited, got.after_cited) == (
        "staff", ImpactStatus.COMPLETE, 40, 40, 20, 6)
    assert got.difference is not None and got.difference.test is TestKind.TWO_PROPORTION_Z
    assert (got.difference.before, got.difference.after) == (0.5, 0.15)
    assert got.difference.difference == pytest.approx(-0.35) and got.difference.significant()
    assert -1 <= got.difference.interval.low < got.difference.interval.high < 0


def test_nps_improvement_answers_are_detractors_and_passives() -> None:
    histogram = Histogram(Scale.NPS_11, (1, 0, 0, 0, 0, 0, 2, 3, 4, 5, 6))
    assert improvement_answers(histogram) == 10


def test_driver_impact_statuses_and_guards() -> None:
    few = Histogram(Scale.STARS_5, (1, 0, 0, 5, 5))
    many = Histogram(Scale.STARS_5, (10, 0, 0, 5, 5))
    pending = driver_impact("ease", impact(None, None, None), cited_before=0, cited_after=0)
    assert (pending.status, pending.difference) == (ImpactStatus.PENDING, None)
    thin = driver_impact("ease", impact(_windows(), few, many), cited_before=1, cited_after=3, minimum_count=5)
    assert (thin.status, thin.before_answers, thin.difference) == (ImpactStatus.INSUFFICIENT_DATA, 1, None)
    partial = driver_impact("ease", impact(_windows(complete=False), many, many), cited_before=99, cited_after=-3)
    assert partial.status is ImpactStatus.PARTIAL
    assert (partial.before_cited, partial.after_cited) == (10, 0)  # capped to the answers, never negative
