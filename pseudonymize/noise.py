"""Exact samplers for differential privacy: Bernoulli(p), Bernoulli(exp(−γ)) and the discrete Laplace distribution.

The algorithms are those of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy"
(NeurIPS 2020), Algorithms 1 and 2: every step draws a uniform integer and compares integers or exact
fractions, so there is no floating-point arithmetic to leak through rounding (Mironov's attack on textbook
floating-point Laplace noise) and the output follows the stated distribution exactly, given an exact uniform
integer source.

Randomness is injected: production passes :class:`SystemRandomSource` (the operating system's CSPRNG through
:mod:`secrets`); tests pass :class:`SeededRandomSource`. Imports only the standard library.
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol


class RandomSource(Protocol):
    """A source of uniform integers: ``randbelow(n)`` is uniform on ``0 … n − 1`` (``n ≥ 1``)."""

    def randbelow(self, n: int) -> int:
        """A uniform integer in ``[0, n)``."""
        ...


class SystemRandomSource:
    """Uniform integers from the operating system's CSPRNG (:func:`secrets.randbelow`).

    Guarantee: exactly uniform (``secrets.randbelow`` uses rejection sampling, no modulo bias) and
    unpredictable. This is the only source fit for released noise.
    """

    def randbelow(self, n: int) -> int:
        """A uniform integer in ``[0, n)``."""
        return secrets.randbelow(n)


class SeededRandomSource:
    """Reproducible uniform integers from :class:`random.Random` — for tests and simulations only.

    Limits: predictable from its seed; noise drawn from it protects nobody. Never use it for released answers.
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def randbelow(self, n: int) -> int:
        """A uniform integer in ``[0, n)``."""
        return self._random.randrange(n)


def _as_fraction(value: Fraction | int, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (Fraction, int)):
        raise TypeError(
            f"{name} must be an int or a fractions.Fraction (exact), got {type(value).__name__}; "
            "convert a decimal with Fraction('0.5'), never from a float."
        )
    return Fraction(value)


def bernoulli(p: Fraction | int, rng: RandomSource) -> bool:
    """True with probability exactly ``p`` (``0 ≤ p ≤ 1``, exact rational).

    Guarantee: exact, one draw of ``randbelow(denominator)``.
    """
    p = _as_fraction(p, "p")
    if not 0 <= p <= 1:
        raise ValueError(f"a probability must lie in [0, 1], got {p}.")
    return rng.randbelow(p.denominator) < p.numerator


def _bernoulli_exp_at_most_one(gamma: Fraction, rng: RandomSource) -> bool:
    # CKS Algorithm 1 for gamma in [0, 1]: K = 1; while Bernoulli(gamma / K): K += 1; return K odd.
    k = 1
    while bernoulli(gamma / k, rng):
        k += 1
    return k % 2 == 1


def bernoulli_exp(gamma: Fraction | int, rng: RandomSource) -> bool:
    """True with probability exactly ``exp(−gamma)`` for a rational ``gamma ≥ 0``.

    Guarantee: exact (CKS Algorithm 1); for ``gamma > 1`` it is the product of ``floor(gamma)``
    Bernoulli(exp(−1)) draws and one Bernoulli(exp(−(gamma − floor(gamma)))).
    Limits: the running time is random (expected O(1 + gamma)).
    """
    gamma = _as_fraction(gamma, "gamma")
    if gamma < 0:
        raise ValueError(f"gamma must be zero or more (exp(−gamma) is a probability), got {gamma}.")
    while gamma > 1:
        if not _bernoulli_exp_at_most_one(Fraction(1), rng):
            return False
        gamma -= 1
    return _bernoulli_exp_at_most_one(gamma, rng)


def _geometric_exp_slow(gamma: Fraction, rng: RandomSource) -> int:
    # The number of successes before the first failure of Bernoulli(exp(−gamma)).
    k = 0
    while bernoulli_exp(gamma, rng):
        k += 1
    return k


def _geometric_exp_fast(gamma: Fraction, rng: RandomSource) -> int:
    # CKS: a geometric variable with P[k] ∝ exp(−gamma·k), gamma = s/t, in expected O(1) steps.
    if gamma == 0:
        return 0
    s, t = gamma.numerator, gamma.denominator
    while True:
        u = rng.randbelow(t)
        if bernoulli_exp(Fraction(u, t), rng):
            break
    v = _geometric_exp_slow(Fraction(1), rng)
    return (v * t + u) // s


@dataclass(frozen=True)
class DiscreteLaplace:
    """The discrete Laplace (two-sided geometric) distribution on the integers, centred on 0:
    ``P[Z = z] = (1 − q) / (1 + q) · q^|z|`` with ``q = exp(−1 / scale)``.

    Adding it to an integer query of L1 sensitivity Δ with ``scale = Δ / ε`` gives ε-differential privacy
    (pure DP). Guarantee: ``scale`` is an exact positive rational; :meth:`sample` is exact (CKS Algorithm 2).
    Limits: the guarantee holds only with an unpredictable source (:class:`SystemRandomSource`); the
    running time of a draw is random (expected O(1)), which a timing side channel could observe.
    """

    scale: Fraction

    def __post_init__(self) -> None:
        scale = _as_fraction(self.scale, "DiscreteLaplace scale")
        if scale <= 0:
            raise ValueError(
                f"DiscreteLaplace scale must be greater than 0, got {scale}; use scale = sensitivity / epsilon."
            )
        object.__setattr__(self, "scale", scale)

    @classmethod
    def for_privacy(cls, sensitivity: int, epsilon: Fraction) -> DiscreteLaplace:
        """The distribution giving ``epsilon``-DP to an integer query of L1 ``sensitivity`` (scale Δ/ε)."""
        if isinstance(sensitivity, bool) or not isinstance(sensitivity, int) or sensitivity < 1:
            raise ValueError(f"sensitivity must be a whole number of at least 1, got {sensitivity!r}.")
        epsilon = _as_fraction(epsilon, "epsilon")
        if epsilon <= 0:
            raise ValueError(f"epsilon must be greater than 0, got {epsilon}.")
        return cls(Fraction(sensitivity) / epsilon)

    def sample(self, rng: RandomSource) -> int:
        """One draw (CKS Algorithm 2: a sign and a geometric magnitude, rejecting "−0")."""
        rate = 1 / self.scale
        while True:
            negative = bernoulli(Fraction(1, 2), rng)
            magnitude = _geometric_exp_fast(rate, rng)
            if negative and magnitude == 0:
                continue
            return -magnitude if negative else magnitude

    @property
    def q(self) -> float:
        """``exp(−1/scale)`` as a float — for reporting and tests only, never for sampling."""
        return math.exp(-1 / float(self.scale))

    def pmf(self, z: int) -> float:
        """``P[Z = z]`` as a float (reporting and tests only)."""
        q = self.q
        return (1 - q) / (1 + q) * q ** abs(z)

    def cdf(self, z: float) -> float:
        """``P[Z ≤ z]`` as a float (reporting and tests only)."""
        q = self.q
        k = math.floor(z)
        if k >= 0:
            return 1 - q ** (k + 1) / (1 + q)
        return q ** (-k) / (1 + q)

    @property
    def variance(self) -> float:
        """``2q / (1 − q)²``."""
        q = self.q
        return 2 * q / (1 - q) ** 2
