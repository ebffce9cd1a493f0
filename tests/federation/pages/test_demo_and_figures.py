"""The demo's pages (federation/pages/demo.py) and page figures (federation/pages/scores.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from federation.db import Database
from federation.demo import install_demo_registry
from federation.pages.demo import DEMO_PAGES, install_demo_pages
from federation.pages.registration import list_pages
from federation.pages.scores import figure, page_counts, service_counts
from federation.scores.reading import Window
from federation.scores.stats import wilson_interval

NOW = dt.datetime(2026, 6, 1, 12, 30, tzinfo=dt.UTC)


def test_figure_withholds_the_share_below_the_threshold_and_uses_the_wilson_interval() -> None:
    hidden = figure(6, 3, publication_threshold=10)
    assert (hidden.answers, hidden.published, hidden.yes_share, hidden.interval) == (9, False, None, None)
    shown = figure(7, 3, publication_threshold=10)
    assert shown.published and shown.yes_share == pytest.approx(0.7)
    assert shown.interval == wilson_interval(7, 10)
    assert figure(0, 0, publication_threshold=1).answers == 0


def test_demo_pages_are_registered_with_a_season_of_counts(database: Database) -> None:
    with database.transaction() as session:
        install_demo_registry(session, now=NOW)
        install_demo_pages(session, now=NOW)
    with database.transaction(write=False) as session:
        pages = list_pages(session, "1000001-2")
        assert [p.url for p in pages] == [d.url for d in DEMO_PAGES]
        window = Window(NOW - dt.timedelta(days=365), NOW)
        counts = page_counts(session, [p.id for p in pages], window)
        library = figure(*counts[pages[0].id], publication_threshold=10)
        assert library.published and 0.7 < (library.yes_share or 0) < 0.9 and library.answers == 360
        assert set(service_counts(session, window)) == {pages[0].service_id}
