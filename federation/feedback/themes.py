"""Themes of free texts: which seed themes a text mentions, and how often each theme occurs in a set of texts.

Pure (tests/test_layers.py): the language analysis comes in through :class:`Normaliser` — Voikko lemmas for
Finnish and Snowball stems for Swedish and English in ``federation/feedback/language.py`` — so matching and
counting are testable with hand-made normalisers.

Matching: a text is cut into words; each word is analysed into its *forms* (Finnish: every base form Voikko
offers plus the base forms of its compound parts; Swedish and English: the stem). A theme is mentioned when one of
its vocabulary terms (``federation/feedback/vocabulary.py``), normalised the same way, is among the forms, or a
phrase term's words follow each other. Where the analysis cannot split compounds (Swedish, and the Finnish
stemmer fallback) a term of at least :data:`MIN_AFFIX` letters also matches as the head of a longer form
("väntetiden" → "vänt…"), one of at least :data:`MIN_TAIL` letters as its tail ("…parkering").

Counting (:func:`summarise`): per theme the texts that mention it, its share of all texts, and its share of the
low-rated (NEGATIVE band) texts; an organisation's merges fold themes together first, so a text that mentions two
merged themes counts once. Frequent words outside every theme are *candidate* themes; only words that occur in at
least ``threshold`` distinct texts are listed, proper names are never listed (Voikko's classes; capitalised words
inside a sentence), so a rare word — a name, a street — does not surface from one person's text.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from federation.feedback.vocabulary import LANGUAGES, SEED_THEMES, STOPWORDS, SeedTheme

MIN_AFFIX = 4
"""Shortest vocabulary stem that matches as the head of a compound (shorter ones match too much)."""
MIN_TAIL = 5
"""Shortest vocabulary stem that matches as the tail of a compound: Swedish has many words ending in common short
stems ("parkering" ends in "ring")."""
MIN_CANDIDATE = 3
"""Shortest word proposed as a candidate theme."""
_WORD_CACHE = 100_000
"""Words whose analysis and themes a matcher remembers (per language and spelling)."""
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_END = frozenset(".!?:;\n")


@dataclass(frozen=True)
class WordAnalysis:
    """What a normaliser makes of one word: the forms themes match on, and the word's candidate lemma (None for
    function words and proper names)."""

    forms: frozenset[str]
    candidate: str | None


class Normaliser(Protocol):
    """One language's analysis of words (see ``federation/feedback/language.py``)."""

    language: str
    affixes: bool
    """Whether vocabulary stems also match as heads or tails of longer forms (no compound analysis)."""

    def analyse(self, word: str) -> WordAnalysis:
        """The forms of ``word`` as written in a text (case kept, so proper names can be told)."""
        ...

    def canonical(self, term: str) -> str:
        """The form a vocabulary word is matched by (lower case)."""
        ...


class Token(NamedTuple):
    """A word of a text and whether it starts a sentence (a tuple: texts have many words)."""

    word: str
    initial: bool


def tokenise(text: str) -> list[Token]:
    """The words of ``text``; a hyphenated word gives its parts and then the parts joined ("e-tjänst")."""
    tokens: list[Token] = []
    previous_end = -1
    for match in _WORD.finditer(text):
        initial = previous_end < 0 or not _SENTENCE_END.isdisjoint(text[previous_end:match.start()])
        previous_end = match.end()
        word = match.group()
        if "-" not in word:
            tokens.append(Token(word, initial))
            continue
        parts = word.split("-")
        tokens.extend(Token(part, initial and i == 0) for i, part in enumerate(parts))
        tokens.append(Token("".join(parts), initial))
    return tokens


@dataclass(frozen=True)
class ThemedText:
    """The themes a text mentions, whether its answer was low (NEGATIVE band), its candidate words."""

    keys: frozenset[str]
    low: bool = False
    candidates: frozenset[str] = frozenset()


