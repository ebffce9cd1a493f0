"""Fair comparison: who is ranked, shrinkage, percentiles, volume-weighted summaries, and the interval invariant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.analytics.comparison import (
    percentile,
    pooled_mean,
    rank_peers,
    summarise_organisations,
)
from federation.battery.scales import Scale
from federation.scores.ranking import RankedScore
from federation.scores.stats import Histogram, Interval


def stars(counts: tuple[int, int, int, int, int]) -> Histogram:
    return Histogram(Scale.STARS_5, counts)


def test_small_services_are_listed_not_ranked() -> None:
    candidates = [("big", stars((0, 0, 0, 10, 10))), ("small", stars((0, 0, 0, 0, 9))),
                  ("mid", stars((0, 0, 10, 10, 0)))]
    ranking = rank_peers(candidates, prior_mean=4.0, prior_weight=10, publication_threshold=10)
    assert [(e.service_id, e.ranked is not None) for e in ranking.entries] == [
        ("big", True), ("mid", True), ("small", False)]
    big = ranking.entries[0].ranked
    # (20·4.5 + 10·4.0) / 30 = 130/30
    assert big is not None and big.shrunk_mean == pytest.approx(130 / 30)
    mid = ranking.entries[1].ranked
    assert mid is not None and mid.shrunk_mean == pytest.approx((20 * 3.5 + 40) / 30)
    assert ranking.ranked_count == 2
    assert ranking.entry("small") is not None and ranking.entry("small").percentile is None  # type: ignore[union-attr]
    assert (ranking.entries[0].percentile, ranking.entries[1].percentile) == (100.0, 0.0)


def ranked(key: str, mean: float) -> RankedScore:
    return RankedScore(key=key, shrunk_mean=mean, interval=Interval(mean, mean), count=10, rank=1)


def test_percentile_by_hand() -> None:
    scores = [ranked("a", 4.5), ranked("b", 4.0), ranked("c", 4.0), ranked("d", 3.0), ranked("e", 2.0)]
    # b: below it d, e (2); equal c counts half → (2 + 0.5) / 4 others = 62.5
    assert percentile(scores, "b") == 62.5
    assert percentile(scores, "a") == 100.0 and percentile(scores, "e") == 0.0
    assert percentile(scores[:1], "a") is None and percentile(scores, "zzz") is None


def test_organisation_summaries_weigh_by_volume_and_leave_out_unpublished() -> None:
    entries = [("org-1", stars((0, 0, 0, 0, 30))), ("org-1", stars((0, 0, 10, 0, 0))),
               ("org-1", stars((5, 0, 0, 0, 0))), ("org-2", stars((0, 3, 0, 0, 0)))]
    one, two = summarise_organisations(entries, publication_threshold=10)
    # org-1 pools 30 fives and 10 threes (the 5 ones are below the threshold): (150 + 30) / 40 = 4.5
    assert (one.organisation_id, one.services, one.published_services) == ("org-1", 3, 2)
    assert (one.stats.count, one.stats.mean, one.stats.published) == (40, 4.5, True)
    assert (two.services, two.published_services, two.stats.count, two.stats.published) == (1, 0, 0, False)


def test_pooled_mean_is_the_national_mean() -> None:
    assert pooled_mean([stars((1, 0, 0, 0, 1)), stars((0, 0, 2, 0, 0))]) == 3.0
    assert pooled_mean([]) is None


histograms = st.tuples(*[st.integers(0, 30)] * 5).map(stars)


@given(st.lists(histograms, min_size=2, max_size=12), st.floats(1.0, 5.0), st.integers(0, 50),
       st.integers(1, 20))
def test_a_service_with_an_interval_fully_below_another_is_never_ranked_above_it(
        hists: list[Histogram], prior: float, weight: int, threshold: int) -> None:
    candidates = [(f"s{i:02d}", h) for i, h in enumerate(hists)]
    ranking = rank_peers(candidates, prior_mean=prior, prior_weight=weight, publication_threshold=threshold)
    ranked_entries = [e for e in ranking.entries if e.ranked is not None]
    order = {e.service_id: i for i, e in enumerate(ranked_entries)}
    for lower in ranked_entries:
        for upper in ranked_entries:
            assert lower.ranked is not None and upper.ranked is not None
            if lower.ranked.interval.high < upper.ranked.interval.low:
                assert lower.ranked.rank >= upper.ranked.rank
                assert order[lower.service_id] > order[upper.service_id]
    for entry in ranking.entries:
        assert (entry.ranked is None) == (entry.count < threshold)
