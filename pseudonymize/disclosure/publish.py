"""From (noisy) integer statistics of a cell to the published values: rounding, clamping and share coding.

Every published metric is a ratio of integer statistics of the cell's answers, so noise is added to the
statistics (each by its own unit: a count by whole answers, the value sum by the value range) and the metrics are
computed from the noisy statistics, clamped to their range and rounded:

- count → a multiple of ``count_base`` (default 5);
- mean → ``mean_decimals`` decimals (default 0.1);
- shares (top-two-box, yes-share) → whole percent, coded "≥ 95 %" / "≤ 5 %" in small cells;
- NPS → a whole number in −100…100.

Rounding uses exact fractions (half to even), so results do not depend on floating-point behaviour.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction

from pseudonymize.disclosure.policy import DisclosurePolicy


class Metric(enum.Enum):
    """A metric a breakdown can publish. The names are part of the public API contract."""

    COUNT = "COUNT"
    MEAN = "MEAN"
    TOP_TWO_BOX = "TOP_TWO_BOX"
    NPS = "NPS"
    YES_SHARE = "YES_SHARE"


@dataclass(frozen=True)
class CellStatistics:
    """Integer statistics of a cell's answers from which every metric is computed.

    ``value_sum`` is the sum of (value − scale minimum); ``top_two`` counts the two best values, ``yes`` the
    value 1, ``promoters`` 9–10 and ``detractors`` 0–6 (each only meaningful on its own scale).
    Guarantee: one person changes each statistic by at most 1, except ``value_sum`` (at most the value range).
    """

    count: int = 0
    value_sum: int = 0
    top_two: int = 0
    yes: int = 0
    promoters: int = 0
    detractors: int = 0

    @classmethod
    def from_histogram(cls, slots: Sequence[int], minimum: int, maximum: int) -> CellStatistics:
        """From counts per answer value (``slots[v]`` answers had value ``v``) of a scale ``minimum…maximum``."""
        if not 0 <= minimum < maximum < len(slots):
            raise ValueError(f"scale {minimum}…{maximum} does not fit {len(slots)} histogram slots.")
        values = range(minimum, maximum + 1)
        return cls(
            count=sum(slots[v] for v in values),
            value_sum=sum((v - minimum) * slots[v] for v in values),
            top_two=slots[maximum] + slots[maximum - 1],
            yes=slots[1] if minimum <= 1 <= maximum else 0,
            promoters=sum(slots[v] for v in range(9, 11) if minimum <= v <= maximum),
            detractors=sum(slots[v] for v in range(7) if minimum <= v <= maximum),
        )

    def __add__(self, other: CellStatistics) -> CellStatistics:
        """Statistics of the union of two disjoint sets of answers."""
        return CellStatistics(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def perturbed(self, deviation: Callable[[str, int], int]) -> CellStatistics:
        """Each statistic plus ``deviation(name, true value)``."""
        return CellStatistics(*(getattr(self, f.name) + deviation(f.name, getattr(self, f.name))
                                for f in fields(self)))


STATISTICS: tuple[str, ...] = tuple(f.name for f in fields(CellStatistics))
"""The names of the statistics, in a fixed order."""


class ShareCoding(enum.Enum):
    """How a published share is to be read. The names are part of the public API contract."""

    EXACT = "EXACT"
    AT_LEAST = "AT_LEAST"
    AT_MOST = "AT_MOST"


@dataclass(frozen=True)
class PublishedShare:
    """A share in whole percent; ``AT_LEAST`` 95 reads "95 % or more", ``AT_MOST`` 5 "5 % or less"."""

    percent: int
    coding: ShareCoding


@dataclass(frozen=True)
class PublishedCell:
    """The values of one cell as released; ``None`` for a metric not asked for or not computable."""

    count: int | None = None
    mean: Fraction | None = None
    top_two_box: PublishedShare | None = None
    yes_share: PublishedShare | None = None
    nps: int | None = None


def round_count(value: int, base: int) -> int:
    """``value`` rounded to the nearest multiple of ``base`` (halves away from zero), never below 0."""
    return max(0, base * ((2 * value + base) // (2 * base)))


def clamp(value: Fraction, low: Fraction, high: Fraction) -> Fraction:
    """``value`` limited to ``[low, high]``."""
    return min(high, max(low, value))


def publish(noisy: CellStatistics, metrics: frozenset[Metric], *, minimum: int, maximum: int,
            policy: DisclosurePolicy) -> PublishedCell:
    """The published values of a cell from its noisy statistics.

    Guarantee: every value lies in its metric's range (count ≥ 0, mean within the scale, shares 0–100 %,
    NPS −100…100) and is rounded as the policy says; in a cell whose published count is below
    ``policy.small_cell_limit``, extreme shares are coded. Metrics are ``None`` when the noisy count is below 1.
    Limits: this is post-processing; it adds no protection to a cell that should have been suppressed.
    """
    count = round_count(noisy.count, policy.count_base)
    published = PublishedCell(count=count if Metric.COUNT in metrics else None)
    if noisy.count < 1:
        return published
    n = Fraction(noisy.count)
    span = maximum - minimum
    small = count < policy.small_cell_limit
    mean = minimum + clamp(noisy.value_sum / n, Fraction(0), Fraction(span))
    nps = 100 * clamp((noisy.promoters - noisy.detractors) / n, Fraction(-1), Fraction(1))
    return PublishedCell(
        count=published.count,
        mean=round(mean, policy.mean_decimals) if Metric.MEAN in metrics else None,
        top_two_box=_share(noisy.top_two, n, small, policy) if Metric.TOP_TWO_BOX in metrics else None,
        yes_share=_share(noisy.yes, n, small, policy) if Metric.YES_SHARE in metrics else None,
        nps=round(nps) if Metric.NPS in metrics else None,
    )


def _share(part: int, n: Fraction, small: bool, policy: DisclosurePolicy) -> PublishedShare:
    percent = round(100 * clamp(part / n, Fraction(0), Fraction(1)))
    extreme = policy.extreme_share_percent
    if small and percent >= 100 - extreme:
        return PublishedShare(100 - extreme, ShareCoding.AT_LEAST)
    if small and percent <= extreme:
        return PublishedShare(extreme, ShareCoding.AT_MOST)
    return PublishedShare(percent, ShareCoding.EXACT)
