"""Answer bands: which follow-up an answer gets, on every scale."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.battery.followups import DRIVER_LABELS, DRIVERS, FOLLOW_UP_QUESTIONS, Band, band_of
from federation.battery.scales import Scale
from federation.i18n.catalogs import gettext
from federation.ratings.citizen import follow_up_prompt

N, M, P = Band.NEGATIVE, Band.NEUTRAL, Band.POSITIVE
ORDER = {N: 0, M: 1, P: 2}


@pytest.mark.parametrize(("scale", "bands"), [
    (Scale.STARS_5, [N, N, M, P, P]),
    (Scale.LIKERT_5, [N, N, M, P, P]),
    (Scale.NPS_11, [N, N, N, N, N, N, N, M, M, P, P]),
    (Scale.FACES_4, [N, N, P, P]),
    (Scale.YES_NO, [N, P]),
])
def test_every_value_of_every_scale_has_its_band(scale: Scale, bands: list[Band]) -> None:
    assert [band_of(scale, v) for v in scale.values] == bands


def test_the_follow_up_questions_of_the_national_concept() -> None:
    assert {band: gettext("en", msgid) for band, msgid in FOLLOW_UP_QUESTIONS.items()} == {
        P: "Where did we succeed especially?", M: "What could be better?", N: "What should we improve?"}
    assert gettext("fi", FOLLOW_UP_QUESTIONS[P]) == "Missä onnistuimme erityisesti?"
    assert gettext("se", FOLLOW_UP_QUESTIONS[P]) == "Missä onnistuimme erityisesti?"  # no Sámi yet: Finnish
    assert tuple(DRIVER_LABELS) == DRIVERS


@given(st.sampled_from(list(Scale)), st.data())
def test_bands_never_go_down_as_the_answer_gets_better(scale: Scale, data: st.DataObject) -> None:
    low = data.draw(st.integers(scale.minimum, scale.maximum))
    high = data.draw(st.integers(low, scale.maximum))
    assert ORDER[band_of(scale, low)] <= ORDER[band_of(scale, high)]
    assert band_of(scale, scale.minimum) is N and band_of(scale, scale.maximum) is P


def test_a_value_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match=r"value 6 is not on the STARS_5 scale \(1–5\)"):
        band_of(Scale.STARS_5, 6)


FINITE_VERBS = {  # finite verbs and auxiliaries that would make a label a clause ("My matter got done")
    "fi": {"hoitui", "onnistui", "sujui", "toimi", "oli", "olivat", "on", "ovat", "auttoi", "löytyi", "ei"},
    "sv": {"blev", "var", "är", "gick", "fungerade", "hjälpte", "fick", "har", "hade", "kunde"},
    "en": {"got", "was", "were", "is", "are", "went", "did", "worked", "helped", "has", "had", "could"},
}


@pytest.mark.parametrize("code", DRIVERS)
def test_driver_labels_are_noun_phrases_that_fit_every_band(code: str) -> None:
    label = DRIVER_LABELS[code]
    for locale in ("fi", "sv", "en"):
        text = gettext(locale, label)
        words = set(re.findall(r"\w+", text.lower()))
        assert not words & FINITE_VERBS[locale], (code, locale, text)
        assert text[0].isupper() and text[-1] not in ".!?", (code, locale, text)
    offered = {band_of(Scale.STARS_5, v): follow_up_prompt(Scale.STARS_5, v) for v in Scale.STARS_5.values}
    assert set(offered) == set(Band)  # the same labels follow every band's question
    assert all((code, label) in prompt.drivers for prompt in offered.values())


def test_the_dashboard_names_drivers_as_the_widget_does() -> None:
    script = (Path(__file__).parents[3] / "schema/http/static/dashboard/i18n.js").read_text(encoding="utf-8")
    block = script[script.index("const DRIVER_NAMES = {"):]
    block = block[:block.index("};")]
    rows = dict(re.findall(r"^\s+(\w+): N_\((\".*\")\),$", block, re.M))
    assert {code: json.loads(value) for code, value in rows.items()} == DRIVER_LABELS  # the same msgids
