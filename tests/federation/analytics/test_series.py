"""Local-time bucketing of hour rows: calendar boundaries, DST days, labels, statistics per bucket."""

from __future__ import annotations

import datetime as dt

import pytest

from federation.analytics.series import (
    DayCounts,
    Granularity,
    HourCounts,
    buckets,
    daily_histograms,
    headline,
    hourly_series,
    local_start,
    offset_spans,
    series,
)
from federation.battery.scales import Scale
from federation.scores.stats import Histogram, summarise

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def hour(text: str, *values: int, skipped: int = 0) -> HourCounts:
    slots = [0] * 11
    for value in values:
        slots[value] += 1
    return HourCounts(at(text), tuple(slots), skipped)


def test_days_follow_helsinki_midnight_and_dst() -> None:
    # 2026-03-29 is the last Sunday of March: clocks go 03:00 → 04:00, so that local day has 23 hours.
    days = buckets(at("2026-03-28T00:00+02:00"), at("2026-03-31T00:00+03:00"), Granularity.DAY)
    assert [(b.label, b.start, b.end - b.start, b.partial) for b in days] == [
        ("2026-03-28", at("2026-03-27T22:00Z"), dt.timedelta(hours=24), False),
        ("2026-03-29", at("2026-03-28T22:00Z"), dt.timedelta(hours=23), False),
        ("2026-03-30", at("2026-03-29T21:00Z"), dt.timedelta(hours=24), False),
    ]


def test_weeks_start_on_monday_months_and_quarters_on_the_first() -> None:
    window = (at("2026-03-18T12:00+02:00"), at("2026-04-08T00:00+03:00"))
    weeks = buckets(*window, Granularity.WEEK)
    assert [b.label for b in weeks] == ["2026-W12", "2026-W13", "2026-W14", "2026-W15"]
    assert weeks[0].start == window[0] and weeks[0].partial  # clipped: the week began on Monday 16th
    assert weeks[1].start == at("2026-03-23T00:00+02:00") and not weeks[1].partial
    assert weeks[-1].end == window[1] and weeks[-1].partial
    months = buckets(*window, Granularity.MONTH)
    assert [(b.label, b.partial) for b in months] == [("2026-03", True), ("2026-04", True)]
    assert months[1].start == at("2026-04-01T00:00+03:00")
    quarters = buckets(at("2025-12-31T23:30+02:00"), at("2026-07-01T00:00+03:00"), Granularity.QUARTER)
    assert [(b.label, b.partial) for b in quarters] == [("2025-Q4", True), ("2026-Q1", False), ("2026-Q2", False)]


def test_hour_buckets_are_utc_hours_labelled_in_local_time() -> None:
    hours = buckets(at("2026-10-25T00:00Z"), at("2026-10-25T02:00Z"), Granularity.HOUR)
    # Clocks go back at 01:00 UTC: 03:00 local happens twice, the labels keep the offset apart.
    assert [b.label for b in hours] == ["2026-10-25T03:00+03:00", "2026-10-25T03:00+02:00"]
    assert local_start(at("2026-10-25T00:30Z"), Granularity.HOUR).astimezone(UTC) == at("2026-10-25T00:00Z")


def test_too_many_buckets_is_refused_with_advice() -> None:
    with pytest.raises(ValueError, match="more than 2000 hour buckets: choose a coarser granularity"):
        buckets(at("2026-01-01T00:00Z"), at("2026-06-01T00:00Z"), Granularity.HOUR)


def day(text: str, *values: int, skipped: int = 0) -> DayCounts:
    slots = [0] * 11
    for value in values:
        slots[value] += 1
    return DayCounts(dt.date.fromisoformat(text), tuple(slots), skipped)


def test_series_sums_local_days_into_buckets() -> None:
    rows = [day("2026-03-15", 5, 4), day("2026-03-16", 3, 1, skipped=2), day("2026-03-22", 5, 5),
            day("2026-03-23", 1)]
    points = series(rows, Scale.STARS_5, at("2026-03-15T00:00+02:00"), at("2026-03-24T00:00+02:00"),
                    Granularity.WEEK, publication_threshold=3)
    assert [(p.bucket.label, p.bucket.partial, p.histogram.counts, p.histogram.skipped) for p in points] == [
        ("2026-W11", True, (0, 0, 0, 1, 1), 0),
        ("2026-W12", False, (1, 0, 1, 0, 2), 2),
        ("2026-W13", True, (1, 0, 0, 0, 0), 0),
    ]
    assert (points[1].stats.count, points[1].stats.mean, points[1].stats.published) == (4, 3.5, True)
    assert points[1].stats.response_rate == 4 / 6
    assert (points[0].stats.published, points[2].stats.mean) == (False, 1.0)
    with pytest.raises(ValueError, match="use hourly_series"):
        series(rows, Scale.STARS_5, at("2026-03-15T00:00Z"), at("2026-03-16T00:00Z"), Granularity.HOUR,
               publication_threshold=3)


def test_hourly_series_keeps_hours() -> None:
    rows = [hour("2026-03-15T21:00Z", 5, 4), hour("2026-03-15T23:00Z", 3, skipped=1)]
    points = hourly_series(rows, Scale.STARS_5, at("2026-03-15T21:00Z"), at("2026-03-16T00:00Z"),
                           publication_threshold=2)
    assert [(p.bucket.label, p.stats.count, p.stats.skipped) for p in points] == [
        ("2026-03-15T23:00+02:00", 2, 0), ("2026-03-16T00:00+02:00", 0, 0), ("2026-03-16T01:00+02:00", 1, 1)]


def test_offset_spans_split_at_the_dst_instants() -> None:
    year = offset_spans(at("2026-01-01T00:00Z"), at("2027-01-01T00:00Z"))
    assert year == [(at("2026-01-01T00:00Z"), at("2026-03-29T01:00Z"), 7200),
                    (at("2026-03-29T01:00Z"), at("2026-10-25T01:00Z"), 10800),
                    (at("2026-10-25T01:00Z"), at("2027-01-01T00:00Z"), 7200)]
    assert offset_spans(at("2026-06-01T12:00Z"), at("2026-06-02T00:00Z")) == [
        (at("2026-06-01T12:00Z"), at("2026-06-02T00:00Z"), 10800)]


def test_headline_follows_the_scale() -> None:
    nps = summarise(Histogram.from_values(Scale.NPS_11, [10, 10, 0]))
    assert headline(nps)[0] == pytest.approx(100 / 3)
    yes = summarise(Histogram.from_values(Scale.YES_NO, [1, 1, 0, 1]))
    assert headline(yes)[0] == 0.75
    stars = summarise(Histogram.from_values(Scale.STARS_5, [1, 2]))
    assert headline(stars) == (1.5, stars.mean_interval)


def test_daily_histograms_fill_every_local_day() -> None:
    days = daily_histograms([day("2026-03-15", 5), day("2026-03-17", 2)], Scale.STARS_5,
                            at("2026-03-15T00:00+02:00"), at("2026-03-18T00:00+02:00"))
    assert [(d.isoformat(), h.count) for d, h in days] == [("2026-03-15", 1), ("2026-03-16", 0),
                                                           ("2026-03-17", 1)]
