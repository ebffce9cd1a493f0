"""Significance tests from histograms: hand-computed fixtures, and agreement with scipy on random histograms."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from federation.analytics.significance import (
    TestKind,
    nps_z,
    regularised_beta,
    t_quantile,
    t_two_sided_p,
    two_proportion_z,
    welch_t,
)
from federation.battery.scales import Scale
from federation.scores.stats import Histogram


def stars(*values: int) -> Histogram:
    return Histogram.from_values(Scale.STARS_5, values)


def test_welch_by_hand() -> None:
    # before 1,2,3: mean 2, s² 1, s²/n 1/3; after 3,4,4,5: mean 4, s² 2/3, s²/n 1/6.
    # se = √(1/2); t = 2/√0.5 = 2√2; df = 0.25 / ((1/3)²/2 + (1/6)²/3) = 27/7.
    result = welch_t(stars(1, 2, 3), stars(3, 4, 4, 5))
    assert result.test is TestKind.WELCH_T
    assert (result.before, result.after, result.difference) == (2.0, 4.0, 2.0)
    assert result.statistic == pytest.approx(2 * math.sqrt(2), rel=1e-12)
    assert result.degrees_of_freedom == pytest.approx(27 / 7, rel=1e-12)
    assert result.p_value == pytest.approx(0.0494605591366289, rel=1e-9)  # scipy ttest_ind(equal_var=False)
    half = 2.817473753199967 * math.sqrt(0.5)  # t*(0.975, 27/7) from scipy
    assert (result.interval.low, result.interval.high) == pytest.approx((2 - half, 2 + half), rel=1e-9)
    assert result.significant()


def test_welch_with_no_spread_is_certain_or_null() -> None:
    same = welch_t(stars(4, 4), stars(4, 4, 4))
    assert (same.difference, same.p_value, same.statistic) == (0.0, 1.0, 0.0)
    apart = welch_t(stars(2, 2), stars(5, 5))
    assert (apart.difference, apart.p_value) == (3.0, 0.0)


def test_welch_needs_two_answers_a_side() -> None:
    with pytest.raises(ValueError, match="The before histogram has 1 answers; this test needs at least 2"):
        welch_t(stars(3), stars(4, 5))


def test_two_proportion_z_by_hand() -> None:
    # 30/100 → 45/100; pooled 0.375, se = √(0.375·0.625·0.02), z = 0.15 / se.
    result = two_proportion_z(30, 100, 45, 100)
    assert result.test is TestKind.TWO_PROPORTION_Z
    assert result.difference == pytest.approx(0.15)
    assert result.statistic == pytest.approx(0.15 / math.sqrt(0.375 * 0.625 * 0.02), rel=1e-12)
    assert result.statistic == pytest.approx(2.1908902300206647, rel=1e-12)
    assert result.p_value == pytest.approx(0.02845973691631043, rel=1e-9)
    assert result.interval.low < 0.15 < result.interval.high
    assert result.interval.low >= -1 and result.interval.high <= 1


def test_nps_z_by_hand() -> None:
    # before: 5 promoters, 3 passives, 2 detractors of 10 → NPS 30, var (0.5 + 0.2 − 0.09)/10 = 0.061;
    # after: 7 promoters, 2 passives, 1 detractor → NPS 60, var (0.7 + 0.1 − 0.36)/10 = 0.044.
    before = Histogram.from_values(Scale.NPS_11, [10] * 5 + [8] * 3 + [2] * 2)
    after = Histogram.from_values(Scale.NPS_11, [9] * 7 + [7] * 2 + [0])
    result = nps_z(before, after)
    assert (result.before, result.after) == pytest.approx((30.0, 60.0))
    assert result.difference == pytest.approx(30.0)
    assert result.statistic == pytest.approx(30 / (100 * math.sqrt(0.105)), rel=1e-12)
    assert result.p_value == pytest.approx(0.3545394797735013, rel=1e-9)
    assert not result.significant()


def test_student_t_against_scipy() -> None:
    for t, df in [(0.5, 3.0), (2.1, 10.5), (5.0, 1.0), (1.96, 1000.0), (30.0, 50.0)]:
        assert t_two_sided_p(t, df) == pytest.approx(2 * scipy_stats.t.sf(t, df), rel=1e-9, abs=1e-300)
    for confidence, df in [(0.95, 3.0), (0.95, 17.3), (0.99, 1000.0)]:
        expected = scipy_stats.t.ppf(1 - (1 - confidence) / 2, df)
        assert t_quantile(confidence, df) == pytest.approx(expected, rel=1e-9)
    assert regularised_beta(2.0, 3.0, 0.0) == 0.0 and regularised_beta(2.0, 3.0, 1.0) == 1.0


counts5 = st.lists(st.integers(0, 40), min_size=5, max_size=5).filter(lambda c: sum(c) >= 2)


@given(counts5, counts5)
def test_welch_agrees_with_scipy_on_any_histograms(before: list[int], after: list[int]) -> None:
    b, a = Histogram(Scale.STARS_5, tuple(before)), Histogram(Scale.STARS_5, tuple(after))
    ours = welch_t(b, a)
    values_b = [v for v, c in zip(range(1, 6), before, strict=True) for _ in range(c)]
    values_a = [v for v, c in zip(range(1, 6), after, strict=True) for _ in range(c)]
    if ours.degrees_of_freedom is None or math.isinf(ours.statistic) or ours.statistic == 0.0:
        return
    theirs = scipy_stats.ttest_ind(values_a, values_b, equal_var=False)
    assert ours.statistic == pytest.approx(float(theirs.statistic), rel=1e-9)
    assert ours.p_value == pytest.approx(float(theirs.pvalue), rel=1e-6, abs=1e-12)
    assert ours.interval.contains(ours.difference)
