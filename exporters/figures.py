"""Figures as every format writes them: rounding, timestamps, the source header and one score's metrics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from exporters.publications import ExportDataset, Names, QuestionText, Source
from federation.publication.reading import PublishedScore
from federation.scores.nps import band_of_nps
from federation.scores.stats import Interval

FORMAT_VERSION = 1
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A figure rounded for publication (4 decimals: stable output, no false precision)."""
    return None if value is None else round(value, digits)


def iso(moment: dt.datetime) -> str:
    """``2026-01-01T00:00:00Z``: UTC, seconds, the form Table Schema's datetime expects."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stars(score: PublishedScore) -> float | None:
    """The score on a 1–5 star scale (other scales mapped linearly), rounded to 0.1, as publicScore shows."""
    normalised = score.stats.normalised
    return None if normalised is None else round(1 + 4 * normalised, 1)


def source_header(source: Source) -> dict[str, Any]:
    """Which figures these are: publication number (or live), period, threshold, as-of time."""
    return {"kind": source.kind, "publication": source.number, "replaces": source.replaces,
            "period": source.period, "from": iso(source.start), "to": iso(source.end),
            "asOf": iso(source.as_of), "publicationThreshold": source.publication_threshold}


def names(value: Names) -> dict[str, str | None]:
    """fi/sv/en names."""
    return value.as_dict()


def question_of(dataset: ExportDataset, score: PublishedScore) -> QuestionText | None:
    """The wording a score was collected under."""
    return dataset.questions.get((score.key.question_id, score.key.wording_version))


def _interval(interval: Interval | None) -> dict[str, float | None] | None:
    return None if interval is None else {"low": rounded(interval.low), "high": rounded(interval.high)}


def _nps_band(nps: float | None) -> str | None:
    """The NPS's interpretation band (federation/scores/nps.py), or None for other scales."""
    band = band_of_nps(nps)
    return None if band is None else band.value


def score_metrics(score: PublishedScore) -> dict[str, Any]:
    """Every published metric of one cell (the keys of the PTV-keyed JSON)."""
    s = score.stats
    return {
        "questionId": score.key.question_id, "wordingVersion": score.key.wording_version,
        "scale": s.scale.value, "count": s.count, "skipped": s.skipped, "responseRate": rounded(s.response_rate),
        "mean": rounded(s.mean), "meanInterval": _interval(s.mean_interval), "stars": stars(score),
        "normalised": rounded(s.normalised), "topTwoBox": rounded(s.top_two_box),
        "topTwoBoxInterval": _interval(s.top_two_box_interval), "nps": rounded(s.nps),
        "npsInterval": _interval(s.nps_interval), "npsBand": _nps_band(s.nps), "yesShare": rounded(s.yes_share),
        "yesShareInterval": _interval(s.yes_share_interval),
        "distribution": [{"value": v, "count": c} for v, c in s.distribution],
    }
