"""Precision and recall of the feedback themes on the labelled sample, per language.

The sample (tests/federation/feedback/labelled_feedback.tsv) holds short public-service feedback texts in Finnish,
Swedish and English, each with the theme keys a reader would give it. Every (text, theme) pair counts: a theme the
matcher finds and the label has is a true positive, one it finds without the label a false positive, one it misses
a false negative (micro-averaged). Finnish is measured with Voikko and with the Snowball fallback
(federation/feedback/language.py) when Voikko is installed.

    .venv/bin/python bench/themes_quality.py [--errors]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from federation.feedback.language import SnowballNormaliser, finnish_analyser, theme_matcher
from federation.feedback.themes import ThemeMatcher

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "federation" / "feedback" / "labelled_feedback.tsv"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every text whose themes differ from its label")
    args = parser.parse_args()
    samples = load_sample()
    matcher = theme_matcher()
    errors: list[str] = []
    rows = [(f"{q}", evaluate(matcher, samples, q, errors)) for q in ("fi", "sv", "en")]
    rows[0] = (f"fi ({finnish_analyser(matcher)})", rows[0][1])
    if finnish_analyser(matcher) == "voikko":
        rows.append(("fi (snowball fallback)", evaluate(fallback_matcher(), samples, "fi")))
    print(f"{'language':<24}{'texts':>6}{'precision':>11}{'recall':>8}")
    for name, q in rows:
        print(f"{name:<24}{q.texts:>6}{q.precision:>11.2f}{q.recall:>8.2f}")
    if args.errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
