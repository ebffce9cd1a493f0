"""The feedback themes of single items, as one organisation sees them (its merges applied): for the inbox's theme
filter and theme labels (federation/feedback/inbox.py), the answer count of a theme reply
(federation/feedback/replies.py) and whether a theme reply reaches a receipt (federation/feedback/receipts.py).

Themes are found when a text is read, never stored (federation/feedback/service.py says why): each caller decrypts
the texts it needs for the organisation they belong to and hands them here; nothing derived from a text leaves
these functions but theme keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from federation.feedback.service import own_themes
from federation.feedback.themes import ThemeMatcher, fold


@dataclass(frozen=True)
class Theming:
    """A matcher and one organisation's merges (theme key → the key it counts under)."""

    matcher: ThemeMatcher
    merged: Mapping[str, str]

    def keys(self, text: str | None, locale: str | None) -> frozenset[str]:
        """The theme keys ``text`` mentions, merges applied (none for no text or an unreadable one)."""
        if not text:
            return frozenset()
        language = locale[:2].lower() if locale else None
        return fold(self.matcher.match(text, language).keys, self.merged)

    def target(self, theme: str) -> str:
        """The key ``theme`` counts under for this organisation (itself unless merged)."""
        return self.merged.get(theme, theme)

    def mentions(self, text: str | None, locale: str | None, theme: str) -> bool:
        """Whether ``text`` mentions ``theme`` (or a theme merged with it)."""
        return self.target(theme) in self.keys(text, locale)


def theming_of(session: Session, organisation_id: str, matcher: ThemeMatcher) -> Theming:
    """The theming of ``organisation_id``: ``matcher`` with the organisation's merges."""
    return Theming(matcher, own_themes(session, organisation_id).merged)
