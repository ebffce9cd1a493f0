"""Tests of federation.scores.stats: hand-computed fixtures, exact error messages, Hypothesis invariants."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.battery.scales import Scale
from federation.scores.stats import Histogram, Interval, ScoreStats, summarise, wilson_interval, z_score

Z95 = 1.959963984540054


def assert_interval(actual: Interval | None, low: float, high: float, abs_: float = 1e-9) -> None:
    """Assert both bounds of ``actual`` to within ``abs_``."""
    assert actual is not None
    assert (actual.low, actual.high) == pytest.approx((low, high), abs=abs_)


def assert_stats(actual: ScoreStats, expected: ScoreStats, abs_: float = 1e-9) -> None:
    """Assert a whole summary: floats and interval bounds to within ``abs_``, everything else exactly."""
    for field in fields(ScoreStats):
        got, want = getattr(actual, field.name), getattr(expected, field.name)
        if isinstance(want, Interval):
            assert_interval(got, want.low, want.high, abs_)
        elif isinstance(want, float):
            assert got == pytest.approx(want, abs=abs_), field.name
        else:
            assert got == want, field.name


# --- Histogram ---------------------------------------------------------------------------------------------


def test_histogram_rejects_wrong_number_of_counts() -> None:
    with pytest.raises(ValueError) as error:
        Histogram(Scale.STARS_5, (1, 2, 3))
    assert str(error.value) == (
        "A STARS_5 histogram needs 5 counts, one per value 1–5, but got 3: "
        "put the count of value 1 + i at position i."
    )


def test_histogram_rejects_negative_count() -> None:
    with pytest.raises(ValueError) as error:
        Histogram(Scale.STARS_5, (1, -1, 0, 0, 0))
    assert str(error.value) == (
        "The count for value 2 is -1, but counts must be zero or more: "
        "pass the number of answers with that value."
    )


def test_histogram_rejects_negative_skipped() -> None:
    with pytest.raises(ValueError) as error:
        Histogram(Scale.YES_NO, (1, 1), skipped=-1)
    assert str(error.value) == (
        "skipped is -1, but it must be zero or more: pass the number of exposures without an answer."
    )


def test_from_values_rejects_value_outside_scale() -> None:
    with pytest.raises(ValueError) as error:
        Histogram.from_values(Scale.STARS_5, [1, 6])
    assert (
        str(error.value) == "Value 6 is outside the STARS_5 scale (1–5): correct or drop it before counting."
    )


def test_from_values_counts_each_value() -> None:
    assert Histogram.from_values(Scale.STARS_5, [1, 1, 2, 3, 3], skipped=2) == Histogram(
        Scale.STARS_5, (2, 1, 2, 0, 0), skipped=2
    )


def test_counts_given_as_list_become_a_tuple() -> None:
    assert Histogram(Scale.YES_NO, [3, 4]).counts == (3, 4)  # type: ignore[arg-type]


def test_empty_histogram() -> None:
    assert Histogram.empty(Scale.FACES_4) == Histogram(Scale.FACES_4, (0, 0, 0, 0), skipped=0)
    assert Histogram.empty(Scale.FACES_4).count == 0


def test_from_slots_keeps_only_the_scale_values() -> None:
    slots = (100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    assert Histogram.from_slots(Scale.STARS_5, slots, skipped=7) == Histogram(
        Scale.STARS_5, (1, 2, 3, 4, 5), skipped=7
    )
    assert Histogram.from_slots(Scale.YES_NO, slots, skipped=0) == Histogram(Scale.YES_NO, (100, 1))
    assert Histogram.from_slots(Scale.NPS_11, slots, skipped=0).counts == slots


def test_from_slots_rejects_wrong_number_of_slots() -> None:
    with pytest.raises(ValueError) as error:
        Histogram.from_slots(Scale.STARS_5, [1, 2, 3, 4, 5], skipped=0)
    assert str(error.value) == (
        "A rollup row has 11 slots, one per value 0–10, but got 5: "
        "pass all slots, with zeros for values the scale does not use."
    )


def test_adding_histograms_adds_counts_and_skips() -> None:
    first = Histogram(Scale.FACES_4, (1, 2, 3, 4), skipped=1)
    total = first + Histogram(Scale.FACES_4, (4, 3, 2, 1), skipped=2)
    assert total == Histogram(Scale.FACES_4, (5, 5, 5, 5), skipped=3)
    assert total.count == 20
    assert total.answered == 20


def test_adding_histograms_of_different_scales_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        Histogram.empty(Scale.STARS_5) + Histogram.empty(Scale.LIKERT_5)
    assert str(error.value) == (
        "Cannot add a LIKERT_5 histogram to a STARS_5 histogram: "
        "merge only histograms of questions on the same scale."
    )


def test_interval_rejects_reversed_bounds() -> None:
    with pytest.raises(ValueError) as error:
        Interval(2.0, 1.0)
    assert (
        str(error.value)
        == "An interval needs low <= high, but got low=2.0, high=1.0: swap or fix the bounds."
    )


# --- intervals ---------------------------------------------------------------------------------------------


def test_z_score_for_95_percent() -> None:
    assert z_score(0.95) == pytest.approx(Z95)


@pytest.mark.parametrize("confidence", [0.0, 1.0, 95.0])
def test_z_score_rejects_confidence_outside_zero_one(confidence: float) -> None:
    with pytest.raises(ValueError) as error:
        z_score(confidence)
    assert str(error.value) == (
        f"confidence must be between 0 and 1 exclusive, got {confidence}: use e.g. 0.95."
    )


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (8, 10, 0.4902, 0.9433),  # textbook values (Newcombe 1998, Agresti & Coull 1998)
        (6, 10, 0.3127, 0.8318),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_interval_matches_textbook(successes: int, trials: int, low: float, high: float) -> None:
    assert_interval(wilson_interval(successes, trials), low, high, abs_=1e-4)


def test_wilson_interval_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError) as error:
        wilson_interval(11, 10)
    assert str(error.value) == (
        "A share needs 0 <= successes <= trials and trials > 0, got 11 of 10: "
        "pass counts of the same answers."
    )


# --- summarise: hand-computed fixtures ---------------------------------------------------------------------


def test_stars_summary() -> None:
    # counts (1, 1, 2, 3, 3) for 1..5: n = 10, sum = 1 + 2 + 6 + 12 + 15 = 36, mean = 3.6.
    # squared deviations: 6.76 + 2.56 + 2·0.36 + 3·0.16 + 3·1.96 = 16.4; s² = 16.4 / 9; SE = √(16.4 / 90).
    # half width = 1.959964 · 0.4268749 = 0.8366595. Top two box = 6 / 10, Wilson (0.3127, 0.8318).
    half = Z95 * (16.4 / 90) ** 0.5
    stats = summarise(Histogram(Scale.STARS_5, (1, 1, 2, 3, 3)))
    expected = ScoreStats(
        scale=Scale.STARS_5,
        count=10,
        skipped=0,
        mean=3.6,
        mean_interval=Interval(3.6 - half, 3.6 + half),
        distribution=((1, 1), (2, 1), (3, 2), (4, 3), (5, 3)),
        top_two_box=0.6,
        top_two_box_interval=Interval(0.3127, 0.8318),
        yes_share=None,
        yes_share_interval=None,
        nps=None,
        nps_interval=None,
        normalised=0.65,
        normalised_interval=Interval((2.6 - half) / 4, (2.6 + half) / 4),
        response_rate=1.0,
        published=True,
    )
    assert_stats(stats, expected, abs_=1e-4)
    assert_interval(stats.mean_interval, 3.6 - half, 3.6 + half)
    assert half == pytest.approx(0.8366595, abs=1e-7)


def test_nps_summary() -> None:
    # 6 promoters (three 10s, three 9s), 2 passives (8, 7), 2 detractors (6, 0): NPS = 100 · (0.6 - 0.2) = 40.
    # var = (0.6 + 0.2 - 0.4²) / 10 = 0.064; half width = 100 · 1.959964 · √0.064 = 49.5836.
    histogram = Histogram.from_values(Scale.NPS_11, [10, 10, 10, 9, 9, 9, 8, 7, 6, 0])
    stats = summarise(histogram)
    assert stats.nps == pytest.approx(40.0)
    assert_interval(stats.nps_interval, 40 - 49.5836, 40 + 49.5836, abs_=1e-4)
    assert stats.top_two_box == pytest.approx(0.6)
    assert stats.mean == pytest.approx(7.8)
    assert stats.normalised == pytest.approx(0.78)
    assert stats.yes_share is None
    assert stats.yes_share_interval is None


def test_nps_interval_is_clamped_to_100() -> None:
    # p = 0.9, d = 0.1: var = (1 - 0.64) / 10 = 0.036, 80 ± 37.19 would exceed 100.
    stats = summarise(Histogram.from_values(Scale.NPS_11, [10] * 9 + [0]))
    assert stats.nps == pytest.approx(80.0)
    assert_interval(stats.nps_interval, 80 - 100 * Z95 * 0.036**0.5, 100.0)


def test_unanimous_nps_has_a_degenerate_interval() -> None:
    stats = summarise(Histogram.from_values(Scale.NPS_11, [0] * 12))
    assert stats.nps == -100.0
    assert stats.nps_interval == Interval(-100.0, -100.0)


def test_yes_no_summary() -> None:
    stats = summarise(Histogram(Scale.YES_NO, (2, 8)))
    assert stats.yes_share == pytest.approx(0.8)
    assert_interval(stats.yes_share_interval, 0.4902, 0.9433, abs_=1e-4)
    assert stats.mean == pytest.approx(0.8)
    assert stats.normalised == pytest.approx(0.8)
    assert stats.top_two_box is None
    assert stats.top_two_box_interval is None
    assert stats.nps is None


def test_mean_interval_is_clamped_to_the_scale() -> None:
    # counts (0, 0, 0, 1, 9): mean 4.9, s² = (0.81 + 9 · 0.01) / 9 = 0.1, SE = 0.1, 4.9 + 0.196 > 5.
    stats = summarise(Histogram(Scale.STARS_5, (0, 0, 0, 1, 9)))
    assert stats.mean == pytest.approx(4.9)
    assert_interval(stats.mean_interval, 4.9 - Z95 * 0.1, 5.0)
    assert_interval(stats.normalised_interval, (3.9 - Z95 * 0.1) / 4, 1.0)


def test_single_answer_has_a_degenerate_mean_interval() -> None:
    stats = summarise(Histogram.from_values(Scale.FACES_4, [3]), publication_threshold=1)
    assert stats.mean == 3.0
    assert stats.mean_interval == Interval(3.0, 3.0)
    assert stats.normalised_interval == Interval(2 / 3, 2 / 3)
    assert stats.published is True


@pytest.mark.parametrize(("answers", "published"), [(9, False), (10, True), (11, True)])
def test_published_at_the_default_threshold_of_10(answers: int, published: bool) -> None:
    assert summarise(Histogram.from_values(Scale.LIKERT_5, [4] * answers)).published is published


def test_custom_publication_threshold() -> None:
    histogram = Histogram.from_values(Scale.LIKERT_5, [4] * 10)
    assert summarise(histogram, publication_threshold=30).published is False


def test_empty_histogram_summary() -> None:
    assert summarise(Histogram.empty(Scale.STARS_5)) == ScoreStats(
        scale=Scale.STARS_5,
        count=0,
        skipped=0,
        mean=None,
        mean_interval=None,
        distribution=((1, 0), (2, 0), (3, 0), (4, 0), (5, 0)),
        top_two_box=None,
        top_two_box_interval=None,
        yes_share=None,
        yes_share_interval=None,
        nps=None,
        nps_interval=None,
        normalised=None,
        normalised_interval=None,
        response_rate=None,
        published=False,
    )


def test_only_skips_give_a_zero_response_rate_and_no_values() -> None:
    stats = summarise(Histogram(Scale.YES_NO, (0, 0), skipped=5))
    assert (stats.count, stats.skipped, stats.response_rate, stats.yes_share) == (0, 5, 0.0, None)


def test_response_rate_with_skips() -> None:
    stats = summarise(Histogram(Scale.STARS_5, (1, 1, 1, 1, 0), skipped=6))
    assert stats.response_rate == pytest.approx(0.4)
    assert (stats.count, stats.skipped) == (4, 6)


def test_wider_confidence_gives_a_wider_interval() -> None:
    histogram = Histogram(Scale.STARS_5, (1, 1, 2, 3, 3))
    narrow = summarise(histogram, confidence=0.8).mean_interval
    wide = summarise(histogram, confidence=0.99).mean_interval
    assert narrow is not None and wide is not None
    assert wide.low < narrow.low < narrow.high < wide.high


# --- Hypothesis invariants ---------------------------------------------------------------------------------


@st.composite
def value_lists(draw: st.DrawFn) -> tuple[Scale, list[int]]:
    """A scale and a list of valid answer values on it."""
    scale = draw(st.sampled_from(Scale))
    return scale, draw(st.lists(st.integers(scale.minimum, scale.maximum), max_size=60))


@st.composite
def histograms(draw: st.DrawFn, scale: Scale | None = None) -> Histogram:
    """A histogram with arbitrary (possibly large) counts and skips."""
    chosen = scale if scale is not None else draw(st.sampled_from(Scale))
    counts = draw(st.lists(st.integers(0, 5_000), min_size=chosen.size, max_size=chosen.size))
    return Histogram(chosen, tuple(counts), skipped=draw(st.integers(0, 5_000)))


confidences = st.floats(min_value=0.5, max_value=0.999)


@given(value_lists(), st.data(), st.integers(0, 20))
def test_summary_does_not_depend_on_answer_order(
    scale_values: tuple[Scale, list[int]], data: st.DataObject, skipped: int
) -> None:
    scale, values = scale_values
    shuffled = data.draw(st.permutations(values))
    assert summarise(Histogram.from_values(scale, shuffled, skipped)) == summarise(
        Histogram.from_values(scale, values, skipped)
    )


@given(value_lists(), st.data())
def test_summary_does_not_depend_on_batching(
    scale_values: tuple[Scale, list[int]], data: st.DataObject
) -> None:
    scale, values = scale_values
    cuts = sorted(data.draw(st.lists(st.integers(0, len(values)), max_size=5)))
    bounds = [0, *cuts, len(values)]
    skips = data.draw(st.lists(st.integers(0, 10), min_size=len(bounds) - 1, max_size=len(bounds) - 1))
    batches = [
        Histogram.from_values(scale, values[start:end], skipped)
        for start, end, skipped in zip(bounds, bounds[1:], skips, strict=False)
    ]
    merged = Histogram.empty(scale)
    for batch in batches:
        merged = merged + batch
    assert summarise(merged) == summarise(Histogram.from_values(scale, values, sum(skips)))


def _estimates(stats: ScoreStats) -> list[tuple[float | None, Interval | None]]:
    return [
        (stats.mean, stats.mean_interval),
        (stats.top_two_box, stats.top_two_box_interval),
        (stats.yes_share, stats.yes_share_interval),
        (stats.nps, stats.nps_interval),
        (stats.normalised, stats.normalised_interval),
    ]


@given(histograms(), confidences)
def test_every_interval_contains_its_point_estimate(histogram: Histogram, confidence: float) -> None:
    for point, interval in _estimates(summarise(histogram, confidence=confidence)):
        assert (point is None) == (interval is None)
        if point is not None and interval is not None:
            assert interval.contains(point)


@given(histograms(Scale.NPS_11), confidences)
def test_nps_and_its_interval_stay_within_plus_minus_100(histogram: Histogram, confidence: float) -> None:
    stats = summarise(histogram, confidence=confidence)
    if histogram.count:
        assert stats.nps is not None and stats.nps_interval is not None
        assert -100.0 <= stats.nps_interval.low <= stats.nps <= stats.nps_interval.high <= 100.0
    else:
        assert stats.nps is None


@given(histograms(), confidences)
def test_normalised_and_shares_stay_within_zero_one(histogram: Histogram, confidence: float) -> None:
    stats = summarise(histogram, confidence=confidence)
    for point, interval in _estimates(stats)[1:3] + _estimates(stats)[4:]:
        if point is not None and interval is not None:
            assert 0.0 <= interval.low <= point <= interval.high <= 1.0
    if stats.response_rate is not None:
        assert 0.0 <= stats.response_rate <= 1.0


@given(histograms(), confidences)
def test_mean_interval_stays_within_the_scale(histogram: Histogram, confidence: float) -> None:
    interval = summarise(histogram, confidence=confidence).mean_interval
    if interval is not None:
        assert histogram.scale.minimum <= interval.low <= interval.high <= histogram.scale.maximum


@given(histograms(), st.integers(0, 20_000))
def test_published_exactly_when_count_reaches_threshold(histogram: Histogram, threshold: int) -> None:
    stats = summarise(histogram, publication_threshold=threshold)
    assert stats.published is (histogram.count >= threshold)
    assert sum(count for _, count in stats.distribution) == stats.count == histogram.count
