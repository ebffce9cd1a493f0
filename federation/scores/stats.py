"""Score statistics: every published metric of a question, computed from its histogram.

Pure functions over frozen dataclasses (no I/O, no clock), following docs/DESIGN.md "Scales and metrics". A summary
depends only on the histogram, so neither the order of the answers nor how they were batched into rollups
can change a score. Intervals are approximate (Wilson for shares, normal approximation for means and NPS):
they are reasonable at the sample sizes arvio publishes (n >= 10) and only indicative below that.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from federation.battery.scales import HISTOGRAM_SLOTS, Scale

DEFAULT_CONFIDENCE = 0.95
DEFAULT_PUBLICATION_THRESHOLD = 10
_PROMOTERS = range(9, 11)
_DETRACTORS = range(7)


@dataclass(frozen=True)
class Histogram:
    """Counts of answers per scale value, plus exposures that were skipped.

    ``counts[i]`` is the number of answers with value ``scale.minimum + i``: one count per scale value.
    """

    scale: Scale
    counts: tuple[int, ...]
    skipped: int = 0

    def __post_init__(self) -> None:
        counts = self.counts if type(self.counts) is tuple else tuple(self.counts)
        object.__setattr__(self, "counts", counts)
        if len(counts) != self.scale.size:
            raise ValueError(
                f"A {self.scale.name} histogram needs {self.scale.size} counts, one per value "
                f"{self.scale.describe_range()}, but got {len(counts)}: put the count of value "
                f"{self.scale.minimum} + i at position i."
            )
        if min(counts) < 0:  # one C call on the common path; the loop only names the bad value
            value, count = next((v, c) for v, c in zip(self.scale.values, counts, strict=True) if c < 0)
            raise ValueError(
                f"The count for value {value} is {count}, but counts must be zero or more: "
                "pass the number of answers with that value."
            )
        if self.skipped < 0:
            raise ValueError(
                f"skipped is {self.skipped}, but it must be zero or more: "
                "pass the number of exposures without an answer."
            )

    @classmethod
    def empty(cls, scale: Scale) -> Histogram:
        """A histogram with no answers and no skips."""
        return cls(scale, (0,) * scale.size)

    @classmethod
    def from_values(cls, scale: Scale, values: Iterable[int], skipped: int = 0) -> Histogram:
        """Count individual answer values; a value outside the scale raises ``ValueError``."""
        counts = [0] * scale.size
        for value in values:
            if not scale.contains(value):
                raise ValueError(
                    f"Value {value} is outside the {scale.name} scale ({scale.describe_range()}): "
                    "correct or drop it before counting."
                )
            counts[value - scale.minimum] += 1
        return cls(scale, tuple(counts), skipped)

    @classmethod
    def from_slots(cls, scale: Scale, slots: Sequence[int], skipped: int) -> Histogram:
        """From a rollup row's 11 slots (slot ``v`` counts value ``v``), keeping only the scale's values."""
        if len(slots) != HISTOGRAM_SLOTS:
            raise ValueError(
                f"A rollup row has {HISTOGRAM_SLOTS} slots, one per value 0–10, but got {len(slots)}: "
                "pass all slots, with zeros for values the scale does not use."
            )
        return cls(scale, tuple(slots[value] for value in scale.values), skipped)

    def __add__(self, other: Histogram) -> Histogram:
        """Merge two histograms of the same scale (counts and skips add up)."""
        if not isinstance(other, Histogram):
            return NotImplemented
        if other.scale is not self.scale:
            raise ValueError(
                f"Cannot add a {other.scale.name} histogram to a {self.scale.name} histogram: "
                "merge only histograms of questions on the same scale."
            )
        counts = tuple(a + b for a, b in zip(self.counts, other.counts, strict=True))
        return Histogram(self.scale, counts, self.skipped + other.skipped)

    @functools.cached_property
    def count(self) -> int:
        """The number of answers (n); skipped exposures are not included (summed once per histogram)."""
        return sum(self.counts)

    @property
    def answered(self) -> int:
        """The number of answers; the same as ``count``, named for response-rate arithmetic."""
        return self.count

    def count_of(self, values: range) -> int:
        """How many answers have one of ``values``; values outside the scale count zero."""
        return sum(self.counts[v - self.scale.minimum] for v in values if self.scale.contains(v))


@dataclass(frozen=True)
class Interval:
    """A confidence interval ``[low, high]`` (95 % unless the caller asked for another confidence)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(
                f"An interval needs low <= high, but got low={self.low}, high={self.high}: "
                "swap or fix the bounds."
            )

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies within the interval, bounds included."""
        return self.low <= value <= self.high

    def overlaps(self, other: Interval) -> bool:
        """Whether the two intervals share at least one point."""
        return self.low <= other.high and other.low <= self.high


@dataclass(frozen=True)
class ScoreStats:
    """Every metric of one histogram (docs/DESIGN.md "Scales and metrics").

    Point estimates and intervals are ``None`` when there are no answers, and metrics that do not apply to the
    scale are always ``None``: ``yes_share`` is for ``YES_NO`` only, ``nps`` for ``NPS_11`` only, and
    ``top_two_box`` is ``None`` for ``YES_NO`` (a two-value scale's top two box would always be 1; its share
    is ``yes_share``). ``published`` says whether n reached the publication threshold; callers must not show
    any value publicly when it is ``False``.
    """

    scale: Scale
    count: int
    skipped: int
    mean: float | None
    mean_interval: Interval | None
    distribution: tuple[tuple[int, int], ...]
    top_two_box: float | None
    top_two_box_interval: Interval | None
    yes_share: float | None
    yes_share_interval: Interval | None
    nps: float | None
    nps_interval: Interval | None
    normalised: float | None
    normalised_interval: Interval | None
    response_rate: float | None
    published: bool


@functools.lru_cache(maxsize=64)
def z_score(confidence: float) -> float:
    """The two-sided standard normal quantile for ``confidence`` (1.959964… for 0.95); cached, since every cell of
    a score or an export asks it for the same few confidences."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 exclusive, got {confidence}: use e.g. 0.95.")
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def bounded_interval(point: float, half_width: float, low: float, high: float) -> Interval:
    """``point ± half_width`` clamped to ``[low, high]``, widened if rounding would exclude ``point``."""
    return Interval(
        min(point, max(low, point - half_width)),
        max(point, min(high, point + half_width)),
    )


