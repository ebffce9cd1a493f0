"""KPI maths: hand-computed fixtures for every KPI, and invariants (shares in [0, 1], order never matters)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.scores.stats import Interval, wilson_interval
from federation.volumes.contract import DayFigures, WaitBuckets
from federation.volumes.kpis import (
    MEDIAN,
    P90,
    RatingTotals,
    ShareStat,
    VolumeTotals,
    WaitQuantile,
    kpis_for,
    publishable,
    summarise_kpis,
    wait_quantile,
)
from tests.federation.volumes.strategies import valid_figures

E_SERVICE = DayFigures(transactions_completed=600, transactions_started=800)
WEB_PAGE = DayFigures(transactions_completed=100)
PHONE = DayFigures(transactions_completed=300, contacts_received=1000, contacts_answered_directly=216,
                   callbacks=300, contacts_abandoned=84, waits=WaitBuckets(50, 100, 50, 16), cost_cents=200_000)
CHAT = DayFigures(contacts_received=200, contacts_answered_directly=150, callbacks=0, contacts_abandoned=50,
                  waits=WaitBuckets(0, 60, 90, 0))
DAY = (VolumeTotals.of_day(E_SERVICE, digital=True) + VolumeTotals.of_day(WEB_PAGE, digital=True)
       + VolumeTotals.of_day(PHONE, digital=False) + VolumeTotals.of_day(CHAT, digital=True))
RATINGS = RatingTotals(answered=150, skipped=50, covered=120)


def test_totals_of_the_fixture_day() -> None:
    day = DAY
    assert day == VolumeTotals(
        channel_days=4, transactions=1000, digital_transactions=700, completed_with_started=600, started=800,
        contacts_received=1200, answered_directly=366, received_with_answered=1200, callbacks=300,
        received_with_callbacks=1200, abandoned=134, received_with_abandoned=1200, waits=(50, 160, 140, 16),
        cost_cents=200_000, transactions_with_cost=300)


def test_every_kpi_by_hand() -> None:
    s = summarise_kpis(DAY, RATINGS, publication_threshold=10)
    assert s.digital_take_up is not None and s.digital_take_up.value == 0.7           # 700 / 1000
    assert s.digital_take_up.interval.low == pytest.approx(0.6709, abs=5e-5)            # Wilson, by hand
    assert s.digital_take_up.interval.high == pytest.approx(0.7276, abs=5e-5)
    shares = {"completion_rate": (600, 800, 0.75), "answered_directly_share": (366, 1200, 0.305),
              "callback_share": (300, 1200, 0.25), "abandonment_rate": (134, 1200, 134 / 1200),
              "coverage": (120, 1000, 0.12), "response_rate": (150, 200, 0.75)}
    for name, (numerator, denominator, value) in shares.items():
        assert getattr(s, name) == ShareStat(value, wilson_interval(numerator, denominator), numerator,
                                             denominator), name
    # waits (50, 160, 140, 16), n = 366: the median (183rd) lies in 1–5 min: 1 + (183 − 50) / 160 × 4 = 4.325;
    # the 90th percentile (329.4th) in 5–15 min: 5 + (329.4 − 210) / 140 × 10 = 13.5286.
    assert s.median_wait == WaitQuantile(4.325, False)
    assert s.p90_wait is not None and s.p90_wait.minutes == pytest.approx(5 + 119.4 / 14)
    assert s.cost_per_transaction == pytest.approx(2000 / 300)  # 2000 € over the phone line's 300 transactions
    assert (s.transactions, s.contacts_received, s.waits, s.published) == (1000, 1200, (50, 160, 140, 16), True)


@pytest.mark.parametrize(("buckets", "q", "expected"), [
    ((10, 30, 40, 20), MEDIAN, WaitQuantile(7.5, False)),     # 50th of 100: 5 + (50 − 40) / 40 × 10
    ((10, 30, 40, 20), P90, WaitQuantile(15.0, True)),        # 90th lies in > 15 min: at least 15
    ((50, 30, 15, 5), MEDIAN, WaitQuantile(1.0, False)),      # exactly the end of the first bucket
    ((50, 30, 15, 5), P90, WaitQuantile(5 + 10 / 15 * 10, False)),
    ((0, 0, 63, 7), P90, WaitQuantile(15.0, False)),          # 63rd of 70 ends the 5–15 bucket: not open-ended
    ((4, 0, 0, 0), MEDIAN, WaitQuantile(0.5, False)),
    ((0, 0, 0, 3), MEDIAN, WaitQuantile(15.0, True)),
    ((0, 0, 0, 0), MEDIAN, None),
])
def test_wait_quantiles(buckets: tuple[int, int, int, int], q: Fraction, expected: WaitQuantile | None) -> None:
    got = wait_quantile(buckets, q)
    if expected is None or got is None:
        assert got == expected
    else:
        assert (got.minutes, got.open_ended) == (pytest.approx(expected.minutes), expected.open_ended)


def test_shares_use_only_days_reporting_both_figures() -> None:
    only_completed = VolumeTotals.of_day(DayFigures(transactions_completed=500), digital=True)
    paired = VolumeTotals.of_day(DayFigures(transactions_completed=40, transactions_started=50), digital=True)
    only_received = VolumeTotals.of_day(DayFigures(contacts_received=90), digital=False)
    s = summarise_kpis(only_completed + paired + only_received, RatingTotals(), publication_threshold=10)
    assert s.completion_rate is not None and s.completion_rate.value == 0.8       # 40 / 50, not 540 / 50
    assert s.answered_directly_share is None                                       # nothing answered reported
    assert s.cost_per_transaction is None and s.median_wait is None


def test_more_ratings_than_transactions_has_no_coverage() -> None:
    day = VolumeTotals.of_day(DayFigures(transactions_completed=10), digital=True)
    s = summarise_kpis(day, RatingTotals(answered=12, skipped=0, covered=12), publication_threshold=10)
    assert s.coverage is None and s.ratings_covered == 12


def test_one_channel_has_no_digital_take_up() -> None:
    assert summarise_kpis(DAY, RATINGS, publication_threshold=10, per_channel=True).digital_take_up is None


def test_publishable_hides_every_figure_below_the_threshold() -> None:
    tiny = VolumeTotals.of_day(DayFigures(9, 12, 30, 5, 2, 1, WaitBuckets(5, 0, 0, 0), 100), digital=False)
    shown = kpis_for(tiny, RatingTotals(9, 3, 8), publication_threshold=10, reveal_unpublished=False)
    assert shown.published is True  # 30 contacts received
    assert (shown.transactions, shown.digital_take_up, shown.cost_per_transaction) == (None, None, None)
    assert shown.transactions_started == 12 and shown.completion_rate is not None
    assert shown.contacts_received == 30 and shown.answered_directly_share is not None
    assert (shown.waits, shown.median_wait, shown.p90_wait) == (None, None, None)  # 5 answered
    assert (shown.ratings_answered, shown.response_rate, shown.coverage) == (None, None, None)
    owner = kpis_for(tiny, RatingTotals(9, 3, 8), publication_threshold=10, reveal_unpublished=True)
    assert owner.transactions == 9 and owner.coverage is not None and owner.coverage.value == 8 / 9


SHARE_NAMES = ("digital_take_up", "completion_rate", "answered_directly_share", "callback_share",
               "abandonment_rate", "coverage", "response_rate")
channel_day = st.tuples(valid_figures(), st.booleans())
ratings = st.builds(RatingTotals, st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 5000))


@given(st.lists(channel_day, max_size=12), ratings)
def test_shares_stay_in_0_1_and_quantiles_in_the_buckets(days: list[tuple[DayFigures, bool]],
                                                        rating: RatingTotals) -> None:
    totals = VolumeTotals.total(VolumeTotals.of_day(f, digital=d) for f, d in days)
    stats = summarise_kpis(totals, rating, publication_threshold=10)
    for name in SHARE_NAMES:
        stat: ShareStat | None = getattr(stats, name)
        if stat is not None:
            assert 0.0 <= stat.interval.low <= stat.value <= stat.interval.high <= 1.0, name
    for quantile in (stats.median_wait, stats.p90_wait):
        assert quantile is None or 0.0 <= quantile.minutes <= 15.0
    if stats.median_wait is not None and stats.p90_wait is not None:
        assert stats.median_wait.minutes <= stats.p90_wait.minutes


@given(st.lists(channel_day, max_size=12), st.randoms(use_true_random=False), st.integers(0, 12))
def test_order_and_batching_of_reports_never_change_a_kpi(days: list[tuple[DayFigures, bool]], rng: object,
                                                          cut: int) -> None:
    parts = [VolumeTotals.of_day(f, digital=d) for f, d in days]
    shuffled = list(parts)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    batched = VolumeTotals.total(shuffled[:cut]) + VolumeTotals.total(shuffled[cut:])
    assert batched == VolumeTotals.total(parts)
    assert summarise_kpis(batched, RatingTotals(), publication_threshold=10) == summarise_kpis(
        VolumeTotals.total(parts), RatingTotals(), publication_threshold=10)


@given(st.lists(channel_day, max_size=6), ratings, st.integers(1, 200))
def test_no_published_figure_rests_on_fewer_than_the_threshold(days: list[tuple[DayFigures, bool]],
                                                               rating: RatingTotals, threshold: int) -> None:
    v = VolumeTotals.total(VolumeTotals.of_day(f, digital=d) for f, d in days)
    shown = publishable(summarise_kpis(v, rating, publication_threshold=threshold), v, publication_threshold=threshold)
    bases = {"transactions": v.transactions, "digital_take_up": v.transactions, "completion_rate": v.started,
             "contacts_received": v.contacts_received, "answered_directly_share": v.received_with_answered,
             "callback_share": v.received_with_callbacks, "abandonment_rate": v.received_with_abandoned,
             "median_wait": sum(v.waits), "cost_per_transaction": v.transactions_with_cost,
             "response_rate": rating.answered, "coverage": min(v.transactions, rating.covered)}
    for name, base in bases.items():
        if base < threshold:
            assert getattr(shown, name) is None, name
    assert shown.published == (max(v.transactions, v.contacts_received) >= threshold)


def test_interval_type_is_the_scores_interval() -> None:
    stat = summarise_kpis(DAY, RATINGS, publication_threshold=10).coverage
    assert stat is not None and isinstance(stat.interval, Interval)
