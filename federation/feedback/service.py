"""Feedback themes of an organisation's free texts, and its own names and merges of the themes.

Where themes are found: when the organisation reads them. :func:`read_theme_summary` opens the organisation's
sealed free texts of a window (``federation/privacy/free_text.py`` binds each to its organisation and service),
finds the seed themes of each (``federation/feedback/themes.py``) and keeps only counts. Nothing derived from a
text is stored. Storing theme keys per rating at ingest would have been allowed — keys come from the fixed seed
vocabulary (``federation/feedback/vocabulary.py``), carry nothing a citizen typed and are not personal data — and
would let an inbox filter without decrypting; it was not chosen, for three reasons: the themes
of a text disappear with it (retention purges the text, a destroyed master key makes it unreadable) without a
second place to clean; an improved vocabulary or analysis applies to every past text at once, with no backfill;
and ingest, the hot path, gains no language analysis. The cost is that a read decrypts and analyses the window's
texts, at most :data:`MAX_THEMED_TEXTS` of them (about 3 s of CPU at the ceiling: bench/themes_read.py),
and the read is audited like ``freeTexts``, counts only.

Organisations rename a seed theme (their own label, shown in every language) and merge one theme into another (its
texts count under the other, once per text); both are stored per organisation in ``feedback_theme_setting``, with
codes for every refusal and an audit event that holds keys, never the label typed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.battery.followups import Band, band_of
from federation.errors import DomainError, FeedbackCode
from federation.feedback.models import FeedbackThemeSetting
from federation.feedback.themes import ThemeMatcher, ThemeSummary, seed_theme, summarise
from federation.feedback.vocabulary import SEED_THEMES
from federation.locks import serialise
from federation.privacy.protector import free_text_aad
from federation.publication.reading import question_scales
from federation.ratings.models import Rating
from pseudonymize.keys import KeyRing
from pseudonymize.scrub import scrub
from pseudonymize.seal import SealError, open_sealed

MAX_THEMED_TEXTS = 20_000
"""Most free texts one theme read decrypts and analyses; a larger window is refused with TOO_MANY_TEXTS."""
MAX_LABEL = 80
"""Longest own label of a theme (characters)."""


@dataclass(frozen=True)
class OwnThemes:
    """An organisation's own labels (by theme key) and merges (theme key → the key it was merged into)."""

    labels: dict[str, str]
    merged: dict[str, str]


def own_themes(session: Session, organisation_id: str) -> OwnThemes:
    """The labels and merges ``organisation_id`` has set."""
    rows = session.scalars(select(FeedbackThemeSetting)
                           .where(FeedbackThemeSetting.organisation_id == organisation_id)).all()
    return OwnThemes({r.theme_key: r.label for r in rows if r.label is not None},
                     {r.theme_key: r.merged_into for r in rows if r.merged_into is not None})


@dataclass(frozen=True)
class ThemeRead:
    """A theme summary and how many texts were decrypted for it (for the audit)."""

    summary: ThemeSummary
    texts_read: int


def read_theme_summary(session: Session, organisation_id: str, ring: KeyRing, matcher: ThemeMatcher, *,
                       start: dt.datetime, end: dt.datetime, threshold: int, service_id: str | None = None,
                       band: Band | None = None) -> ThemeRead:
    """The themes of the organisation's free texts answered in [start, end) (of one service, of one band)."""
    rows = _sealed_rows(session, organisation_id, start=start, end=end, service_id=service_id)
    texts = list(_opened(rows, organisation_id, ring))
    scales = question_scales(session)
    themed = []
    for question_id, value, locale, text in texts:
        scale = scales.get(question_id)
        answer_band = band_of(scale, value) if scale is not None and value is not None and scale.contains(value) \
            else None
        if band is None or answer_band is band:
            language = locale[:2].lower() if locale else None
            themed.append(matcher.match(text, language, low=answer_band is Band.NEGATIVE))
    merged = own_themes(session, organisation_id).merged
    return ThemeRead(summarise(themed, merged=merged, threshold=threshold), len(texts))


_Row = tuple[str, str, int | None, str | None, bytes]


def _sealed_rows(session: Session, organisation_id: str, *, start: dt.datetime, end: dt.datetime,
                 service_id: str | None) -> list[_Row]:
    stmt = (select(Rating.service_id, Rating.question_id, Rating.value, Rating.locale, Rating.free_text)
            .where(Rating.organisation_id == organisation_id, Rating.free_text.is_not(None),
                   Rating.answered_at >= start, Rating.answered_at < end)
            .limit(MAX_THEMED_TEXTS + 1))
    if service_id is not None:
        stmt = stmt.where(Rating.service_id == service_id)
    rows = [(s, q, v, loc, blob) for s, q, v, loc, blob in session.execute(stmt) if blob is not None]
    if len(rows) > MAX_THEMED_TEXTS:
        raise DomainError(FeedbackCode.TOO_MANY_TEXTS, f"The window holds more than {MAX_THEMED_TEXTS} free texts; "
                                                       "shorten the period or choose one service.")
    return rows


