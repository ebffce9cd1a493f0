"""Net Promoter Score: its interpretation bands and the per-answer form that ranking uses.

NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100 (``federation/scores/stats.py``). It is the
mean of a per-answer score: +100 for a promoter, 0 for a passive, −100 for a detractor, so it can be shrunk
and given an interval like a mean (``federation/scores/ranking.py`` ranks NPS questions by it).

Interpretation bands (:func:`band_of_nps`): below 0 NEEDS_IMPROVEMENT, 0–30 GOOD, above 30 up to 70 GREAT,
above 70 EXCELLENT. Source: these cut-offs are the practitioner rule of thumb that survey vendors' guides to "what
is a good NPS" commonly give; they are not a standard — Bain & Company, which introduced the NPS (F. Reichheld,
"The One Number You Need to Grow", Harvard Business Review, December 2003), publishes no official bands and
advises comparing within a sector and over time. arvio shows the band beside the figure, never instead of it.
"""

from __future__ import annotations

import enum
import math

from federation.battery.national import Wording
from federation.scores.stats import Histogram

PROMOTERS = range(9, 11)
DETRACTORS = range(7)


class NpsBand(enum.Enum):
    """How an NPS reads by the usual rule of thumb (see the module docstring for the cut-offs and their source)."""

    NEEDS_IMPROVEMENT = "NEEDS_IMPROVEMENT"
    GOOD = "GOOD"
    GREAT = "GREAT"
    EXCELLENT = "EXCELLENT"


NPS_BAND_LABELS: dict[NpsBand, Wording] = {
    NpsBand.NEEDS_IMPROVEMENT: Wording("Parannettavaa", "Behöver förbättras", "Needs improvement"),
    NpsBand.GOOD: Wording("Hyvä", "Bra", "Good"),
    NpsBand.GREAT: Wording("Erittäin hyvä", "Mycket bra", "Great"),
    NpsBand.EXCELLENT: Wording("Erinomainen", "Utmärkt", "Excellent"),
}
"""The band names shown beside an NPS, in fi/sv/en (the dashboard shows the same: dashboard/i18n.js)."""

NPS_BAND_LIMITS: tuple[tuple[NpsBand, float], ...] = (
    (NpsBand.NEEDS_IMPROVEMENT, 0.0), (NpsBand.GOOD, 30.0), (NpsBand.GREAT, 70.0))
"""Upper limits: below 0 NEEDS_IMPROVEMENT, up to and including 30 GOOD, up to and including 70 GREAT."""


def band_of_nps(nps: float | None) -> NpsBand | None:
    """The interpretation band of an NPS (None stays None); refuses a value outside −100…100."""
    if nps is None:
        return None
    if math.isnan(nps) or not -100.0 <= nps <= 100.0:
        raise ValueError(f"an NPS runs from -100 to 100, got {nps}.")
    if nps < 0:
        return NpsBand.NEEDS_IMPROVEMENT
    if nps <= 30:
        return NpsBand.GOOD
    return NpsBand.GREAT if nps <= 70 else NpsBand.EXCELLENT


def nps_and_error(histogram: Histogram) -> tuple[float, float]:
    """The NPS of an NPS_11 histogram with at least one answer, and its standard error (0 for n == 1)."""
    n = histogram.count
    promoters = histogram.count_of(PROMOTERS) / n
    detractors = histogram.count_of(DETRACTORS) / n
    difference = promoters - detractors
    if n < 2:
        return 100 * difference, 0.0
    variance = max(0.0, (promoters + detractors - difference**2) / (n - 1))
    return 100 * difference, 100 * math.sqrt(variance)


def pooled_nps(histograms: list[Histogram]) -> float | None:
    """The NPS of every answer of the histograms together (None without answers): the national NPS."""
    promoters = sum(h.count_of(PROMOTERS) for h in histograms)
    detractors = sum(h.count_of(DETRACTORS) for h in histograms)
    count = sum(h.count for h in histograms)
    return 100 * (promoters - detractors) / count if count else None
