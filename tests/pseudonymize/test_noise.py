"""The exact discrete Laplace sampler: statistical tests at a false-alarm rate of 1e-6 with seeded sources,
exactness of the Bernoulli building blocks, validation messages, and a cross-check against OpenDP if installed."""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import pytest
from scipy import stats

from pseudonymize.noise import (
    DiscreteLaplace,
    SeededRandomSource,
    SystemRandomSource,
    bernoulli,
    bernoulli_exp,
)

ALPHA = 1e-6
DRAWS = 20_000
SCALES = [Fraction(1, 3), Fraction(1), Fraction(7, 3), Fraction(10)]


def chi_square_p(samples: list[int], dist: DiscreteLaplace) -> float:
    """Goodness of fit over the integers, tails merged so every expected count is at least 5."""
    n = len(samples)
    tally = Counter(samples)
    limit = 0
    while n * dist.pmf(limit + 1) >= 5 and n * (1 - dist.cdf(limit + 1)) >= 5:
        limit += 1
    observed = [sum(c for z, c in tally.items() if z < -limit)]
    expected = [n * dist.cdf(-limit - 1)]
    for z in range(-limit, limit + 1):
        observed.append(tally[z])
        expected.append(n * dist.pmf(z))
    observed.append(sum(c for z, c in tally.items() if z > limit))
    expected.append(n * (1 - dist.cdf(limit)))
    scale = sum(observed) / sum(expected)
    return float(stats.chisquare(observed, [e * scale for e in expected]).pvalue)


def discrete_ks_p(samples: list[int], dist: DiscreteLaplace) -> float:
    """Kolmogorov–Smirnov distance evaluated on the support (the right test for a discrete law); the continuous
    Kolmogorov p-value is conservative for discrete distributions."""
    n = len(samples)
    ordered = sorted(samples)
    distance, index = 0.0, 0
    for z in range(ordered[0] - 1, ordered[-1] + 1):
        while index < n and ordered[index] <= z:
            index += 1
        distance = max(distance, abs(index / n - dist.cdf(z)))
    return float(stats.kstwo.sf(distance, n))


@pytest.mark.parametrize("scale", SCALES, ids=str)
def test_discrete_laplace_matches_its_distribution(scale: Fraction) -> None:
    dist = DiscreteLaplace(scale)
    rng = SeededRandomSource(20260316 + scale.numerator * 1000 + scale.denominator)
    samples = [dist.sample(rng) for _ in range(DRAWS)]
    assert chi_square_p(samples, dist) > ALPHA
    assert discrete_ks_p(samples, dist) > ALPHA
    mean = sum(samples) / DRAWS
    assert abs(mean) < 5.3 * math.sqrt(dist.variance / DRAWS)  # |z| > 5.3 has probability ≈ 1e-7


def test_the_tests_have_power_against_a_wrong_scale() -> None:
    rng = SeededRandomSource(7)
    samples = [DiscreteLaplace(Fraction(3)).sample(rng) for _ in range(DRAWS)]
    assert chi_square_p(samples, DiscreteLaplace(Fraction(5, 2))) < ALPHA
    assert discrete_ks_p(samples, DiscreteLaplace(Fraction(5, 2))) < ALPHA


@pytest.mark.parametrize("gamma", [Fraction(0), Fraction(1, 3), Fraction(1), Fraction(5, 2)], ids=str)
def test_bernoulli_exp_has_probability_exp_minus_gamma(gamma: Fraction) -> None:
    rng = SeededRandomSource(11 + gamma.numerator)
    successes = sum(bernoulli_exp(gamma, rng) for _ in range(DRAWS))
    p = math.exp(-float(gamma))
    if p == 1.0:
        assert successes == DRAWS
        return
    assert stats.binomtest(successes, DRAWS, p).pvalue > ALPHA


def test_bernoulli_is_exact_on_its_denominator() -> None:
    class Counter:
        def __init__(self) -> None:
            self.next = 0

        def randbelow(self, n: int) -> int:
            value = self.next % n
            self.next += 1
            return value

    rng = Counter()
    assert [bernoulli(Fraction(2, 5), rng) for _ in range(5)] == [True, True, False, False, False]


def test_privacy_calibration_is_sensitivity_over_epsilon() -> None:
    assert DiscreteLaplace.for_privacy(4, Fraction(1, 2)).scale == Fraction(8)
    dist = DiscreteLaplace(Fraction(2))
    # ε-DP of a sensitivity-1 count: neighbouring outputs' probabilities differ by at most exp(1/scale).
    ratios = [dist.pmf(z) / dist.pmf(z + 1) for z in range(-10, 10)]
    assert max(ratios) == pytest.approx(math.exp(0.5))


def test_system_source_is_the_default_for_release() -> None:
    values = {DiscreteLaplace(Fraction(1)).sample(SystemRandomSource()) for _ in range(200)}
    assert len(values) > 1


def test_validation_messages() -> None:
    with pytest.raises(ValueError) as error:
        DiscreteLaplace(Fraction(0))
    assert str(error.value) == ("DiscreteLaplace scale must be greater than 0, got 0; use scale = sensitivity / "
                                "epsilon.")
    with pytest.raises(TypeError) as type_error:
        DiscreteLaplace(0.5)  # type: ignore[arg-type]
    assert str(type_error.value) == ("DiscreteLaplace scale must be an int or a fractions.Fraction (exact), got "
                                     "float; convert a decimal with Fraction('0.5'), never from a float.")
    with pytest.raises(ValueError) as gamma_error:
        bernoulli_exp(Fraction(-1), SeededRandomSource(1))
    assert str(gamma_error.value) == "gamma must be zero or more (exp(−gamma) is a probability), got -1."
    with pytest.raises(ValueError) as sensitivity_error:
        DiscreteLaplace.for_privacy(0, Fraction(1))
    assert str(sensitivity_error.value) == "sensitivity must be a whole number of at least 1, got 0."


@pytest.mark.parametrize("scale", [Fraction(1), Fraction(5, 2)], ids=str)
def test_cross_check_against_opendp(scale: Fraction) -> None:
    dp = pytest.importorskip("opendp.prelude", reason="OpenDP is an optional extra (pip install '.[opendp]')")
    dp.enable_features("contrib")
    measurement = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int),
                                    scale=float(scale))
    theirs = list(measurement([0] * DRAWS))
    rng = SeededRandomSource(99)
    ours = [DiscreteLaplace(scale).sample(rng) for _ in range(DRAWS)]
    mine, other = Counter(ours), Counter(theirs)
    limit = 0
    while mine[limit + 1] + mine[-limit - 1] >= 20 and other[limit + 1] + other[-limit - 1] >= 20:
        limit += 1
    table = [[tally[z] for z in range(-limit, limit + 1)]
             + [sum(c for z, c in tally.items() if z < -limit), sum(c for z, c in tally.items() if z > limit)]
             for tally in (mine, other)]
    assert stats.chi2_contingency(table).pvalue > ALPHA
