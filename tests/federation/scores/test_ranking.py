"""Tests of federation.scores.ranking: shrinkage, interval ties and the ordering invariant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.battery.scales import Scale
from federation.scores.ranking import RankedScore, rank, shrunk_mean
from federation.scores.stats import Histogram, Interval

Z95 = 1.959963984540054


def stars(*counts: int) -> Histogram:
    """A STARS_5 histogram from its five counts."""
    return Histogram(Scale.STARS_5, counts)


# --- shrunk_mean -------------------------------------------------------------------------------------------


def test_shrunk_mean_pulls_toward_the_prior() -> None:
    # n = 100, mean 4.5, prior 3 with weight 10: (450 + 30) / 110 = 48 / 11.
    assert shrunk_mean(stars(0, 0, 0, 50, 50), prior_mean=3.0, prior_weight=10) == pytest.approx(48 / 11)


def test_shrunk_mean_without_answers_is_the_prior() -> None:
    assert shrunk_mean(Histogram.empty(Scale.STARS_5), prior_mean=3.7, prior_weight=5) == pytest.approx(3.7)


def test_shrunk_mean_with_zero_weight_is_the_mean() -> None:
    assert shrunk_mean(stars(1, 1, 2, 3, 3), prior_mean=1.0, prior_weight=0) == pytest.approx(3.6)


def test_shrunk_mean_rejects_prior_outside_the_scale() -> None:
    with pytest.raises(ValueError) as error:
        shrunk_mean(stars(1, 0, 0, 0, 0), prior_mean=6.0, prior_weight=1)
    assert str(error.value) == (
        "prior_mean 6.0 is outside the STARS_5 scale (1–5): use the national mean of the same question."
    )


def test_shrunk_mean_rejects_negative_weight() -> None:
    with pytest.raises(ValueError) as error:
        shrunk_mean(stars(1, 0, 0, 0, 0), prior_mean=3.0, prior_weight=-1)
    assert str(error.value) == "prior_weight is -1, but it must be zero or more: it counts virtual answers."


def test_shrunk_mean_of_nothing_without_prior_weight_is_undefined() -> None:
    with pytest.raises(ValueError) as error:
        shrunk_mean(Histogram.empty(Scale.STARS_5), prior_mean=3.0, prior_weight=0)
    assert str(error.value) == (
        "The histogram has no answers and prior_weight is 0: give the prior a positive weight."
    )


# --- rank --------------------------------------------------------------------------------------------------


def test_rank_fixture() -> None:
    # prior 3, weight 10.
    # big:   n = 100, mean 4.5, s² = 25/99, SE = √(25/99/100), shrunk 48/11, half = z·SE·100/110.
    # mid:   n = 20,  mean 4.0, s² = 20/19, SE = √(1/19),      shrunk 11/3,  half = z·SE·20/30 ≈ 0.29976.
    # mid2:  n = 10,  mean 4.0, s² = 10/9,  SE = 1/3,          shrunk 3.5,   half = z/3·10/20 ≈ 0.32666,
    #        overlaps mid → shares rank 2.
    # low:   n = 2,   all 1s, SE = 0, shrunk (2 + 30)/12 = 8/3, below mid2's interval (3.1733…) → rank 4.
    entries = [
        ("low", stars(2, 0, 0, 0, 0)),
        ("mid2", stars(0, 0, 5, 0, 5)),
        ("big", stars(0, 0, 0, 50, 50)),
        ("mid", stars(0, 0, 10, 0, 10)),
    ]
    ranked = rank(entries, prior_mean=3.0, prior_weight=10)
    assert [(r.key, r.rank, r.count) for r in ranked] == [
        ("big", 1, 100),
        ("mid", 2, 20),
        ("mid2", 2, 10),
        ("low", 4, 2),
    ]
    half_big = Z95 * (25 / 99 / 100) ** 0.5 * 100 / 110
    half_mid = Z95 * (1 / 19) ** 0.5 * 20 / 30
    half_mid2 = Z95 / 3 * 10 / 20
    expected = [(48 / 11, half_big), (11 / 3, half_mid), (3.5, half_mid2), (8 / 3, 0.0)]
    for score, (centre, half) in zip(ranked, expected, strict=True):
        assert score.shrunk_mean == pytest.approx(centre)
        assert (score.interval.low, score.interval.high) == pytest.approx((centre - half, centre + half))
    assert half_mid == pytest.approx(0.29976, abs=1e-5)
    assert half_mid2 == pytest.approx(0.32666, abs=1e-5)


def test_equal_scores_tie_and_are_ordered_by_key() -> None:
    ranked = rank([("x", stars(1, 2, 3, 4, 5)), ("w", stars(1, 2, 3, 4, 5))], prior_mean=3.0, prior_weight=2)
    assert [(r.key, r.rank) for r in ranked] == [("w", 1), ("x", 1)]


def test_ties_chain_through_overlapping_neighbours() -> None:
    # Each interval overlaps its neighbour's, so all share rank 1 although the first and last do not overlap.
    ranked = rank(
        [("a", stars(0, 0, 5, 0, 5)), ("b", stars(0, 5, 0, 5, 0)), ("c", stars(5, 0, 5, 0, 0))],
        prior_mean=3.0,
        prior_weight=0,
    )
    assert [(r.key, r.rank) for r in ranked] == [("a", 1), ("b", 1), ("c", 1)]
    assert not ranked[0].interval.overlaps(ranked[2].interval)


def test_rank_of_nothing_is_empty() -> None:
    assert rank([], prior_mean=3.0, prior_weight=10) == []


def test_single_entry_ranks_first_with_its_interval() -> None:
    assert rank([("only", stars(0, 0, 0, 0, 1))], prior_mean=3.0, prior_weight=1) == [
        RankedScore(key="only", shrunk_mean=4.0, interval=Interval(4.0, 4.0), count=1, rank=1)
    ]


def test_rank_rejects_duplicate_keys() -> None:
    with pytest.raises(ValueError) as error:
        rank([("a", stars(1, 0, 0, 0, 0)), ("a", stars(0, 1, 0, 0, 0))], prior_mean=3.0, prior_weight=1)
    assert str(error.value) == "Keys must be unique, but a repeat: merge their histograms first."


def test_rank_rejects_mixed_scales() -> None:
    with pytest.raises(ValueError) as error:
        rank(
            [("a", stars(1, 0, 0, 0, 0)), ("b", Histogram(Scale.FACES_4, (1, 0, 0, 0)))],
            prior_mean=3.0,
            prior_weight=1,
        )
    assert str(error.value) == (
        "All entries must be on one scale, but got FACES_4, STARS_5: rank one question at a time."
    )


# --- Hypothesis invariants ---------------------------------------------------------------------------------

star_histograms = st.lists(st.integers(0, 200), min_size=5, max_size=5).map(lambda c: stars(*c))
entry_lists = st.dictionaries(st.text("abcdef", min_size=1, max_size=3), star_histograms, max_size=12)


@given(
    entry_lists,
    st.floats(min_value=1.0, max_value=5.0),
    st.floats(min_value=0.1, max_value=100.0),
    st.floats(min_value=0.5, max_value=0.999),
)
def test_no_entry_is_ranked_above_one_whose_interval_lies_fully_above_it(
    entries: dict[str, Histogram], prior_mean: float, prior_weight: float, confidence: float
) -> None:
    ranked = rank(
        list(entries.items()), prior_mean=prior_mean, prior_weight=prior_weight, confidence=confidence
    )
    assert sorted(r.key for r in ranked) == sorted(entries)
    for position, upper in enumerate(ranked):
        assert upper.interval.contains(upper.shrunk_mean)
        assert 1 <= upper.rank <= position + 1
        for lower in ranked[position + 1 :]:
            assert not upper.interval.high < lower.interval.low
            assert upper.rank <= lower.rank


@given(star_histograms, st.floats(min_value=1.0, max_value=5.0), st.floats(min_value=0.1, max_value=100.0))
def test_shrunk_mean_lies_between_the_mean_and_the_prior(
    histogram: Histogram, prior_mean: float, prior_weight: float
) -> None:
    value = shrunk_mean(histogram, prior_mean=prior_mean, prior_weight=prior_weight)
    mean = (
        sum(v * c for v, c in zip(Scale.STARS_5.values, histogram.counts, strict=True)) / histogram.count
        if histogram.count
        else prior_mean
    )
    assert min(mean, prior_mean) - 1e-9 <= value <= max(mean, prior_mean) + 1e-9
