"""Reading the feedback inbox: every follow-up (drivers, free text) of the organisation's services, newest first,
filtered, decrypted for the organisations of the service only, in keyset pages (never OFFSET).

The page is ordered by (answeredAt, id) descending; the cursor is that pair of the page's last item. Reads are
audited by the caller (:func:`record_inbox_read`, in a transaction of its own: a read must leave its trace).

Themes are found when the texts are decrypted (never stored: federation/feedback/service.py says why), so SQL
cannot filter by them. A theme filter keeps keyset paging honest by scanning forward: rows with a free text that
match the other filters are read in steps of :data:`SCAN_STEP`, decrypted and matched
(federation/feedback/theming.py) until the page holds ``first`` items and one more is found, the data ends, or
:data:`MAX_SCAN` texts were scanned. In the last case the page may hold fewer items (even none) with ``has_more``
true, and its end cursor is the last row scanned, so the next page starts where this scan stopped and no text is
skipped or shown twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.battery.followups import DRIVERS, Band, band_of
from federation.battery.models import Question
from federation.errors import AuthCode, BatteryCode, DomainError, FeedbackCode, Forbidden, RequestCode, ScoresCode
from federation.feedback.items import Level, Status, band_condition, driver_condition, has_follow_up, services_of
from federation.feedback.models import FeedbackState
from federation.feedback.notes import Note, notes_of
from federation.feedback.service import known_theme
from federation.feedback.theming import Theming
from federation.privacy.free_text import opened_text
from federation.ratings.drivers import split_drivers
from federation.ratings.models import Rating
from pseudonymize.keys import KeyRing

MAX_PAGE = 100
SCAN_STEP = 200
"""Rows read per step of a theme-filtered scan."""
MAX_SCAN = 2000
"""Most free texts one theme-filtered page decrypts and matches."""
_Query = Select[Rating, FeedbackState, Question]  # the two outer-joined entities may be None in a row
_CURSOR = re.compile(r"([0-9]{1,17})\.([0-9]{1,18})")


@dataclass(frozen=True)
class InboxFilter:
    """What to show; every field is optional (None: no filter)."""

    service_id: str | None = None
    channel_id: str | None = None
    level: Level | None = None
    driver: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    status: Status | None = None
    theme: str | None = None

    def check(self) -> None:
        """Raise INVALID_FILTER / UNKNOWN_DRIVER / UNKNOWN_THEME with a fixing message."""
        if self.theme is not None:
            known_theme(self.theme, "theme")
        if self.driver is not None and self.driver not in DRIVERS:
            raise DomainError(BatteryCode.UNKNOWN_DRIVER, f"driver must be one of {', '.join(DRIVERS)}.")
        for moment in (self.start, self.end):
            if moment is not None and moment.utcoffset() is None:
                raise DomainError(ScoresCode.TIMESTAMP_WITHOUT_TIMEZONE, "from and to need a time zone, e.g. "
                                                                         "2026-01-01T00:00:00Z or +02:00.")
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise DomainError(FeedbackCode.INVALID_FILTER, "from must be before to; give an answered-at window "
                                                           "such as from 2026-01-01T00:00Z to 2026-02-01T00:00Z.")


@dataclass(frozen=True)
class Cursor:
    """The position after an item: its answered-at time and id."""

    answered_at: dt.datetime
    rating_id: int

    def encode(self) -> str:
        """``<microseconds since the epoch>.<id>``."""
        micros = round(self.answered_at.timestamp() * 1_000_000)
        return f"{micros}.{self.rating_id}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        """The cursor ``raw``; INVALID_CURSOR when it is not one this inbox gave out."""
        match = _CURSOR.fullmatch(raw)
        if match is None:
            raise DomainError(RequestCode.INVALID_CURSOR, "after must be the endCursor of a page you read.")
        micros, rating_id = int(match[1]), int(match[2])
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)
        return cls(moment, rating_id)


@dataclass(frozen=True)
class InboxItem:
    """One feedback item as its organisation sees it."""

    rating_id: int
    service_id: str
    channel_id: str | None
    question_id: str
    value: int | None
    band: Band | None
    drivers: tuple[str, ...]
    text: str | None
    readable: bool
    answered_at: dt.datetime
    locale: str | None
    status: Status
    handler: str | None
    notes: tuple[Note, ...]
    themes: tuple[str, ...] = ()

    @property
    def cursor(self) -> str:
        """The cursor after this item."""
        return Cursor(self.answered_at, self.rating_id).encode()


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox, whether more follow, where the next page starts (None: nothing was read), and how
    many texts a theme filter decrypted to match (for the audit)."""

    items: tuple[InboxItem, ...]
    has_more: bool
    end_cursor: str | None = None
    scanned: int = 0


