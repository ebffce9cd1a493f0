"""Fair comparison of services on one question: ranking with shrinkage, percentiles, organisation summaries.

Pure functions over histograms, built on ``federation.scores.ranking``. Guarantees:

- Services whose n is below the publication threshold are never ranked (a raw mean of a handful of answers is
  noise): they are listed as not ranked, with no figures.
- Ranked services are ordered by their mean shrunk toward the national mean (``prior_weight`` virtual answers);
  NPS questions by their NPS shrunk toward the national NPS (``Metric.NPS``, federation/scores/ranking.py),
  every one with its interval; neighbours whose intervals overlap share a rank. So a service whose interval lies
  entirely below another's is never ranked above it.
- A service's percentile among its peers is the share of the *other* ranked peers with a lower shrunk mean,
  counting equal ones half: 0 is the lowest, 100 the highest, 50 the middle; None without other ranked peers.
- An organisation summary pools the histograms of its services that reach the threshold, so each service
  weighs by its volume (n); unpublished services are left out of the pool, so no published total minus
  published parts reveals them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from federation.scores.nps import pooled_nps
from federation.scores.ranking import Metric, RankedScore, rank
from federation.scores.stats import DEFAULT_CONFIDENCE, Histogram, ScoreStats, summarise


@dataclass(frozen=True)
class PeerEntry:
    """One service in a comparison: ranked (with its ranked score and percentile) or not ranked."""

    service_id: str
    count: int
    ranked: RankedScore | None
    percentile: float | None


@dataclass(frozen=True)
class PeerRanking:
    """A comparison: the prior it shrank toward, ranked entries best first, then the not-ranked ones by id."""

    prior_mean: float
    prior_weight: float
    entries: tuple[PeerEntry, ...]
    metric: Metric = Metric.MEAN
    """What the entries are ranked by; with NPS, ``prior_mean`` and each ``shrunk_mean`` are NPS values."""

    def entry(self, service_id: str) -> PeerEntry | None:
        """The entry of ``service_id``, if it is in the comparison."""
        return next((e for e in self.entries if e.service_id == service_id), None)

    @property
    def ranked_count(self) -> int:
        """How many services are ranked."""
        return sum(1 for e in self.entries if e.ranked is not None)


def pooled_mean(histograms: Iterable[Histogram]) -> float | None:
    """The mean of every answer of the histograms together (None without answers): the national mean."""
    total = count = 0
    for histogram in histograms:
        total += sum(v * c for v, c in zip(histogram.scale.values, histogram.counts, strict=True))
        count += histogram.count
    return total / count if count else None


def national_prior(histograms: Iterable[Histogram], metric: Metric) -> float | None:
    """The national value of ``metric`` over the histograms: the pooled mean, or the pooled NPS."""
    pool = list(histograms)
    return pooled_nps(pool) if metric is Metric.NPS else pooled_mean(pool)


def percentile(ranked: Sequence[RankedScore], key: str) -> float | None:
    """``key``'s percentile among the other ranked entries (see the module docstring)."""
    own = next((r for r in ranked if r.key == key), None)
    others = [r for r in ranked if r.key != key]
    if own is None or not others:
        return None
    below = sum(1 for r in others if r.shrunk_mean < own.shrunk_mean)
    equal = sum(1 for r in others if r.shrunk_mean == own.shrunk_mean)
    return 100.0 * (below + 0.5 * equal) / len(others)


def rank_peers(candidates: Sequence[tuple[str, Histogram]], *, prior_mean: float, prior_weight: float,
               publication_threshold: int, confidence: float = DEFAULT_CONFIDENCE,
               metric: Metric = Metric.MEAN) -> PeerRanking:
    """Rank the candidates that reach ``publication_threshold`` by ``metric``; list the rest as not ranked."""
    eligible = [(key, h) for key, h in candidates if h.count >= publication_threshold]
    ranked = rank(eligible, prior_mean=prior_mean, prior_weight=prior_weight, confidence=confidence,
                  metric=metric)
    entries = [PeerEntry(r.key, r.count, r, percentile(ranked, r.key)) for r in ranked]
    small = sorted((key, h.count) for key, h in candidates if h.count < publication_threshold)
    entries += [PeerEntry(key, count, None, None) for key, count in small]
    return PeerRanking(prior_mean, prior_weight, tuple(entries), metric)


@dataclass(frozen=True)
class OrganisationSummary:
    """An organisation's volume-weighted score: the pooled histogram of its published services."""

    organisation_id: str
    services: int
    published_services: int
    stats: ScoreStats


def summarise_organisations(entries: Iterable[tuple[str, Histogram]], *, publication_threshold: int,
                            ) -> list[OrganisationSummary]:
    """One summary per organisation from (organisation id, service histogram) pairs, by organisation id.

    Services below the threshold count in ``services`` but not in the pool; an organisation with no published
    service gets an empty, unpublished summary.
    """
    grouped: dict[str, list[Histogram]] = {}
    for organisation_id, histogram in entries:
        grouped.setdefault(organisation_id, []).append(histogram)
    summaries = []
    for organisation_id, histograms in sorted(grouped.items()):
        published = [h for h in histograms if h.count >= publication_threshold]
        pool = Histogram.empty(histograms[0].scale)
        for histogram in published:
            pool = pool + histogram
        summaries.append(OrganisationSummary(organisation_id, len(histograms), len(published),
                                             summarise(pool, publication_threshold=publication_threshold)))
    return summaries

