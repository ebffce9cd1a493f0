"""Public replies of organisations: to one feedback item, or to a group — the answers of a service that chose one
driver, or whose free text mentions one feedback theme (optionally in one band), within a period of local days. A
group reply carries the number of answers it covers, counted here when it is published (never typed by the
organisation): a driver group in SQL, a theme group by decrypting and matching the period's free texts of the
service (federation/feedback/theming.py; at most ``MAX_THEMED_TEXTS``, as theme summaries). Replies are plain
text, may link a public service change (federation/analytics/events.py), are audited, and can be withdrawn; the
citizen reads them on the receipt page (federation/feedback/receipts.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from federation.analytics.models import ServiceEvent
from federation.audit.log import record
from federation.battery.followups import DRIVERS
from federation.battery.models import Question
from federation.errors import AuthCode, BatteryCode, DomainError, FeedbackCode, Forbidden, NotFound
from federation.feedback.items import Level, Status, band_condition, driver_condition, feedback_of, services_of
from federation.feedback.models import FeedbackReply, FeedbackState
from federation.feedback.service import MAX_THEMED_TEXTS, known_theme
from federation.feedback.theming import Theming
from federation.privacy.free_text import opened_text
from federation.ratings.models import Rating
from federation.volumes.days import day_bounds
from pseudonymize.keys import KeyRing

MAX_REPLY = 1000
"""Longest reply, in characters."""
MAX_GROUP_DAYS = 366
"""Longest period a group reply may cover."""
LANGUAGES = ("fi", "sv", "en")
EARLIEST = dt.date(2000, 1, 1)
MAX_LISTED = 200


@dataclass(frozen=True)
class ReplyText:
    """What the organisation says: plain text in one language, and optionally the public change it made."""

    text: str
    language: str
    event_id: int | None = None


@dataclass(frozen=True)
class GroupScope:
    """The answers a group reply speaks to: one service's answers with ``driver``, or whose free text mentions
    ``theme`` (exactly one of the two), on local days start…end."""

    service_id: str
    driver: str | None
    start: dt.date
    end: dt.date
    level: Level | None = None
    theme: str | None = None


@dataclass(frozen=True)
class GroupTexts:
    """What counting a theme group needs: the key ring to open texts and the replying organisation's theming."""

    ring: KeyRing
    theming: Theming


def checked_text(reply: ReplyText) -> str:
    """The reply's text, stripped; INVALID_REPLY when empty, too long, not plain text or in another language."""
    text = reply.text.strip()
    if reply.language not in LANGUAGES:
        raise DomainError(FeedbackCode.INVALID_REPLY, f"language must be one of {', '.join(LANGUAGES)}.")
    if not text:
        raise DomainError(FeedbackCode.INVALID_REPLY, "the reply is empty; write what you heard and what you do.")
    if len(text) > MAX_REPLY:
        raise DomainError(FeedbackCode.INVALID_REPLY, f"the reply has {len(text)} characters; shorten it to "
                                                      f"{MAX_REPLY}.")
    if any(ord(c) < 32 and c not in "\n" for c in text):
        raise DomainError(FeedbackCode.INVALID_REPLY, "the reply must be plain text: no control characters or "
                                                      "tabs (it is shown as written, never as markup).")
    return text


def _checked_event(session: Session, event_id: int | None, service_id: str) -> int | None:
    if event_id is None:
        return None
    event = session.get(ServiceEvent, event_id) if 0 < event_id < 2**63 else None
    if event is None or event.service_id != service_id or not event.public:
        raise DomainError(FeedbackCode.EVENT_NOT_OF_SERVICE, f"event {event_id} is not a public change of service "
                                                             f"{service_id}; link a public serviceEvent of the same "
                                                             "service, or none.")
    return event_id


def reply_to_item(session: Session, *, organisation_id: str, rating_id: int, reply: ReplyText, actor: str,
                  now: dt.datetime) -> FeedbackReply:
    """Publish a reply to one feedback item; the item becomes ANSWERED."""
    row = feedback_of(session, organisation_id, rating_id, lock=True)
    text = checked_text(reply)
    stored = FeedbackReply(service_id=row.service_id, organisation_id=organisation_id, rating_id=rating_id,
                           answer_count=1, text=text, language=reply.language, published_at=now,
                           event_id=_checked_event(session, reply.event_id, row.service_id))
    session.add(stored)
    state = session.get(FeedbackState, rating_id)
    if state is None:
        session.add(FeedbackState(rating_id=rating_id, status=Status.ANSWERED.value, handler=None, updated_at=now))
    else:
        state.status, state.updated_at = Status.ANSWERED.value, now
    session.flush()
    record(session, actor=actor, action="feedback.reply.publish", subject=str(stored.id), now=now,
           organisation=organisation_id, service=row.service_id, scope="item", linked_event=stored.event_id)
    return stored


def _check_scope(session: Session, organisation_id: str, scope: GroupScope, today: dt.date) -> None:
    if scope.service_id not in services_of(session, organisation_id):
        raise Forbidden(f"Your organisation is not registered for service {scope.service_id}; reply to the "
                        "feedback of your own services.", code=AuthCode.NOT_YOUR_SERVICE)
    if (scope.driver is None) == (scope.theme is None):
        raise DomainError(FeedbackCode.INVALID_REPLY, "a group needs exactly one of driver and theme.")
    if scope.theme is not None:
        known_theme(scope.theme, "theme")
    elif scope.driver not in DRIVERS:
        raise DomainError(BatteryCode.UNKNOWN_DRIVER, f"driver must be one of {', '.join(DRIVERS)}.")
    if (not EARLIEST <= scope.start <= scope.end <= today
            or (scope.end - scope.start).days >= MAX_GROUP_DAYS):
        raise DomainError(FeedbackCode.INVALID_FILTER, f"the period must run forwards from {EARLIEST} at the "
                                                       f"earliest, end today at the latest and span at most "
                                                       f"{MAX_GROUP_DAYS} days.")