def _opened(rows: list[_Row], organisation_id: str, ring: KeyRing) -> Iterator[tuple[str, int | None, str | None,
                                                                                      str]]:
    """(question, value, locale, text) of each row whose text still opens (a destroyed key leaves it out)."""
    for service_id, question_id, value, locale, blob in rows:
        try:
            text = open_sealed(blob, ring, associated_data=free_text_aad(organisation_id, service_id))
        except SealError:
            continue
        yield question_id, value, locale, text


def known_theme(key: str, argument: str) -> str:
    """``key`` if it is a seed theme's key; else UNKNOWN_THEME naming ``argument``."""
    if seed_theme(key) is None:
        keys = ", ".join(t.key for t in SEED_THEMES)
        raise DomainError(FeedbackCode.UNKNOWN_THEME, f"{argument} must be one of the theme keys: {keys}.")
    return key


def _label(label: str) -> str:
    cleaned = label.strip()
    if not 1 <= len(cleaned) <= MAX_LABEL:
        raise DomainError(FeedbackCode.INVALID_THEME_LABEL, f"label must be 1-{MAX_LABEL} characters after "
                                                            "trimming spaces; to go back to the seed label, reset "
                                                            "the theme.")
    if any(unicodedata.category(c).startswith("C") for c in cleaned):
        raise DomainError(FeedbackCode.INVALID_THEME_LABEL, "label must not hold control or invisible characters; "
                                                            "write it as plain text on one line.")
    if scrub(cleaned).text != cleaned:
        raise DomainError(FeedbackCode.INVALID_THEME_LABEL, "label must not hold personal identifiers, phone "
                                                            "numbers, e-mail addresses or account numbers.")
    return cleaned


def _setting(session: Session, organisation_id: str, key: str) -> FeedbackThemeSetting | None:
    return session.get(FeedbackThemeSetting, (organisation_id, key))


def _put(session: Session, organisation_id: str, key: str, *, actor: str, now: dt.datetime,
         label: str | None = None, merged_into: str | None = None, keep_label: bool = True) -> None:
    row = _setting(session, organisation_id, key)
    if row is None:
        row = FeedbackThemeSetting(organisation_id=organisation_id, theme_key=key, label=None, merged_into=None)
        session.add(row)
    if label is not None or not keep_label:
        row.label = label
    row.merged_into = merged_into if merged_into is not None else row.merged_into
    row.updated_at, row.updated_by = now, actor


def rename_theme(session: Session, organisation_id: str, key: str, label: str, *, actor: str,
                 now: dt.datetime) -> None:
    """Give theme ``key`` the organisation's own ``label`` (shown in every language instead of the seed labels)."""
    serialise(session, "feedback_theme", organisation_id)  # one writer of the settings at a time
    known_theme(key, "key")
    _put(session, organisation_id, key, actor=actor, now=now, label=_label(label))
    record(session, actor=actor, action="feedback_theme.rename", subject=organisation_id, now=now, theme=key)


def merge_theme(session: Session, organisation_id: str, key: str, into: str, *, actor: str,
                now: dt.datetime) -> None:
    """Count theme ``key`` under ``into`` from now on (past reads too: themes are found when read).

    Themes already merged into ``key`` move to ``into`` as well, so no merge ever points at a merged theme.
    """
    serialise(session, "feedback_theme", organisation_id)  # one writer of the settings at a time
    known_theme(key, "key")
    known_theme(into, "into")
    if key == into:
        raise DomainError(FeedbackCode.THEME_MERGE_INTO_ITSELF, "into must be another theme than key.")
    target = _setting(session, organisation_id, into)
    if target is not None and target.merged_into is not None:
        raise DomainError(FeedbackCode.THEME_MERGED, f"{into} is itself merged into {target.merged_into}; merge "
                                                     f"into {target.merged_into}, or reset {into} first.")
    session.execute(update(FeedbackThemeSetting)
                    .where(FeedbackThemeSetting.organisation_id == organisation_id,
                           FeedbackThemeSetting.merged_into == key)
                    .values(merged_into=into, updated_at=now, updated_by=actor)
                    .execution_options(synchronize_session="fetch"))
    _put(session, organisation_id, key, actor=actor, now=now, merged_into=into)
    record(session, actor=actor, action="feedback_theme.merge", subject=organisation_id, now=now, theme=key,
           into=into)


def reset_theme(session: Session, organisation_id: str, key: str, *, actor: str, now: dt.datetime) -> bool:
    """Drop the organisation's label and merge of theme ``key``; whether there was anything to drop."""
    serialise(session, "feedback_theme", organisation_id)  # one writer of the settings at a time
    known_theme(key, "key")
    result = session.execute(delete(FeedbackThemeSetting)
                             .where(FeedbackThemeSetting.organisation_id == organisation_id,
                                    FeedbackThemeSetting.theme_key == key)
                             .execution_options(synchronize_session="fetch"))
    removed = bool(result.rowcount)  # type: ignore[attr-defined]
    record(session, actor=actor, action="feedback_theme.reset", subject=organisation_id, now=now, theme=key,
           removed=removed)
    return removed
