"""Precision and recall of the feedback themes on the labelled sample, per language.

The sample (tests/federation/feedback/labelled_feedback.tsv) holds short public-service feedback texts in Finnish,
Swedish and English, each with the theme keys a reader would give it. Every (text, theme) pair counts: a theme the
matcher finds and the label has is a true positive, one it finds without the label a false positive, one it misses
a false negative (micro-averaged). Finnish is measured with Voikko and with the Snowball fallback
(federation/feedback/language.py) when Voikko is installed. The held-out sample
(tests/federation/feedback/labelled_feedback_holdout.tsv) was written after the tuning and is the honest estimate.

    .venv/bin/python bench/themes_quality.py [--errors] [--speed]
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from pathlib import Path

from federation.feedback.language import SnowballNormaliser, finnish_analyser, theme_matcher
from federation.feedback.themes import ThemeMatcher

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "federation" / "feedback"
SAMPLE = SAMPLES / "labelled_feedback.tsv"
"""The sample the vocabulary was tuned on (189 texts)."""
HOLDOUT = SAMPLES / "labelled_feedback_holdout.tsv"
"""Texts written after the tuning and never used for it (75 texts): the honest estimate."""


@dataclass(frozen=True)
class Sample:
    language: str
    expected: frozenset[str]
    text: str


@dataclass(frozen=True)
class Quality:
    language: str
    texts: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0


def load_sample(path: Path = SAMPLE) -> list[Sample]:
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, keys, text = line.split("\t")
        expected = frozenset() if keys == "-" else frozenset(keys.split(","))
        samples.append(Sample(language, expected, text))
    return samples


def evaluate(matcher: ThemeMatcher, samples: list[Sample], language: str,
             errors: list[str] | None = None) -> Quality:
    tp = fp = fn = n = 0
    for sample in samples:
        if sample.language != language:
            continue
        n += 1
        found = matcher.match(sample.text, language).keys
        tp += len(found & sample.expected)
        fp += len(found - sample.expected)
        fn += len(sample.expected - found)
        if errors is not None and found != sample.expected:
            errors.append(f"{language}: {sample.text!r} expected {sorted(sample.expected)} found {sorted(found)}")
    return Quality(language, n, tp, fp, fn)


def fallback_matcher() -> ThemeMatcher:
    """The matcher a machine without Voikko has (Snowball's Finnish stemmer with head/tail matching)."""
    return ThemeMatcher({"fi": SnowballNormaliser("fi", "finnish", affixes=True)})


def table(title: str, matcher: ThemeMatcher, samples: list[Sample], errors: list[str]) -> None:
    analyser = finnish_analyser(matcher)
    rows = [(f"fi ({analyser})", evaluate(matcher, samples, "fi", errors))]
    rows += [(language, evaluate(matcher, samples, language, errors)) for language in ("sv", "en")]
    if analyser == "voikko":
        rows.append(("fi (snowball fallback)", evaluate(fallback_matcher(), samples, "fi")))
    print(f"{title}\n{'language':<24}{'texts':>6}{'precision':>11}{'recall':>8}")
    for name, q in rows:
        print(f"{name:<24}{q.texts:>6}{q.precision:>11.2f}{q.recall:>8.2f}")


def speed(matcher: ThemeMatcher, samples: list[Sample]) -> None:
    """Texts per second of the matcher: sample texts repeated (analyses cached) and texts of unseen words."""
    started = time.perf_counter()
    for i in range(6000):
        sample = samples[i % len(samples)]
        matcher.match(sample.text, sample.language)
    repeated = 6000 / (time.perf_counter() - started)
    rng = random.Random(7)
    letters = "aeiouyäöklmnprstvhj"
    texts = [" ".join("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(15))
             for _ in range(3000)]
    started = time.perf_counter()
    for i, text in enumerate(texts):
        matcher.match(text, ("fi", "sv", "en")[i % 3])
    unseen = 3000 / (time.perf_counter() - started)
    print(f"speed: {repeated:,.0f} texts/s (sample texts repeated), {unseen:,.0f} texts/s (15 unseen words each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every text whose themes differ from its label")
    parser.add_argument("--speed", action="store_true", help="also measure texts per second")
    args = parser.parse_args()
    matcher = theme_matcher()
    errors: list[str] = []
    table(f"tuning sample ({SAMPLE.name})", matcher, load_sample(SAMPLE), errors)
    table(f"\nheld-out sample ({HOLDOUT.name})", matcher, load_sample(HOLDOUT), errors)
    if args.speed:
        speed(matcher, load_sample(SAMPLE))
    if args.errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