class ThemeMatcher:
    """Finds the seed themes of texts with one normaliser per language."""

    def __init__(self, normalisers: Mapping[str, Normaliser], themes: Sequence[SeedTheme] = SEED_THEMES) -> None:
        self._normalisers = dict(normalisers)
        self._words: dict[str, dict[str, set[str]]] = {}
        self._phrases: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {}
        for language, normaliser in self._normalisers.items():
            words: dict[str, set[str]] = {}
            phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
            for theme in themes:
                for term in theme.terms.get(language, ()):
                    forms = tuple(normaliser.canonical(w.casefold()) for w in term.split())
                    if len(forms) == 1:
                        words.setdefault(forms[0], set()).add(theme.key)
                    else:
                        phrases.setdefault(forms[0], []).append((forms, theme.key))
            self._words[language], self._phrases[language] = words, phrases
        self._word = functools.lru_cache(maxsize=_WORD_CACHE)(self._word_uncached)

    def normaliser(self, language: str) -> Normaliser | None:
        """The normaliser of ``language``, if analysed."""
        return self._normalisers.get(language)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this matcher analyses."""
        return tuple(self._normalisers)

    def match(self, text: str, locale: str | None, *, low: bool = False) -> ThemedText:
        """The themes of ``text`` in ``locale`` (every language when the locale is unknown; candidates then none)."""
        tokens = tokenise(text)
        if locale in self._normalisers:
            keys, candidates = self._match_language(tokens, locale)
            return ThemedText(keys, low, candidates)
        found: set[str] = set()
        for language in self._normalisers:
            found |= self._match_language(tokens, language)[0]
        return ThemedText(frozenset(found), low)

    def _match_language(self, tokens: list[Token], language: str) -> tuple[frozenset[str], frozenset[str]]:
        keys: set[str] = set()
        candidates: set[str] = set()
        per_token: list[frozenset[str]] = []
        for token in tokens:
            forms, hits, candidate = self._word(language, token.word)
            per_token.append(forms)
            keys |= hits
            if candidate and not (token.word[:1].isupper() and not token.initial):  # a name inside a sentence
                candidates.add(candidate)
        keys |= _phrase_hits(per_token, self._phrases[language])
        return frozenset(keys), frozenset(candidates)

    def _word_uncached(self, language: str, word: str) -> tuple[frozenset[str], frozenset[str], str | None]:
        """A word's forms, the themes it marks alone, and its candidate lemma (None if themed or a stopword)."""
        normaliser = self._normalisers[language]
        analysis = normaliser.analyse(word)
        hits = frozenset(self._hits(analysis.forms, self._words[language], normaliser.affixes))
        candidate = analysis.candidate
        if hits or not candidate or len(candidate) < MIN_CANDIDATE or candidate in STOPWORDS.get(language, ()):
            candidate = None
        return analysis.forms, hits, candidate

    @staticmethod
    def _hits(forms: frozenset[str], words: dict[str, set[str]], affixes: bool) -> set[str]:
        hits: set[str] = set()
        for form in forms:
            hits.update(words.get(form, ()))
            if affixes and len(form) > MIN_AFFIX:
                for size in range(MIN_AFFIX, len(form)):
                    hits.update(words.get(form[:size], ()))
                    if size >= MIN_TAIL:
                        hits.update(words.get(form[-size:], ()))
        return hits


def _phrase_hits(per_token: list[frozenset[str]],
                 phrases: dict[str, list[tuple[tuple[str, ...], str]]]) -> set[str]:
    """Keys of the phrase terms (indexed by their first form) whose forms follow each other in the text."""
    hits: set[str] = set()
    for start, forms in enumerate(per_token):
        for form in forms:
            for phrase, key in phrases.get(form, ()):
                end = start + len(phrase)
                if end <= len(per_token) and all(phrase[i] in per_token[start + i] for i in range(1, len(phrase))):
                    hits.add(key)
    return hits


@dataclass(frozen=True)
class ThemeCount:
    """One theme over a set of texts. Shares are None when their denominator is 0."""

    key: str
    count: int
    low_count: int
    share: float | None
    low_share: float | None
    published: bool
    """Whether ``count`` reaches the publication threshold (smaller counts are shown to the owner only, flagged)."""


@dataclass(frozen=True)
class ThemeSummary:
    """The themes of a set of texts, most mentioned first, and the candidate words."""

    texts: int
    low_texts: int
    published: bool
    themes: tuple[ThemeCount, ...]
    candidates: tuple[tuple[str, int], ...]


def fold(keys: Iterable[str], merged: Mapping[str, str]) -> frozenset[str]:
    """``keys`` with each merged theme replaced by the theme it was merged into."""
    return frozenset(merged.get(key, key) for key in keys)


def summarise(texts: Iterable[ThemedText], *, merged: Mapping[str, str], threshold: int,
              candidate_limit: int = 20, theme_keys: Sequence[str] | None = None) -> ThemeSummary:
    """Counts and shares per theme (merges applied), and the candidate words of at least ``threshold`` texts."""
    order = [k for k in (theme_keys or [t.key for t in SEED_THEMES]) if k not in merged]
    counts: Counter[str] = Counter()
    lows: Counter[str] = Counter()
    words: Counter[str] = Counter()
    total = low_total = 0
    for text in texts:
        total += 1
        low_total += text.low
        keys = fold(text.keys, merged)
        counts.update(keys)
        if text.low:
            lows.update(keys)
        words.update(text.candidates)
    themes = [ThemeCount(key, counts[key], lows[key], _share(counts[key], total), _share(lows[key], low_total),
                         counts[key] >= threshold) for key in order]
    themes.sort(key=lambda t: -t.count)
    candidates = tuple((w, n) for w, n in sorted(words.items(), key=lambda i: (-i[1], i[0]))
                       if n >= threshold)[:candidate_limit]
    return ThemeSummary(total, low_total, total >= threshold, tuple(themes), candidates)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def seed_theme(key: str) -> SeedTheme | None:
    """The seed theme called ``key``, if any."""
    return next((t for t in SEED_THEMES if t.key == key), None)


def label_of(key: str, locale: str, own: Mapping[str, str]) -> str:
    """The label shown for theme ``key``: the organisation's own label, else the seed label in ``locale``."""
    if key in own:
        return own[key]
    theme = seed_theme(key)
    if theme is None:
        return key
    return theme.labels.get(locale) or theme.labels["fi"]


__all__ = ["LANGUAGES", "Normaliser", "ThemeMatcher", "ThemeSummary", "ThemedText", "WordAnalysis", "summarise"]
