"""Reading the feedback inbox: every follow-up (drivers, free text) of the organisation's services, newest first,
filtered, decrypted for the organisations of the service only, in keyset pages (never OFFSET).

The page is ordered by (answeredAt, id) descending; the cursor is that pair of the page's last item. Reads are
audited by the caller (:func:`record_inbox_read`, in a transaction of its own: a read must leave its trace).

Themes (a function mapping a free text to theme keys) are not a filter yet: the texts are sealed, so SQL cannot
compute them, and filtering after decryption would break keyset paging. The hook is a per-answer table of theme
keys written when the text arrives (federation/ratings/citizen.py ``attach_follow_up``); a ``theme`` field of
:class:`InboxFilter` then becomes one more condition in ``_filtered``, and ``GroupScope`` and the receipt
matching (federation/feedback/receipts.py) take a theme beside the driver.
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
from federation.errors import AuthCode, DomainError, FeedbackCode, Forbidden, RequestCode, ScoresCode
from federation.feedback.items import Level, Status, band_condition, driver_condition, has_follow_up, services_of
from federation.feedback.models import FeedbackState
from federation.feedback.notes import Note, notes_of
from federation.privacy.free_text import opened_text
from federation.ratings.drivers import split_drivers
from federation.ratings.models import Rating
from pseudonymize.keys import KeyRing

MAX_PAGE = 100
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

    def check(self) -> None:
        """Raise INVALID_FILTER / UNKNOWN_DRIVER with a fixing message."""
        if self.driver is not None and self.driver not in DRIVERS:
            raise DomainError(FeedbackCode.UNKNOWN_DRIVER, f"driver must be one of {', '.join(DRIVERS)}.")
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

    @property
    def cursor(self) -> str:
        """The cursor after this item."""
        return Cursor(self.answered_at, self.rating_id).encode()


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox and whether more follow."""

    items: tuple[InboxItem, ...]
    has_more: bool


def read_inbox(session: Session, organisation_id: str, ring: KeyRing, flt: InboxFilter, *, first: int = 25,
               after: str | None = None) -> InboxPage:
    """The organisation's feedback items matching ``flt``, newest first, ``first`` (1-100) per page."""
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1-{MAX_PAGE}; page on with `after`.")
    flt.check()
    services = services_of(session, organisation_id)
    if flt.service_id is not None and flt.service_id not in services:
        raise Forbidden(f"Your organisation is not registered for service {flt.service_id}; the inbox shows the "
                        "feedback of your own services.", code=AuthCode.NOT_YOUR_SERVICE)
    stmt = _filtered(_base(services), flt)
    if after is not None:
        cursor = Cursor.decode(after)
        stmt = stmt.where(or_(Rating.answered_at < cursor.answered_at,
                              and_(Rating.answered_at == cursor.answered_at, Rating.id < cursor.rating_id)))
    rows = session.execute(stmt.order_by(Rating.answered_at.desc(), Rating.id.desc()).limit(first + 1)).all()
    page = rows[:first]
    notes = notes_of(session, ring, [row[0].id for row in page])
    items = tuple(_item(rating, state, question, ring, notes.get(rating.id, ())) for rating, state, question in page)
    return InboxPage(items, len(rows) > first)


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


def _item(rating: Rating, state: FeedbackState | None, question: Question | None, ring: KeyRing,
          notes: tuple[Note, ...]) -> InboxItem:
    text = opened_text(rating, ring)
    band = None
    if question is not None and rating.value is not None and question.scale.contains(rating.value):
        band = band_of(question.scale, rating.value)
    return InboxItem(rating.id, rating.service_id, rating.channel_id, rating.question_id, rating.value, band,
                     split_drivers(rating.drivers), text, rating.free_text is None or text is not None,
                     rating.answered_at, rating.locale, Status(state.status) if state else Status.RECEIVED,
                     state.handler if state else None, notes)


def record_inbox_read(session: Session, *, organisation_id: str, actor: str, now: dt.datetime, count: int,
                      flt: InboxFilter) -> None:
    """Audit a read of the inbox: who, when, how many items and which filters were set (their names only)."""
    filters = sorted(name for name, value in vars(flt).items() if value is not None)
    record(session, actor=actor, action="feedback.read", subject=organisation_id, now=now, count=count,
           service=flt.service_id, filters=filters)
