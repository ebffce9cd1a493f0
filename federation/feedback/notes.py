"""Internal notes on feedback items, sealed like the free texts (AES-GCM, bound to the organisation and the item).

Notes are shared by the organisations registered for the service; each note names the organisation that wrote it
(its business ID), never a person. A note whose key version was destroyed reads as unreadable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from federation.errors import DomainError, FeedbackCode
from federation.feedback.models import FeedbackNote
from pseudonymize.keys import KeyRing
from pseudonymize.seal import SealError, open_sealed, seal

MAX_NOTE = 1000
"""Longest note, in characters."""
MAX_NOTES = 50
"""Most notes one item takes."""


@dataclass(frozen=True)
class Note:
    """One internal note, decrypted (``text`` None when unreadable)."""

    note_id: int
    organisation_id: str
    text: str | None
    created_at: dt.datetime


def note_aad(organisation_id: str, rating_id: int) -> bytes:
    """Associated data binding a sealed note to its writer and item."""
    return f"feedback-note|{organisation_id}|{rating_id}".encode()


def checked_note(raw: str) -> str:
    """The note's text, stripped; INVALID_NOTE when empty, too long or holding control characters."""
    text = raw.strip()
    if not text:
        raise DomainError(FeedbackCode.INVALID_NOTE, "the note is empty; write what was done or decided.")
    if len(text) > MAX_NOTE:
        raise DomainError(FeedbackCode.INVALID_NOTE, f"the note has {len(text)} characters; shorten it to "
                                                     f"{MAX_NOTE}.")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise DomainError(FeedbackCode.INVALID_NOTE, "the note holds control characters; send plain text.")
    return text


def add_note(session: Session, ring: KeyRing, *, organisation_id: str, rating_id: int, text: str,
             now: dt.datetime) -> Note:
    """Seal and store a note on an item the caller has checked is the organisation's."""
    body = checked_note(text)
    count = session.scalar(select(func.count()).select_from(FeedbackNote).where(FeedbackNote.rating_id == rating_id))
    if (count or 0) >= MAX_NOTES:
        raise DomainError(FeedbackCode.TOO_MANY_NOTES, f"this item has {MAX_NOTES} notes already; summarise "
                                                       "them in the reply or the service change instead.")
    note = FeedbackNote(rating_id=rating_id, organisation_id=organisation_id, created_at=now,
                        sealed_text=seal(body, ring.current, associated_data=note_aad(organisation_id, rating_id)))
    session.add(note)
    session.flush()
    return Note(note.id, organisation_id, body, now)


def notes_of(session: Session, ring: KeyRing, rating_ids: Sequence[int]) -> dict[int, tuple[Note, ...]]:
    """The notes of these items, oldest first, decrypted, in one query."""
    if not rating_ids:
        return {}
    found: dict[int, list[Note]] = defaultdict(list)
    rows = session.scalars(select(FeedbackNote).where(FeedbackNote.rating_id.in_(rating_ids))
                           .order_by(FeedbackNote.rating_id, FeedbackNote.id))
    for row in rows:
        try:
            text: str | None = open_sealed(row.sealed_text, ring,
                                           associated_data=note_aad(row.organisation_id, row.rating_id))
        except SealError:
            text = None
        found[row.rating_id].append(Note(row.id, row.organisation_id, text, row.created_at))
    return {key: tuple(value) for key, value in found.items()}
