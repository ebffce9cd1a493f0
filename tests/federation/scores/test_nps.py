"""NPS interpretation bands and NPS ranking (federation/scores/nps.py, federation/scores/ranking.py)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.analytics.comparison import national_prior, rank_peers
from federation.battery.scales import Scale
from federation.i18n.catalogs import gettext
from federation.scores.nps import NPS_BAND_LABELS, NpsBand, band_of_nps, nps_and_error, pooled_nps
from federation.scores.ranking import Metric, metric_of, rank
from federation.scores.stats import Histogram, summarise

STATIC = Path(__file__).parents[3] / "schema" / "http" / "static"


def nps(counts: dict[int, int]) -> Histogram:
    """An NPS_11 histogram from {value: count}."""
    return Histogram(Scale.NPS_11, [counts.get(v, 0) for v in range(11)])


@pytest.mark.parametrize(("value", "band"), [
    (-100, NpsBand.NEEDS_IMPROVEMENT), (-0.5, NpsBand.NEEDS_IMPROVEMENT), (0, NpsBand.GOOD), (30, NpsBand.GOOD),
    (30.1, NpsBand.GREAT), (70, NpsBand.GREAT), (70.1, NpsBand.EXCELLENT), (100, NpsBand.EXCELLENT)])
def test_the_bands_and_their_edges(value: float, band: NpsBand) -> None:
    assert band_of_nps(value) is band


def test_no_nps_has_no_band_and_a_value_off_the_range_is_refused() -> None:
    assert band_of_nps(None) is None
    for bad in (-100.5, 101.0, math.nan):
        with pytest.raises(ValueError, match="an NPS runs from -100 to 100"):
            band_of_nps(bad)


@given(st.floats(-100, 100), st.floats(-100, 100))
def test_a_higher_nps_never_reads_worse(a: float, b: float) -> None:
    order = list(NpsBand)
    low, high = sorted((a, b))
    assert order.index(band_of_nps(low)) <= order.index(band_of_nps(high))  # type: ignore[arg-type]


def _js_rows(path: Path) -> dict[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    names = "|".join(b.value for b in NpsBand)
    rows = re.findall(rf"^\s+({names}): N_\((\".*\")\),$", text, re.M)  # msgids of the gettext catalogs
    return {name: [gettext(locale, json.loads(msgid)) for locale in ("fi", "sv", "en")] for name, msgid in rows}


@pytest.mark.parametrize("script", ["arvio-widget.js", "dashboard/i18n.js"])
def test_the_widget_and_the_dashboard_name_the_bands_alike(script: str) -> None:
    assert _js_rows(STATIC / script) == {b.value: [w.fi, w.sv, w.en] for b, w in NPS_BAND_LABELS.items()}


def test_nps_and_its_error_agree_with_the_published_score() -> None:
    histogram = nps({10: 5, 9: 2, 8: 3, 5: 2, 0: 1})
    value, error = nps_and_error(histogram)
    stats = summarise(histogram, publication_threshold=1)
    assert stats.nps is not None and value == pytest.approx(stats.nps)
    assert error > 0
    assert pooled_nps([nps({10: 1}), nps({0: 1, 8: 2})]) == pytest.approx(0.0)
    assert pooled_nps([]) is None


def test_nps_questions_are_ranked_by_nps_not_by_the_mean() -> None:
    passives = nps({8: 100})             # mean 8.0, NPS 0
    split = nps({10: 70, 0: 30})         # mean 7.0, NPS +40
    assert metric_of(Scale.NPS_11) is Metric.NPS and metric_of(Scale.STARS_5) is Metric.MEAN
    by_mean = rank([("passives", passives), ("split", split)], prior_mean=7.5, prior_weight=0)
    assert [r.key for r in by_mean] == ["passives", "split"]
    prior = national_prior([passives, split], Metric.NPS)
    assert prior == pytest.approx(20.0)
    by_nps = rank([("passives", passives), ("split", split)], prior_mean=20.0, prior_weight=0, metric=Metric.NPS)
    assert [r.key for r in by_nps] == ["split", "passives"]
    assert by_nps[0].shrunk_mean == pytest.approx(40.0) and by_nps[1].shrunk_mean == pytest.approx(0.0)
    assert by_nps[0].interval.low > by_nps[1].interval.high  # far apart: ranks 1 and 2, not tied
    assert [r.rank for r in by_nps] == [1, 2]
    shrunk = rank([("split", split)], prior_mean=20.0, prior_weight=100, metric=Metric.NPS)[0]
    assert shrunk.shrunk_mean == pytest.approx(30.0)  # (100·40 + 100·20) / 200
    assert -100 <= shrunk.interval.low <= shrunk.shrunk_mean <= shrunk.interval.high <= 100


def test_peer_ranking_states_its_metric_and_refuses_nps_on_other_scales() -> None:
    ranking = rank_peers([("a", nps({10: 12})), ("b", nps({3: 12}))], prior_mean=0.0, prior_weight=5,
                         publication_threshold=10, metric=Metric.NPS)
    assert ranking.metric is Metric.NPS and [e.service_id for e in ranking.entries] == ["a", "b"]
    with pytest.raises(ValueError, match=r"Metric\.NPS ranks NPS_11 questions only"):
        rank([("s", Histogram(Scale.STARS_5, [1, 1, 1, 1, 1]))], prior_mean=3.0, prior_weight=1, metric=Metric.NPS)
    with pytest.raises(ValueError, match="prior NPS 120"):
        rank([("a", nps({10: 1}))], prior_mean=120.0, prior_weight=1, metric=Metric.NPS)
