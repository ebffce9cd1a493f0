"""The weekday × hour heatmap: local cells, occurrences, averages and the peak, by hand."""

from __future__ import annotations

import datetime as dt

from federation.analytics.heatmap import cells_of_hours, heatmap, occurrences, peak
from federation.analytics.series import HourCounts
from federation.battery.scales import Scale


def row(text: str, values: dict[int, int], skipped: int = 0) -> HourCounts:
    slots = [0] * 11
    for value, count in values.items():
        slots[value] = count
    return HourCounts(dt.datetime.fromisoformat(text), tuple(slots), skipped)


START = dt.datetime(2026, 3, 1, 22, tzinfo=dt.UTC)  # Monday 2 March 00:00 local (+02:00)


def test_cells_are_local_weekday_and_hour() -> None:
    rows = [
        row("2026-03-02T06:00Z", {5: 3, 4: 1}),           # Monday 08:00 local
        row("2026-03-09T06:00Z", {5: 1, 3: 1}, skipped=2),  # the next Monday 08:00
        row("2026-03-03T12:00Z", {2: 1}),                 # Tuesday 14:00
        row("2026-03-20T12:00Z", {1: 9}),                 # outside the window: left out
    ]
    end = START + dt.timedelta(days=14)
    cells = heatmap(cells_of_hours(r for r in rows if START <= r.hour < end), Scale.STARS_5, START, end,
                    publication_threshold=5)
    assert len(cells) == 168 and (cells[0].weekday, cells[0].hour) == (1, 0)
    monday8 = next(c for c in cells if (c.weekday, c.hour) == (1, 8))
    assert (monday8.count, monday8.exposures, monday8.occurrences) == (6, 8, 2)
    assert monday8.average_count == 3.0
    assert monday8.stats.mean == (5 * 4 + 4 + 3) / 6 and monday8.stats.published
    tuesday14 = next(c for c in cells if (c.weekday, c.hour) == (2, 14))
    assert (tuesday14.count, tuesday14.stats.mean, tuesday14.stats.published) == (1, 2.0, False)
    assert sum(c.count for c in cells) == 7
    top = peak(cells)
    assert top is not None and (top.weekday, top.hour) == (1, 8)


def test_occurrences_count_local_hours_across_dst() -> None:
    # The week of 23–30 March 2026 holds the spring-forward night: Sunday 03:00 local does not exist.
    start = dt.datetime(2026, 3, 22, 22, tzinfo=dt.UTC)  # Monday 23 March 00:00 (+02:00)
    end = dt.datetime(2026, 3, 29, 21, tzinfo=dt.UTC)    # Monday 30 March 00:00 (+03:00)
    seen = occurrences(start, end)
    assert seen[(7, 3)] == 0 and seen[(7, 4)] == 1 and seen[(1, 0)] == 1
    assert sum(seen.values()) == 167
    # Starting and ending mid-day: only the whole hours inside count.
    part = occurrences(dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC), dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    assert {k for k, v in part.items() if v} == {(1, 9), (1, 10)} and sum(part.values()) == 2
    # The autumn night repeats 03:00 local: one occurrence of Sunday 3–4 on that date.
    autumn = occurrences(dt.datetime(2026, 10, 24, 21, tzinfo=dt.UTC), dt.datetime(2026, 10, 25, 22, tzinfo=dt.UTC))
    assert autumn[(7, 3)] == 1 and sum(autumn.values()) == 24


def test_no_answers_no_peak() -> None:
    assert peak(heatmap([], Scale.STARS_5, START, START + dt.timedelta(days=1), publication_threshold=10)) is None
