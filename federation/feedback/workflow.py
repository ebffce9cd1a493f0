"""Handling a feedback item: its status (see ``items.TRANSITIONS``), its handler and its internal notes. Every
change is audited; the handler's name and the notes' text never go to the audit trail or a log.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.errors import DomainError, FeedbackCode
from federation.feedback.items import TRANSITIONS, Status, feedback_of
from federation.feedback.models import FeedbackState
from federation.feedback.notes import Note, add_note
from pseudonymize.keys import KeyRing

MAX_HANDLER = 40
_HANDLER = re.compile(r"[^\W_][\w .'-]*")


def checked_handler(raw: str | None) -> str | None:
    """A handler's short name or handle (letters, digits, space, . ' - _; no e-mail address), or None to unassign."""
    if raw is None or not raw.strip():
        return None
    name = " ".join(raw.split())
    if len(name) > MAX_HANDLER:
        raise DomainError(FeedbackCode.INVALID_HANDLER, f"the handler has {len(name)} characters; use a short "
                                                        f"name or handle of at most {MAX_HANDLER}.")
    if "@" in name:
        raise DomainError(FeedbackCode.INVALID_HANDLER, "give a name or handle, not an e-mail address.")
    if _HANDLER.fullmatch(name) is None:
        raise DomainError(FeedbackCode.INVALID_HANDLER, "the handler may hold letters, digits, spaces and . ' - _ "
                                                        "only, starting with a letter or digit (e.g. 'Maija V').")
    return name


def _state(session: Session, rating_id: int, now: dt.datetime) -> FeedbackState:
    state = session.get(FeedbackState, rating_id)
    if state is None:
        state = FeedbackState(rating_id=rating_id, status=Status.RECEIVED.value, handler=None, updated_at=now)
        session.add(state)
    return state


def set_status(session: Session, *, organisation_id: str, rating_id: int, status: Status, actor: str,
               now: dt.datetime) -> FeedbackState:
    """Move the item to ``status``; INVALID_STATUS_TRANSITION when the move is not allowed (nothing changes)."""
    feedback_of(session, organisation_id, rating_id, lock=True)
    state = _state(session, rating_id, now)
    current = Status(state.status)
    if status is not current and status not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current]))
        raise DomainError(FeedbackCode.INVALID_STATUS_TRANSITION, f"an item that is {current.value} cannot become "
                                                                  f"{status.value}; it may become {allowed}.")
    if status is not current:
        state.status, state.updated_at = status.value, now
        record(session, actor=actor, action="feedback.status", subject=str(rating_id), now=now,
               organisation=organisation_id, before=current.value, after=status.value)
    session.flush()
    return state


def assign(session: Session, *, organisation_id: str, rating_id: int, handler: str | None, actor: str,
           now: dt.datetime) -> FeedbackState:
    """Name the item's handler (None unassigns); the audit records that it changed, not the name."""
    name = checked_handler(handler)
    feedback_of(session, organisation_id, rating_id, lock=True)
    state = _state(session, rating_id, now)
    state.handler, state.updated_at = name, now
    record(session, actor=actor, action="feedback.assign", subject=str(rating_id), now=now,
           organisation=organisation_id, assigned=name is not None)
    session.flush()
    return state


def note(session: Session, ring: KeyRing, *, organisation_id: str, rating_id: int, text: str, actor: str,
         now: dt.datetime) -> Note:
    """Add an internal note to the item (sealed); the audit records its length only."""
    feedback_of(session, organisation_id, rating_id, lock=True)
    added = add_note(session, ring, organisation_id=organisation_id, rating_id=rating_id, text=text, now=now)
    record(session, actor=actor, action="feedback.note", subject=str(rating_id), now=now,
           organisation=organisation_id, length=len(added.text or ""))
    return added
