"""The language analysis behind feedback themes: Voikko lemmas for Finnish, Snowball stems for Swedish and English.

Finnish words are analysed by Voikko (Debian ``libvoikko1`` + ``voikko-fi``, Python binding ``libvoikko`` from
PyPI): every base form it offers and the base forms of the word's compound parts ("jonotusajat" → jonotusaika,
jonottaa, aika), with its word class deciding whether the word may be proposed as a candidate theme (nouns, verbs,
adjectives yes; proper names, pronouns, conjunctions and adverbs never). Swedish and English words are stemmed with
Snowball (``PyStemmer``) and compounds matched by head or tail (``federation/feedback/themes.py``).

Without Voikko (a developer machine without the Debian packages) Finnish falls back to Snowball's Finnish stemmer,
a documented suffix stripper (snowballstem.org/algorithms/finnish/stemmer.html), with head/tail matching in place of
compound analysis; the README gives its lower precision and recall. ``require_voikko=True`` (CI sets
``ARVIO_TEST_REQUIRE_VOIKKO=1``) makes a missing Voikko an error instead.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from typing import Any

import Stemmer

from federation.feedback.themes import Normaliser, ThemeMatcher, WordAnalysis

log = logging.getLogger(__name__)

_CONTENT_CLASSES = frozenset({"nimisana", "teonsana", "laatusana", "nimisana_laatusana"})
"""Voikko's word classes of nouns, verbs and adjectives: the only words proposed as candidate themes."""
_PART = re.compile(r"\(([^)+][^)]*)\)")
_CACHE = 65536


class SnowballNormaliser:
    """Snowball stems of one language; a candidate theme is the word as written, lower-cased (stems read badly)."""

    def __init__(self, language: str, algorithm: str, *, affixes: bool) -> None:
        self.language = language
        self.affixes = affixes
        self._stemmer = Stemmer.Stemmer(algorithm)
        self._lock = threading.Lock()
        self._analyse = functools.lru_cache(maxsize=_CACHE)(self._analyse_uncached)

    def analyse(self, word: str) -> WordAnalysis:
        """The stem of ``word``."""
        return self._analyse(word)

    def _analyse_uncached(self, word: str) -> WordAnalysis:
        lower = word.casefold()
        return WordAnalysis(frozenset({self.canonical(lower)}), lower)

    def canonical(self, term: str) -> str:
        """The stem of a vocabulary word."""
        with self._lock:  # a Snowball stemmer object is not safe to share between threads
            return str(self._stemmer.stemWord(term))


class VoikkoNormaliser:
    """Voikko's base forms of Finnish words, compound parts included."""

    language = "fi"
    affixes = False

    def __init__(self, voikko: Any) -> None:
        self._voikko = voikko
        self._lock = threading.Lock()
        self._analyse = functools.lru_cache(maxsize=_CACHE)(self._analyse_uncached)

    def analyse(self, word: str) -> WordAnalysis:
        """Every base form of ``word`` and of its compound parts; the first analysis decides the candidate."""
        return self._analyse(word)

    def _analyse_uncached(self, word: str) -> WordAnalysis:
        with self._lock:  # libvoikko's handle is not thread-safe
            analyses = self._voikko.analyze(word)
        if not analyses:
            return WordAnalysis(frozenset({word.casefold()}), None)
        forms: set[str] = set()
        for analysis in analyses:
            forms.add(str(analysis.get("BASEFORM", word)).casefold())
            forms.update(p.replace("=", "").casefold() for p in _PART.findall(str(analysis.get("WORDBASES", ""))))
        first = analyses[0]
        content = first.get("CLASS") in _CONTENT_CLASSES
        return WordAnalysis(frozenset(forms), str(first.get("BASEFORM", word)).casefold() if content else None)

    def canonical(self, term: str) -> str:
        """The base form of a vocabulary word: the word itself when it is one of its base forms (the vocabulary is
        written in base forms: "puhelin" is the noun, not a form of the verb "puhella"), else the first one."""
        with self._lock:
            analyses = self._voikko.analyze(term)
        bases = [str(a.get("BASEFORM", term)).casefold() for a in analyses]
        return term if term in bases or not bases else bases[0]


def finnish_normaliser(*, require_voikko: bool) -> Normaliser:
    """Voikko when it is installed; else the Snowball fallback, or an error when ``require_voikko``."""
    try:
        import libvoikko  # noqa: PLC0415 - optional at import time: the fallback must work without it

        return VoikkoNormaliser(libvoikko.Voikko("fi"))
    except Exception as exc:  # ImportError, OSError (no libvoikko.so), libvoikko's VoikkoException (no dictionary)
        if require_voikko:
            raise RuntimeError("Voikko is required for Finnish themes but is not usable: install the Debian "
                               "packages libvoikko1 and voikko-fi and the PyPI package libvoikko "
                               f"({type(exc).__name__}).") from exc
        log.warning("feedback themes: Voikko not available (%s); Finnish falls back to the Snowball stemmer",
                    type(exc).__name__)
        return SnowballNormaliser("fi", "finnish", affixes=True)


@functools.lru_cache(maxsize=2)
def theme_matcher(*, require_voikko: bool = False) -> ThemeMatcher:
    """The process's matcher of the seed themes in fi, sv and en (built once: Voikko loads its dictionary)."""
    return ThemeMatcher({
        "fi": finnish_normaliser(require_voikko=require_voikko),
        "sv": SnowballNormaliser("sv", "swedish", affixes=True),
        "en": SnowballNormaliser("en", "english", affixes=False),
    })


def finnish_analyser(matcher: ThemeMatcher) -> str:
    """``voikko`` or ``snowball``: which analysis ``matcher`` uses for Finnish."""
    return "voikko" if isinstance(matcher.normaliser("fi"), VoikkoNormaliser) else "snowball"
