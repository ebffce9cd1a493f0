"""Two-sample significance tests computed from histograms: Welch's t, two-proportion z and the NPS z-test.

Pure functions. Each returns the difference ``after − before`` with its confidence interval, the test statistic
and a two-sided p-value. Limits: every test is approximate (normal or Student-t approximation of a bounded,
discrete scale); it is reasonable at the sample sizes arvio publishes (n >= 10 per side) and only indicative
below that. Student's t distribution is evaluated with the regularised incomplete beta function (continued
fraction, accurate to ~1e-12), so no statistics library is needed at run time.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from statistics import NormalDist

from federation.scores.stats import (
    DEFAULT_CONFIDENCE,
    Histogram,
    Interval,
    mean_of,
    wilson_interval,
    z_score,
)

_NORMAL = NormalDist()
_EPSILON = 1e-15
_MAX_ITERATIONS = 300


class TestKind(enum.Enum):
    """Which test produced a difference."""

    __test__ = False  # not a pytest test class

    WELCH_T = "WELCH_T"
    TWO_PROPORTION_Z = "TWO_PROPORTION_Z"
    NPS_Z = "NPS_Z"


@dataclass(frozen=True)
class Difference:
    """``after − before`` of one metric, with its interval, test statistic and two-sided p-value.

    ``degrees_of_freedom`` is set for Welch's t only (Welch–Satterthwaite).
    """

    test: TestKind
    before: float
    after: float
    difference: float
    interval: Interval
    statistic: float
    degrees_of_freedom: float | None
    p_value: float

    def significant(self, alpha: float = 0.05) -> bool:
        """Whether the two-sided p-value is below ``alpha``."""
        return self.p_value < alpha


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _EPSILON else _EPSILON)
    result = d
    for m in range(1, _MAX_ITERATIONS + 1):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _EPSILON else _EPSILON)
            c = 1.0 + numerator / c
            c = c if abs(c) > _EPSILON else _EPSILON
            result *= d * c
        if abs(d * c - 1.0) < 1e-14:
            break
    return result


def regularised_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"x must be within [0, 1], got {x}.")
    if x in (0.0, 1.0):
        return x
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df}.")
    if math.isinf(t):
        return 0.0
    return regularised_beta(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(confidence: float, df: float) -> float:
    """The two-sided critical value t* with P(|T| <= t*) = ``confidence`` (bisection on the CDF)."""
    z_score(confidence)  # validates confidence
    alpha = 1.0 - confidence
    low, high = 0.0, 1.0
    while t_two_sided_p(high, df) > alpha:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_two_sided_p(middle, df) > alpha:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


def _normal_p(z: float) -> float:
    return 2.0 * (1.0 - _NORMAL.cdf(abs(z)))


def _sample_variance(histogram: Histogram) -> float:
    mean = mean_of(histogram)
    squares = sum(c * (v - mean) ** 2 for v, c in zip(histogram.scale.values, histogram.counts, strict=True))
    return squares / (histogram.count - 1)


def _require(histogram: Histogram, minimum: int, side: str) -> None:
    if histogram.count < minimum:
        raise ValueError(f"The {side} histogram has {histogram.count} answers; this test needs at least "
                         f"{minimum}: widen the window.")


def welch_t(before: Histogram, after: Histogram, *, confidence: float = DEFAULT_CONFIDENCE) -> Difference:
    """Welch's unequal-variance t-test on the two histograms' means (each needs n >= 2).

    The interval is ``difference ± t*(df) · se`` with Welch–Satterthwaite ``df``. When both samples have zero
    variance the interval is degenerate and p is 1 for equal means, 0 otherwise.
    """
    _require(before, 2, "before")
    _require(after, 2, "after")
    m1, m2 = mean_of(before), mean_of(after)
    v1, v2 = _sample_variance(before) / before.count, _sample_variance(after) / after.count
    difference = m2 - m1
    standard_error = math.sqrt(v1 + v2)
    if standard_error == 0.0:
        df = float(before.count + after.count - 2)
        p = 1.0 if difference == 0.0 else 0.0
        stat = 0.0 if difference == 0.0 else math.copysign(math.inf, difference)
        return Difference(TestKind.WELCH_T, m1, m2, difference, Interval(difference, difference), stat, df, p)
    df = (v1 + v2) ** 2 / (v1 * v1 / (before.count - 1) + v2 * v2 / (after.count - 1))
    stat = difference / standard_error
    half = t_quantile(confidence, df) * standard_error
    return Difference(TestKind.WELCH_T, m1, m2, difference, Interval(difference - half, difference + half),
                      stat, df, t_two_sided_p(stat, df))


def two_proportion_z(successes_before: int, before: int, successes_after: int, after: int, *,
                     confidence: float = DEFAULT_CONFIDENCE) -> Difference:
    """Two-proportion z-test (pooled standard error) with Newcombe's hybrid-score interval of the difference.

    Newcombe's interval combines the two Wilson intervals, so it stays within [−1, 1] and behaves near 0 and 1.
    """
    p1, p2 = successes_before / before, successes_after / after
    w1 = wilson_interval(successes_before, before, confidence=confidence)
    w2 = wilson_interval(successes_after, after, confidence=confidence)
    difference = p2 - p1
    low = difference - math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2)
    high = difference + math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2)
    pooled = (successes_before + successes_after) / (before + after)
    standard_error = math.sqrt(pooled * (1 - pooled) * (1 / before + 1 / after))
    if standard_error == 0.0:
        return Difference(TestKind.TWO_PROPORTION_Z, p1, p2, difference, Interval(low, high), 0.0, None, 1.0)
    stat = difference / standard_error
    return Difference(TestKind.TWO_PROPORTION_Z, p1, p2, difference, Interval(low, high), stat, None,
                      _normal_p(stat))


def _nps_parts(histogram: Histogram) -> tuple[float, float]:
    n = histogram.count
    promoters = histogram.count_of(range(9, 11)) / n
    detractors = histogram.count_of(range(7)) / n
    share_difference = promoters - detractors
    return 100 * share_difference, max(0.0, promoters + detractors - share_difference**2) / n


def nps_z(before: Histogram, after: Histogram, *, confidence: float = DEFAULT_CONFIDENCE) -> Difference:
    """z-test of the NPS difference (points), with the variance of each promoter/detractor difference."""
    _require(before, 1, "before")
    _require(after, 1, "after")
    (nps1, var1), (nps2, var2) = _nps_parts(before), _nps_parts(after)
    difference = nps2 - nps1
    standard_error = 100 * math.sqrt(var1 + var2)
    half = z_score(confidence) * standard_error
    interval = Interval(max(-200.0, difference - half), min(200.0, difference + half))
    if standard_error == 0.0:
        return Difference(TestKind.NPS_Z, nps1, nps2, difference, interval, 0.0, None,
                          1.0 if difference == 0.0 else 0.0)
    stat = difference / standard_error
    return Difference(TestKind.NPS_Z, nps1, nps2, difference, interval, stat, None, _normal_p(stat))