def read_inbox(session: Session, organisation_id: str, ring: KeyRing, flt: InboxFilter, *, first: int = 25,
               after: str | None = None, theming: Theming | None = None) -> InboxPage:
    """The organisation's feedback items matching ``flt``, newest first, ``first`` (1-100) per page; each item
    with its theme keys when ``theming`` (the organisation's) is given, which a theme filter needs."""
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1-{MAX_PAGE}; page on with `after`.")
    flt.check()
    services = services_of(session, organisation_id)
    if flt.service_id is not None and flt.service_id not in services:
        raise Forbidden(f"Your organisation is not registered for service {flt.service_id}; the inbox shows the "
                        "feedback of your own services.", code=AuthCode.NOT_YOUR_SERVICE)
    stmt = _filtered(_base(services), flt)
    start, scanned = Cursor.decode(after) if after is not None else None, 0
    if flt.theme is not None:
        if theming is None:
            raise ValueError("a theme filter needs the organisation's theming")
        scan = _Scan(ring, theming, flt.theme)
        found, has_more, end = _scan(session, stmt.where(Rating.free_text.is_not(None)), start, first, scan)
        scanned = scan.scanned
    else:
        rows = _rows(session, stmt, start, first + 1)
        found = [_Opened(row, opened_text(row[0], ring)) for row in rows[:first]]
        has_more, end = len(rows) > first, _cursor(found[-1].row) if found else None
    notes = notes_of(session, ring, [entry.row[0].id for entry in found])
    items = tuple(_item(entry, notes.get(entry.row[0].id, ()), theming) for entry in found)
    return InboxPage(items, has_more, end.encode() if end is not None else None, scanned)


_Row = tuple[Rating, FeedbackState | None, Question | None]


@dataclass(frozen=True)
class _Opened:
    row: _Row
    text: str | None


@dataclass
class _Scan:
    ring: KeyRing
    theming: Theming
    theme: str
    scanned: int = 0


def _cursor(row: _Row) -> Cursor:
    return Cursor(row[0].answered_at, row[0].id)


def _rows(session: Session, stmt: _Query, start: Cursor | None, limit: int) -> list[_Row]:
    if start is not None:
        stmt = stmt.where(or_(Rating.answered_at < start.answered_at,
                              and_(Rating.answered_at == start.answered_at, Rating.id < start.rating_id)))
    ordered = stmt.order_by(Rating.answered_at.desc(), Rating.id.desc()).limit(limit)
    return [(rating, state, question) for rating, state, question in session.execute(ordered).all()]


def _scan(session: Session, stmt: _Query, start: Cursor | None, first: int,
          scan: _Scan) -> tuple[list[_Opened], bool, Cursor | None]:
    """Up to ``first`` rows mentioning the theme, whether more may follow, and where the next page starts."""
    found: list[_Opened] = []
    position, scanned = start, 0
    while scanned < MAX_SCAN:
        step = min(SCAN_STEP, MAX_SCAN - scanned)
        rows = _rows(session, stmt, position, step)
        scanned += len(rows)
        scan.scanned = scanned
        for row in rows:
            text = opened_text(row[0], scan.ring)
            if scan.theming.mentions(text, row[0].locale, scan.theme):
                if len(found) == first:  # one more match: the page is full and more follow
                    return found, True, _cursor(found[-1].row)
                found.append(_Opened(row, text))
        if len(rows) < step:
            return found, False, _cursor(found[-1].row) if found else None
        position = _cursor(rows[-1])
    if len(found) == first:
        return found, True, _cursor(found[-1].row)
    return found, True, position


def _base(services: list[str]) -> _Query:
    return (select(Rating, FeedbackState, Question)
            .outerjoin(FeedbackState, FeedbackState.rating_id == Rating.id)
            .outerjoin(Question, Question.id == Rating.question_id)
            .where(Rating.service_id.in_(services), has_follow_up()))


def _filtered(stmt: _Query,
              flt: InboxFilter) -> _Query:
    if flt.service_id is not None:
        stmt = stmt.where(Rating.service_id == flt.service_id)
    if flt.channel_id is not None:
        stmt = stmt.where(Rating.channel_id == flt.channel_id)
    if flt.level is not None:
        stmt = stmt.where(band_condition(flt.level.value))
    if flt.driver is not None:
        stmt = stmt.where(driver_condition(flt.driver))
    if flt.start is not None:
        stmt = stmt.where(Rating.answered_at >= flt.start)
    if flt.end is not None:
        stmt = stmt.where(Rating.answered_at < flt.end)
    if flt.status is Status.RECEIVED:
        stmt = stmt.where(or_(FeedbackState.status.is_(None), FeedbackState.status == Status.RECEIVED.value))
    elif flt.status is not None:
        stmt = stmt.where(FeedbackState.status == flt.status.value)
    return stmt


def _item(entry: _Opened, notes: tuple[Note, ...], theming: Theming | None) -> InboxItem:
    (rating, state, question), text = entry.row, entry.text
    themes = tuple(sorted(theming.keys(text, rating.locale))) if theming is not None else ()
    band = None
    if question is not None and rating.value is not None and question.scale.contains(rating.value):
        band = band_of(question.scale, rating.value)
    return InboxItem(rating.id, rating.service_id, rating.channel_id, rating.question_id, rating.value, band,
                     split_drivers(rating.drivers), text, rating.free_text is None or text is not None,
                     rating.answered_at, rating.locale, Status(state.status) if state else Status.RECEIVED,
                     state.handler if state else None, notes, themes)


def record_inbox_read(session: Session, *, organisation_id: str, actor: str, now: dt.datetime, count: int,
                      flt: InboxFilter, scanned: int = 0) -> None:
    """Audit a read of the inbox: who, when, how many items, which filters were set (their names only) and, for
    a theme filter, how many texts were decrypted to match."""
    filters = sorted(name for name, value in vars(flt).items() if value is not None)
    extra = {"scanned": scanned} if flt.theme is not None else {}
    record(session, actor=actor, action="feedback.read", subject=organisation_id, now=now, count=count,
           service=flt.service_id, filters=filters, **extra)