def wilson_interval(successes: int, trials: int, *, confidence: float = DEFAULT_CONFIDENCE) -> Interval:
    """Wilson score interval for the share ``successes / trials``; it always contains the share.

    Unlike the normal approximation it stays within [0, 1] and is usable for shares near 0 or 1.
    """
    if not 0 <= successes <= trials or trials == 0:
        raise ValueError(
            f"A share needs 0 <= successes <= trials and trials > 0, got {successes} of {trials}: "
            "pass counts of the same answers."
        )
    z = z_score(confidence)
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    return Interval(min(share, max(0.0, centre - half)), max(share, min(1.0, centre + half)))


def mean_of(histogram: Histogram) -> float:
    """The mean answer value; the histogram must have at least one answer."""
    total = sum(v * c for v, c in zip(histogram.scale.values, histogram.counts, strict=True))
    return total / histogram.count


def standard_error(histogram: Histogram, mean: float | None = None) -> float:
    """Standard error of the mean from the sample variance (n - 1 denominator); 0 when n == 1. ``mean``, when
    given, is the histogram's mean (saves computing it again)."""
    n = histogram.count
    if n < 2:
        return 0.0
    if mean is None:
        mean = mean_of(histogram)
    squares = sum(c * (v - mean) ** 2 for v, c in zip(histogram.scale.values, histogram.counts, strict=True))
    return math.sqrt(squares / (n - 1) / n)


def _mean_interval(histogram: Histogram, mean: float, z: float) -> Interval:
    scale = histogram.scale
    return bounded_interval(mean, z * standard_error(histogram, mean), scale.minimum, scale.maximum)


def _normalise(value: float, scale: Scale) -> float:
    return (value - scale.minimum) / (scale.maximum - scale.minimum)


def _nps(histogram: Histogram, z: float) -> tuple[float, Interval]:
    n = histogram.count
    promoters = histogram.count_of(_PROMOTERS) / n
    detractors = histogram.count_of(_DETRACTORS) / n
    difference = promoters - detractors
    variance = max(0.0, (promoters + detractors - difference**2) / n)
    nps = 100 * difference
    return nps, bounded_interval(nps, 100 * z * math.sqrt(variance), -100.0, 100.0)


def _response_rate(histogram: Histogram) -> float | None:
    exposures = histogram.answered + histogram.skipped
    return histogram.answered / exposures if exposures else None


def summarise(
    histogram: Histogram,
    *,
    publication_threshold: int = DEFAULT_PUBLICATION_THRESHOLD,
    confidence: float = DEFAULT_CONFIDENCE,
) -> ScoreStats:
    """All metrics of ``histogram`` with ``confidence`` intervals; see ``ScoreStats`` for which apply.

    Guarantees: every interval contains its point estimate and lies within the metric's range; the result
    depends only on the histogram's counts (not on answer order or batching). ``published`` is
    ``count >= publication_threshold``.
    """
    z = z_score(confidence)
    scale, n = histogram.scale, histogram.count
    if n == 0:
        return _empty_stats(histogram, publication_threshold)
    mean = mean_of(histogram)
    mean_interval = _mean_interval(histogram, mean, z)
    shares: dict[str, Any] = {}
    if scale is Scale.YES_NO:
        yes = histogram.count_of(range(1, 2))
        shares.update(yes_share=yes / n, yes_share_interval=wilson_interval(yes, n, confidence=confidence))
    else:
        top_two = histogram.count_of(range(scale.maximum - 1, scale.maximum + 1))
        shares.update(top_two_box=top_two / n,
                      top_two_box_interval=wilson_interval(top_two, n, confidence=confidence))
    if scale is Scale.NPS_11:
        shares["nps"], shares["nps_interval"] = _nps(histogram, z)
    return _stats(histogram, publication_threshold, mean=mean, mean_interval=mean_interval,
                  normalised=_normalise(mean, scale),
                  normalised_interval=Interval(_normalise(mean_interval.low, scale),
                                               _normalise(mean_interval.high, scale)), **shares)


def _empty_stats(histogram: Histogram, publication_threshold: int) -> ScoreStats:
    """The summary of a histogram with no answers: counts, distribution and response rate only."""
    return _stats(histogram, publication_threshold)


def _stats(histogram: Histogram, publication_threshold: int, **metrics: Any) -> ScoreStats:
    """The summary with the counts, distribution and response rate of ``histogram`` and the given metrics (the
    others None), built once (no copies per metric: exports summarise tens of thousands of cells)."""
    fields: dict[str, Any] = dict.fromkeys(_METRICS)
    fields.update(metrics)
    return ScoreStats(scale=histogram.scale, count=histogram.count, skipped=histogram.skipped,
                      distribution=tuple(zip(histogram.scale.values, histogram.counts, strict=True)),
                      response_rate=_response_rate(histogram),
                      published=histogram.count >= publication_threshold, **fields)


_METRICS = ("mean", "mean_interval", "top_two_box", "top_two_box_interval", "yes_share", "yes_share_interval",
            "nps", "nps_interval", "normalised", "normalised_interval")
