"""Fair rankings of one question's scores across organisations or services (docs/DESIGN.md "Scales and metrics").

A raw mean from a handful of answers is noisy, so a league table of raw means rewards small samples. Each
mean is therefore shrunk toward a prior (the national mean of that question) with a configurable prior weight,
and every ranked score carries its interval; entries whose intervals overlap share a rank. Pure functions.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from federation.battery.scales import Scale
from federation.scores.nps import nps_and_error
from federation.scores.stats import (
    DEFAULT_CONFIDENCE,
    Histogram,
    Interval,
    bounded_interval,
    mean_of,
    standard_error,
    z_score,
)


class Metric(enum.Enum):
    """What a ranking orders by: the mean answer, or the NPS (NPS_11 questions, −100…100)."""

    MEAN = "MEAN"
    NPS = "NPS"


def metric_of(scale: Scale) -> Metric:
    """The metric a question on ``scale`` is ranked by: NPS for NPS_11 (its published figure), else the mean."""
    return Metric.NPS if scale is Scale.NPS_11 else Metric.MEAN


@dataclass(frozen=True)
class RankedScore:
    """One entry of a ranking: its shrunk mean (the shrunk NPS when ranked by NPS) with interval, its number of
    answers and its 1-based rank."""

    key: str
    shrunk_mean: float
    interval: Interval
    count: int
    rank: int


def shrunk_mean(histogram: Histogram, *, prior_mean: float, prior_weight: float) -> float:
    """Bayesian average ``(n·mean + prior_weight·prior_mean) / (n + prior_weight)``.

    ``prior_weight`` acts as that many virtual answers at ``prior_mean``; with no answers the result is
    ``prior_mean``. Raises ``ValueError`` when the prior is outside the scale or the weight is negative, and
    when there are neither answers nor prior weight (the average would be undefined).
    """
    _check_prior(histogram, prior_mean, prior_weight)
    n = histogram.count
    if n + prior_weight == 0:
        raise ValueError(
            "The histogram has no answers and prior_weight is 0: give the prior a positive weight."
        )
    sample_total = n * mean_of(histogram) if n else 0.0
    return (sample_total + prior_weight * prior_mean) / (n + prior_weight)


def rank(
    entries: Sequence[tuple[str, Histogram]],
    *,
    prior_mean: float,
    prior_weight: float,
    confidence: float = DEFAULT_CONFIDENCE,
    metric: Metric = Metric.MEAN,
) -> list[RankedScore]:
    """Rank ``(key, histogram)`` entries by shrunk mean, best first, ties in the order broken by key.

    With ``metric=Metric.NPS`` (NPS_11 histograms only) the same is done on the NPS, the mean of a per-answer
    score of +100 / 0 / −100 (``federation/scores/nps.py``): ``prior_mean`` is then the national NPS and the
    intervals are clamped to −100…100. A service with many passives and no detractors is then not ranked below
    one with a higher mean but more detractors, as a mean ranking would do.

    Each interval is the normal interval of the shrunk mean: the mean's standard error scaled by
    ``n / (n + prior_weight)``, clamped to the scale. It is degenerate (zero width) for n <= 1, where the
    sample variance is undefined, so small samples rely on the shrinkage, not on the interval.

    An entry's rank is its 1-based position, unless its interval overlaps the interval of the entry directly
    above it: then it shares that entry's rank (ties within the interval are ties), so ranks read 1, 1, 3, ….
    Ties chain: a run of neighbours that overlap pairwise all share the first one's rank. All histograms must
    be on the same scale and keys must be unique, otherwise ``ValueError`` is raised.
    """
    _check_entries(entries)
    if metric is Metric.NPS and any(h.scale is not Scale.NPS_11 for _, h in entries):
        raise ValueError("Metric.NPS ranks NPS_11 questions only: rank other scales by their mean.")
    z = z_score(confidence)
    score_of = _nps_score if metric is Metric.NPS else _score
    scored = sorted(
        (score_of(key, histogram, prior_mean, prior_weight, z) for key, histogram in entries),
        key=lambda score: (-score.shrunk_mean, score.key),
    )
    ranked: list[RankedScore] = []
    for position, score in enumerate(scored, start=1):
        above = ranked[-1] if ranked else None
        tied = above is not None and score.interval.overlaps(above.interval)
        ranked.append(replace(score, rank=above.rank if above is not None and tied else position))
    return ranked


def _score(key: str, histogram: Histogram, prior_mean: float, prior_weight: float, z: float) -> RankedScore:
    n, scale = histogram.count, histogram.scale
    estimate = shrunk_mean(histogram, prior_mean=prior_mean, prior_weight=prior_weight)
    half_width = z * standard_error(histogram) * n / (n + prior_weight)
    interval = bounded_interval(estimate, half_width, scale.minimum, scale.maximum)
    return RankedScore(key=key, shrunk_mean=estimate, interval=interval, count=n, rank=0)


def _nps_score(key: str, histogram: Histogram, prior_nps: float, prior_weight: float, z: float) -> RankedScore:
    if not -100.0 <= prior_nps <= 100.0 or prior_weight < 0:
        raise ValueError(f"prior NPS {prior_nps} must be in -100…100 and prior_weight {prior_weight} zero or more: "
                         "use the national NPS of the same question.")
    n = histogram.count
    if n + prior_weight == 0:
        raise ValueError("The histogram has no answers and prior_weight is 0: give the prior a positive weight.")
    nps, error = nps_and_error(histogram) if n else (0.0, 0.0)
    estimate = (n * nps + prior_weight * prior_nps) / (n + prior_weight)
    interval = bounded_interval(estimate, z * error * n / (n + prior_weight), -100.0, 100.0)
    return RankedScore(key=key, shrunk_mean=estimate, interval=interval, count=n, rank=0)


def _check_prior(histogram: Histogram, prior_mean: float, prior_weight: float) -> None:
    scale = histogram.scale
    if not scale.minimum <= prior_mean <= scale.maximum:
        raise ValueError(
            f"prior_mean {prior_mean} is outside the {scale.name} scale ({scale.describe_range()}): "
            "use the national mean of the same question."
        )
    if prior_weight < 0:
        raise ValueError(
            f"prior_weight is {prior_weight}, but it must be zero or more: it counts virtual answers."
        )


def _check_entries(entries: Sequence[tuple[str, Histogram]]) -> None:
    duplicates = sorted(key for key, times in Counter(key for key, _ in entries).items() if times > 1)
    if duplicates:
        raise ValueError(
            f"Keys must be unique, but {', '.join(duplicates)} repeat: merge their histograms first."
        )
    scales = sorted({histogram.scale.name for _, histogram in entries})
    if len(scales) > 1:
        raise ValueError(
            f"All entries must be on one scale, but got {', '.join(scales)}: rank one question at a time."
        )
