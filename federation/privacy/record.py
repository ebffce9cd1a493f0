"""The record of processing (GDPR Art. 30 and the transparency notice of Art. 13), in Finnish, Swedish and English.

The text lives beside the code that implements it, in ``record_of_processing.json``: whoever changes what is
collected, why or for how long changes the record in the same commit. Figures that are configuration (retention
days, publication threshold) are filled in from the settings, so the notice always states what the running
service enforces.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from federation.privacy.retention import PSEUDONYM_GRACE_DAYS

LOCALES = ("fi", "sv", "en")


@dataclass(frozen=True)
class ProcessingSection:
    """One heading of the record (controller, purposes, legal basis, data, recipients, retention, rights…)."""

    id: str
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class RecordOfProcessing:
    """The record in one language. Every language has the same sections, in the same order."""

    locale: str
    title: str
    summary: str
    updated: str
    sections: tuple[ProcessingSection, ...]


@functools.cache
def _data() -> dict[str, Any]:
    text = (resources.files("federation.privacy") / "record_of_processing.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def record_of_processing(locale: str, *, retention_days: int, publication_threshold: int) -> RecordOfProcessing:
    """The record in ``locale`` (fi, sv or en), with the configured retention and publication threshold.

    ``ValueError`` for another locale.
    """
    if locale not in LOCALES:
        raise ValueError(f"the record of processing is available in {', '.join(LOCALES)}, not {locale!r}.")
    figures = {"retention_days": retention_days, "pseudonym_days": PSEUDONYM_GRACE_DAYS,
               "publication_threshold": publication_threshold}
    data = _data()
    text = data["locales"][locale]
    sections = tuple(
        ProcessingSection(s["id"], s["heading"], tuple(item.format_map(figures) for item in s["items"]))
        for s in text["sections"]
    )
    return RecordOfProcessing(locale, text["title"], text["summary"], data["updated"], sections)
