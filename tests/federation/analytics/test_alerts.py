"""The change detector: a hand-computed CUSUM, detection of a real step, and the false-alarm bound by simulation."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from federation.analytics.alerts import (
    ChangePoint,
    CusumPolicy,
    Direction,
    blocks_of,
    detect,
    siegmund_arl,
    threshold_for,
)
from federation.battery.scales import Scale
from federation.scores.stats import Histogram

DAY0 = dt.date(2025, 1, 1)
TEST_ALPHA = 1e-6


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def stars(*values: int) -> Histogram:
    return Histogram.from_values(Scale.STARS_5, values)


def test_siegmund_and_the_threshold() -> None:
    b = 4 + 1.166
    assert siegmund_arl(4.0, 0.5) == pytest.approx((math.exp(b) - b - 1) / 0.5)
    assert threshold_for(siegmund_arl(4.0, 0.5), 0.5) == pytest.approx(4.0, abs=1e-9)
    # The default: one false alarm a year, designed at a third of that, two-sided → one-sided ARL 2190 days.
    assert CusumPolicy().threshold == pytest.approx(threshold_for(2190.0, 0.5))
    assert 5.8 < CusumPolicy().threshold < 5.9


def test_a_hand_computed_drop() -> None:
    # h = 3 exactly: choose the bound whose design rate 2/ARL(3) per day is the whole bound (margin 1).
    policy = CusumPolicy(false_alarms_per_year=365 * 2 / siegmund_arl(3.0, 0.5), design_margin=1.0,
                         warmup_days=2, warmup_answers=4, block_answers=1)
    assert policy.threshold == pytest.approx(3.0, abs=1e-9)
    days = [(day(0), stars(3, 5)), (day(1), stars(3, 5)), (day(2), stars(1, 1)), (day(3), stars(1, 1))]
    # Reference 3,5,3,5: mean 4, s = √(4/3). Day 2: z = (1 − 4) / (s·√(1/2 + 1/4)) = −3 → S⁻ = 2.5.
    # Reference + day 2: mean 3, s = √3.2. Day 3: z = −2 / (√3.2·√(1/2 + 1/6)) → S⁻ = 2.5 − z − 0.5.
    z3 = -2 / (math.sqrt(3.2) * math.sqrt(1 / 2 + 1 / 6))
    run = detect(days, policy)
    assert run.change_points == (ChangePoint(Direction.DROP, day(2), day(3), 4.0, 4, 1.0, 4,
                                             pytest.approx(2.5 - z3 - 0.5)),)  # type: ignore[arg-type]
    assert run.monitored_days == 2


def test_small_days_are_pooled_into_blocks() -> None:
    days = [(day(0), stars(5)), (day(1), Histogram.empty(Scale.STARS_5)), (day(2), stars(4, 4)), (day(3), stars(1))]
    blocks = blocks_of(days, 3)
    assert [(b.first, b.last, b.days, b.histogram.count) for b in blocks] == [(day(0), day(2), 2, 3)]


def simulate(rng: np.random.Generator, days: int, daily: float, shares: list[float],
             shifted: list[float] | None = None, at: int = 0) -> list[tuple[dt.date, Histogram]]:
    series = []
    for i, n in enumerate(rng.poisson(daily, size=days)):
        probabilities = shifted if shifted is not None and i >= at else shares
        counts = rng.multinomial(int(n), probabilities)
        series.append((day(i), Histogram(Scale.STARS_5, tuple(int(c) for c in counts))))
    return series


def test_a_step_change_is_found_in_the_right_direction_and_place() -> None:
    rng = np.random.default_rng(7)
    series = simulate(rng, 120, 30, [0.1, 0.1, 0.3, 0.3, 0.2], shifted=[0.02, 0.03, 0.15, 0.4, 0.4], at=60)
    points = detect(series).change_points
    assert [p.direction for p in points] == [Direction.RISE]
    (rise,) = points
    assert day(56) <= rise.started_on <= day(61) and rise.detected_on <= day(66)
    assert rise.reference_mean < 3.5 < rise.shifted_mean


SCENARIOS = {
    "one answer a day": (1.0, [0.05, 0.1, 0.2, 0.35, 0.3]),
    "ten a day, nearly all fives": (10.0, [0.01, 0.01, 0.01, 0.02, 0.95]),
    "forty a day, skewed": (40.0, [0.02, 0.02, 0.04, 0.12, 0.8]),
    "two hundred a day": (200.0, [0.05, 0.1, 0.2, 0.35, 0.3]),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_false_alarms_on_stationary_series_stay_under_the_stated_bound(scenario: str) -> None:
    daily, shares = SCENARIOS[scenario]
    policy = CusumPolicy()
    rng = np.random.default_rng(sorted(SCENARIOS).index(scenario) + 2026)
    alarms = monitored = 0
    for _ in range(60):
        run = detect(simulate(rng, 365, daily, shares), policy)
        alarms += len(run.change_points)
        monitored += run.monitored_days
    allowed_rate = monitored / 365 * policy.false_alarms_per_year
    # Reject "rate <= bound" only if this many alarms would be that unlikely (one-sided Poisson test).
    p_value = float(scipy_stats.poisson.sf(alarms - 1, allowed_rate))
    assert p_value > TEST_ALPHA, f"{alarms} alarms in {monitored} monitored days (bound: {allowed_rate:.1f})"
