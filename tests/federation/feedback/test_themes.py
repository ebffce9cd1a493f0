"""Feedback themes: matching texts to the seed themes, merges, counts and candidate words (pure module)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.themes_quality import HOLDOUT, SAMPLE, evaluate, fallback_matcher, load_sample
from federation.feedback.language import (
    SnowballNormaliser,
    VoikkoNormaliser,
    finnish_analyser,
    finnish_normaliser,
    theme_matcher,
)
from federation.feedback.themes import ThemedText, ThemeMatcher, WordAnalysis, fold, label_of, summarise, tokenise
from federation.feedback.vocabulary import LANGUAGES, SEED_THEMES

QUALITY_FLOOR = 0.7
"""Loose on purpose: a deliberate change to the vocabulary or the analysis shows, noise does not fail."""


class LowerCase:
    """A stand-in analysis: the lower-cased word is its only form; capitalised words are no candidates."""

    language = "en"
    affixes = False

    def analyse(self, word: str) -> WordAnalysis:
        return WordAnalysis(frozenset({word.casefold()}), word.casefold())

    def canonical(self, term: str) -> str:
        return term


def test_every_seed_theme_has_labels_and_terms_in_every_language() -> None:
    assert len({t.key for t in SEED_THEMES}) == len(SEED_THEMES)
    for theme in SEED_THEMES:
        for language in LANGUAGES:
            assert theme.labels[language].strip()
            assert theme.terms[language]


def test_tokenise_splits_hyphenated_words_and_marks_sentence_starts() -> None:
    tokens = tokenise("E-tjänsten kraschade. Anna hjälpte 3 gånger!")
    assert [t.word for t in tokens] == ["E", "tjänsten", "Etjänsten", "kraschade", "Anna", "hjälpte", "gånger"]
    assert [t.initial for t in tokens] == [True, False, True, False, True, False, False]


def test_phrases_match_only_consecutive_words() -> None:
    matcher = ThemeMatcher({"en": LowerCase()})
    assert "opening_hours" in matcher.match("The opening hours are short", "en").keys
    assert "opening_hours" not in matcher.match("hours after opening", "en").keys


def test_candidates_leave_out_themed_words_stopwords_and_names_inside_sentences() -> None:
    matcher = ThemeMatcher({"en": LowerCase()})
    themed = matcher.match("Rude reply from Smith about the renovation.", "en")
    assert themed.keys == {"staff_courtesy"}
    assert themed.candidates == {"reply", "renovation"}


def test_unknown_locale_matches_every_language_without_candidates() -> None:
    themed = theme_matcher().match("Jonot olivat pitkiä och kön var lång", None)
    assert themed.keys == {"queueing"}
    assert themed.candidates == frozenset()


@pytest.mark.parametrize(("locale", "text", "theme"), [
    ("fi", "Jonotusajat venyivät kohtuuttomiksi.", "queueing"),
    ("fi", "Aukioloaikoja pitäisi pidentää.", "opening_hours"),
    ("fi", "Puhelinpalveluun ei päässyt läpi.", "phone_reachability"),
    ("sv", "Väntetiden var alldeles för lång.", "queueing"),
    ("sv", "Parkeringsplatserna räcker inte.", "parking_location"),
    ("en", "I queued for ages.", "queueing"),
    ("en", "Fees keep going up.", "costs_fees"),
])
def test_inflected_and_compound_words_find_their_theme(locale: str, text: str, theme: str) -> None:
    assert theme in theme_matcher().match(text, locale).keys


def test_swedish_tails_shorter_than_five_letters_do_not_match() -> None:
    assert "phone_reachability" not in theme_matcher().match("Parkeringen var full.", "sv").keys


def test_summarise_counts_shares_merges_and_flags_small_counts() -> None:
    texts = ([ThemedText(frozenset({"queueing", "phone_reachability"}), low=True)] * 4
             + [ThemedText(frozenset({"queueing"}))] * 8 + [ThemedText(frozenset())] * 8)
    summary = summarise(texts, merged={"phone_reachability": "queueing"}, threshold=10)
    assert (summary.texts, summary.low_texts, summary.published) == (20, 4, True)
    queueing = summary.themes[0]
    assert (queueing.key, queueing.count, queueing.low_count) == ("queueing", 12, 4)
    assert queueing.share == pytest.approx(0.6)
    assert queueing.low_share == pytest.approx(1.0)
    assert queueing.published
    assert "phone_reachability" not in {t.key for t in summary.themes}
    hours = next(t for t in summary.themes if t.key == "opening_hours")
    assert (hours.count, hours.share, hours.published) == (0, 0.0, False)


def test_summarise_without_low_texts_has_no_low_share() -> None:
    summary = summarise([ThemedText(frozenset({"queueing"}))], merged={}, threshold=10)
    assert summary.themes[0].low_share is None
    assert not summary.published


def test_candidates_need_the_threshold_of_distinct_texts() -> None:
    texts = ([ThemedText(frozenset(), candidates=frozenset({"remontti"}))] * 10
             + [ThemedText(frozenset(), candidates=frozenset({"virtanen"}))] * 9)
    assert summarise(texts, merged={}, threshold=10).candidates == (("remontti", 10),)


@given(st.lists(st.frozensets(st.sampled_from([t.key for t in SEED_THEMES])), max_size=40),
       st.dictionaries(st.sampled_from([t.key for t in SEED_THEMES]), st.just("queueing"), max_size=3))
def test_folded_counts_never_exceed_the_texts(keys: list[frozenset[str]], merged: dict[str, str]) -> None:
    merged.pop("queueing", None)
    summary = summarise([ThemedText(k) for k in keys], merged=merged, threshold=1)
    for theme in summary.themes:
        assert 0 <= theme.count <= summary.texts
        assert theme.count == sum(1 for k in keys if theme.key in fold(k, merged))


def test_labels_prefer_the_organisations_own() -> None:
    assert label_of("queueing", "sv", {}) == "Köer och väntan"
    assert label_of("queueing", "sv", {"queueing": "Asiakasjonot"}) == "Asiakasjonot"


def test_voikko_is_used_when_ci_requires_it() -> None:
    if os.environ.get("ARVIO_TEST_REQUIRE_VOIKKO") == "1":
        assert finnish_analyser(theme_matcher(require_voikko=True)) == "voikko"
    else:
        assert finnish_analyser(theme_matcher()) in {"voikko", "snowball"}


@pytest.mark.parametrize("path", [SAMPLE, HOLDOUT], ids=["tuning", "held-out"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_quality_on_the_labelled_samples(language: str, path: Path) -> None:
    quality = evaluate(theme_matcher(), load_sample(path), language)
    assert quality.texts >= 25
    assert quality.precision >= QUALITY_FLOOR
    assert quality.recall >= QUALITY_FLOOR


def test_the_samples_are_large_enough_and_well_formed() -> None:
    tuning, held_out = load_sample(SAMPLE), load_sample(HOLDOUT)
    assert len(tuning) >= 150 and len(held_out) >= 75
    keys = {t.key for t in SEED_THEMES}
    assert all(s.language in LANGUAGES and s.expected <= keys and s.text for s in tuning + held_out)
    assert not {s.text for s in tuning} & {s.text for s in held_out}


@pytest.mark.parametrize("path", [SAMPLE, HOLDOUT], ids=["tuning", "held-out"])
def test_the_finnish_fallback_stays_usable(path: Path) -> None:
    quality = evaluate(fallback_matcher(), load_sample(path), "fi")
    assert quality.precision >= QUALITY_FLOOR
    assert quality.recall >= QUALITY_FLOOR


def test_without_voikko_finnish_falls_back_or_fails_loudly_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "libvoikko", None)  # import libvoikko now raises ImportError
    with pytest.raises(RuntimeError, match="libvoikko1 and voikko-fi"):
        finnish_normaliser(require_voikko=True)
    fallback = finnish_normaliser(require_voikko=False)
    assert isinstance(fallback, SnowballNormaliser) and fallback.affixes
    matcher = ThemeMatcher({"fi": fallback})
    assert finnish_analyser(matcher) == "snowball"
    assert "queueing" in matcher.match("Jonotusajat olivat pitkiä.", "fi").keys


def test_voikko_gives_base_forms_of_compound_parts_and_no_names_as_candidates() -> None:
    normaliser = theme_matcher(require_voikko=os.environ.get("ARVIO_TEST_REQUIRE_VOIKKO") == "1").normaliser("fi")
    if not isinstance(normaliser, VoikkoNormaliser):
        pytest.skip("Voikko is not installed (apt-get install libvoikko1 voikko-fi); CI requires it")
    analysis = normaliser.analyse("jonotusajat")
    assert {"jonotusaika", "jonottaa", "aika"} <= analysis.forms
    assert analysis.candidate == "jonotusaika"
    assert normaliser.analyse("Virtanen").candidate is None  # a surname
    assert normaliser.analyse("mutta").candidate is None  # a conjunction
    assert normaliser.canonical("puhelin") == "puhelin"  # the noun, not a form of the verb puhella


def test_no_normalised_term_marks_two_themes() -> None:
    matcher = theme_matcher()
    for language in LANGUAGES:
        normaliser = matcher.normaliser(language)
        assert normaliser is not None
        owners: dict[str, set[str]] = {}
        for theme in SEED_THEMES:
            for term in theme.terms[language]:
                owners.setdefault(normaliser.canonical(term.casefold()), set()).add(theme.key)
        assert {form: keys for form, keys in owners.items() if len(keys) > 1} == {}, language