def group_count(session: Session, scope: GroupScope, texts: GroupTexts | None = None) -> int:
    """How many answers of the group there are (counted from the ratings, never typed); a theme group needs
    ``texts``."""
    start, _ = day_bounds(scope.start)
    _, end = day_bounds(scope.end)
    if scope.theme is not None:
        if texts is None:
            raise ValueError("a theme group is counted from its texts: pass GroupTexts")
        return _theme_count(session, scope, texts, start, end)
    assert scope.driver is not None
    stmt = (select(func.count()).select_from(Rating).where(
        Rating.service_id == scope.service_id, Rating.answered_at >= start, Rating.answered_at < end,
        driver_condition(scope.driver)))
    if scope.level is not None:
        stmt = stmt.join(Question, Question.id == Rating.question_id).where(band_condition(scope.level.value))
    return int(session.scalar(stmt) or 0)


def _theme_count(session: Session, scope: GroupScope, texts: GroupTexts, start: dt.datetime,
                 end: dt.datetime) -> int:
    """Answers of the service in [start, end) whose decrypted text mentions the theme (at most MAX_THEMED_TEXTS
    texts are read; more is TOO_MANY_TEXTS)."""
    assert scope.theme is not None
    stmt = (select(Rating).where(Rating.service_id == scope.service_id, Rating.free_text.is_not(None),
                                 Rating.answered_at >= start, Rating.answered_at < end)
            .limit(MAX_THEMED_TEXTS + 1))
    if scope.level is not None:
        stmt = stmt.join(Question, Question.id == Rating.question_id).where(band_condition(scope.level.value))
    rows = list(session.scalars(stmt))
    if len(rows) > MAX_THEMED_TEXTS:
        raise DomainError(FeedbackCode.TOO_MANY_TEXTS, f"the period holds more than {MAX_THEMED_TEXTS} free texts "
                                                       "of the service; shorten it.")
    return sum(texts.theming.mentions(opened_text(row, texts.ring), row.locale, scope.theme) for row in rows)


def reply_to_group(session: Session, *, organisation_id: str, scope: GroupScope, reply: ReplyText, actor: str,
                   now: dt.datetime, today: dt.date, texts: GroupTexts | None = None) -> FeedbackReply:
    """Publish a reply to every answer of ``scope``; EMPTY_GROUP when it holds none. A theme group needs ``texts``
    (the ring and the replying organisation's theming)."""
    _check_scope(session, organisation_id, scope, today)
    text = checked_text(reply)
    count = group_count(session, scope, texts)
    if count == 0:
        what = "chose that driver" if scope.theme is None else "wrote about that theme"
        raise DomainError(FeedbackCode.EMPTY_GROUP, f"no answer of this service {what} in that period; widen the "
                                                    "period or pick another driver or theme.")
    stored = FeedbackReply(service_id=scope.service_id, organisation_id=organisation_id, rating_id=None,
                           driver=scope.driver, theme=scope.theme, band=scope.level.name if scope.level else None,
                           group_from=scope.start, group_to=scope.end, answer_count=count, text=text,
                           language=reply.language, published_at=now,
                           event_id=_checked_event(session, reply.event_id, scope.service_id))
    session.add(stored)
    session.flush()
    record(session, actor=actor, action="feedback.reply.publish", subject=str(stored.id), now=now,
           organisation=organisation_id, service=scope.service_id, scope="group", count=count, theme=scope.theme,
           linked_event=stored.event_id)
    return stored


def withdraw(session: Session, *, organisation_id: str, reply_id: int, actor: str,
             now: dt.datetime) -> FeedbackReply:
    """Withdraw one of the organisation's replies: the receipt pages no longer show it."""
    reply = session.get(FeedbackReply, reply_id, with_for_update=True) if 0 < reply_id < 2**63 else None
    if reply is None or reply.organisation_id != organisation_id:
        raise NotFound(FeedbackCode.UNKNOWN_REPLY, f"No reply {reply_id} of your organisation; take the id from "
                                                   "feedbackReplies.")
    if reply.withdrawn_at is not None:
        raise DomainError(FeedbackCode.REPLY_WITHDRAWN, f"reply {reply_id} was withdrawn already.")
    reply.withdrawn_at = now
    session.flush()
    record(session, actor=actor, action="feedback.reply.withdraw", subject=str(reply_id), now=now,
           organisation=organisation_id, service=reply.service_id)
    return reply


def replies_of(session: Session, organisation_id: str, *, service_id: str | None = None,
               include_withdrawn: bool = False) -> list[FeedbackReply]:
    """The organisation's replies, newest first (the latest 200)."""
    stmt = select(FeedbackReply).where(FeedbackReply.organisation_id == organisation_id)
    if service_id is not None:
        stmt = stmt.where(FeedbackReply.service_id == service_id)
    if not include_withdrawn:
        stmt = stmt.where(FeedbackReply.withdrawn_at.is_(None))
    return list(session.scalars(stmt.order_by(FeedbackReply.id.desc()).limit(MAX_LISTED)))


def record_replies_read(session: Session, *, organisation_id: str, actor: str, now: dt.datetime, count: int,
                        service_id: str | None) -> None:
    """Audit a read of the organisation's replies (who, when, how many); in a transaction of its own."""
    record(session, actor=actor, action="feedback.replies.read", subject=organisation_id, now=now, count=count,
           service=service_id)
