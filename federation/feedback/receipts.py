"""Receipt codes: what the citizen keeps after answering, to read the organisation's reply later at ``/r/<code>``.

A code is 80 random bits (``secrets``) written as 16 Crockford base32 characters in four groups
(``7KQ2-M9XD-4RTA-0HVN``): easy to type (no I, L, O or U; case, dashes and spaces are ignored, O reads as 0 and
I/L as 1). Only its SHA-256 is stored (``feedback_receipt``), so the table cannot be turned back into codes; 80
random bits leave nothing to guess even unsalted. Ratings answered before receipts existed were shown an 8-hex
reference derived from their clientRef; those references never had a page and open none (404).

:func:`receipt_view` is what the page shows — the service, the month of the answer and the replies that reach it
(its own, or a group reply whose service, driver or theme, band and period cover it) with their linked public
change — and nothing else about the answer: no value, no text, no day. Whether a theme reply reaches the answer is
found by decrypting its one free text here, in the server, and matching it with the replying organisation's
theming (federation/feedback/theming.py); the text is never shown or kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.analytics.models import ServiceEvent
from federation.feedback.items import Level, band_of_row
from federation.feedback.models import FeedbackReceipt, FeedbackReply
from federation.feedback.service import own_themes
from federation.feedback.themes import ThemeMatcher
from federation.feedback.theming import Theming
from federation.privacy.free_text import opened_text
from federation.ratings.drivers import split_drivers
from federation.ratings.models import Rating
from federation.registry.models import Service
from federation.volumes.days import local_date
from pseudonymize.keys import KeyRing

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32."""
CODE_CHARS = 16
"""Characters of a code: 16 × 5 = 80 bits."""
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
MAX_GROUP_REPLIES = 200


def new_code() -> str:
    """A fresh random code, grouped for reading: ``XXXX-XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_CHARS, 4))


def normalised(raw: str) -> str | None:
    """The 16 characters of a typed code, or None when ``raw`` cannot be one."""
    if len(raw) > 40:
        return None
    code = raw.upper().translate(_READS_AS)
    if len(code) != CODE_CHARS or any(c not in ALPHABET for c in code):
        return None
    return code


def code_hash(code: str) -> str:
    """The stored form of a normalised code."""
    return hashlib.sha256(f"arvio-receipt|{code}".encode()).hexdigest()


def issue_receipt(session: Session, rating_id: int, *, now: dt.datetime) -> str:
    """Store a new code for the rating (its hash only) and return the code to show once."""
    code = new_code()
    session.add(FeedbackReceipt(code_hash=code_hash(normalised(code) or ""), rating_id=rating_id, created_at=now))
    session.flush()
    return code


@dataclass(frozen=True)
class PublicReply:
    """A reply as the receipt page shows it."""

    text: str
    language: str
    month: str
    answer_count: int
    driver: str | None
    change: ServiceEvent | None
    theme: str | None = None
    theme_label: str | None = None
    """The replying organisation's own label of ``theme``, if it set one."""


@dataclass(frozen=True)
class ThemeReading:
    """What matching theme replies needs: the key ring (to open the one text) and the theme matcher."""

    ring: KeyRing
    matcher: ThemeMatcher


@dataclass(frozen=True)
class ReceiptView:
    """Everything the receipt page shows."""

    service: Service
    month: str
    replies: tuple[PublicReply, ...]


def receipt_view(session: Session, raw_code: str, reading: ThemeReading | None = None) -> ReceiptView | None:
    """The page of a typed code, or None for no such code. A malformed code is looked up too (as the hash of an
    impossible code), so unknown and malformed codes cost the same. Theme replies reach it only with ``reading``."""
    code = normalised(raw_code)
    receipt = session.get(FeedbackReceipt, code_hash(code if code is not None else "-"))
    rating = session.get(Rating, receipt.rating_id) if receipt is not None else None
    service = session.get(Service, rating.service_id) if rating is not None else None
    if rating is None or service is None:
        return None
    return ReceiptView(service, _month(rating.answered_at), tuple(_replies(session, rating, reading)))


def _month(moment: dt.datetime) -> str:
    return local_date(moment).strftime("%Y-%m")


def _replies(session: Session, rating: Rating, reading: ThemeReading | None) -> list[PublicReply]:
    own = session.scalars(select(FeedbackReply).where(FeedbackReply.rating_id == rating.id,
                                                      FeedbackReply.withdrawn_at.is_(None)))
    groups = session.scalars(select(FeedbackReply).where(
        FeedbackReply.service_id == rating.service_id, FeedbackReply.rating_id.is_(None),
        FeedbackReply.withdrawn_at.is_(None)).order_by(FeedbackReply.id.desc()).limit(MAX_GROUP_REPLIES))
    day, band = local_date(rating.answered_at), band_of_row(session, rating)
    covering = [g for g in groups if g.group_from is not None and g.group_to is not None
                and g.group_from <= day <= g.group_to
                and (g.band is None or (band is not None and Level[g.band].value is band))]
    matcher = _ThemeMatch(session, rating, reading)
    reaching = [*own, *(g for g in covering if g.driver in set(split_drivers(rating.drivers)) or matcher.reaches(g))]
    reaching.sort(key=lambda r: (r.published_at, r.id))
    return [PublicReply(r.text, r.language, _month(r.published_at), r.answer_count, r.driver,
                        _public_event(session, r.event_id), r.theme, matcher.label(r))
            for r in reaching]


class _ThemeMatch:
    """Whether a theme reply reaches one rating: its text opened once, on first need, each replying
    organisation's theming read once."""

    def __init__(self, session: Session, rating: Rating, reading: ThemeReading | None) -> None:
        self._session, self._rating, self._reading = session, rating, reading
        self._text: str | None = None
        self._opened = False
        self._own: dict[str, tuple[dict[str, str], Theming]] = {}

    def _of(self, organisation_id: str, matcher: ThemeMatcher) -> tuple[dict[str, str], Theming]:
        if organisation_id not in self._own:
            own = own_themes(self._session, organisation_id)
            self._own[organisation_id] = (own.labels, Theming(matcher, own.merged))
        return self._own[organisation_id]

    def reaches(self, reply: FeedbackReply) -> bool:
        """Whether ``reply`` is a theme reply whose theme the rating's text mentions."""
        if reply.theme is None or self._reading is None or self._rating.free_text is None:
            return False
        if not self._opened:
            self._text, self._opened = opened_text(self._rating, self._reading.ring), True
        _, theming = self._of(reply.organisation_id, self._reading.matcher)
        return theming.mentions(self._text, self._rating.locale, reply.theme)

    def label(self, reply: FeedbackReply) -> str | None:
        """The replying organisation's own label of the reply's theme, if any."""
        if reply.theme is None or self._reading is None:
            return None
        labels, theming = self._of(reply.organisation_id, self._reading.matcher)
        return labels.get(theming.target(reply.theme)) or labels.get(reply.theme)


def _public_event(session: Session, event_id: int | None) -> ServiceEvent | None:
    event = session.get(ServiceEvent, event_id) if event_id is not None else None
    return event if event is not None and event.public else None
