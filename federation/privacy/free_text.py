"""Reading and purging the free texts of follow-ups (scrubbed and sealed at ingest, see ``protector``).

Only the organisation that owns an answer can read its text: :func:`read_free_texts` selects rows by the
caller's business ID, and each text is bound to (organisation, service) by the AES-GCM associated data, so a
blob moved to another organisation's row does not open. Every read is audited (how many texts, never the text).
A text whose master key version was destroyed comes back as unreadable, not as an error.
Retention: :func:`purge_free_texts` clears the texts of answers older than the retention cut-off; the rest of
the answer (and every rollup) stays until the microdata itself is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.privacy.protector import free_text_aad
from federation.ratings.drivers import split_drivers
from federation.ratings.models import Rating
from pseudonymize.keys import KeyRing
from pseudonymize.seal import SealError, open_sealed

MAX_PAGE = 100


@dataclass(frozen=True)
class FreeTextEntry:
    """One follow-up free text with the answer it belongs to."""

    rating_id: int
    service_id: str
    channel_id: str | None
    question_id: str
    wording_version: int
    value: int | None
    drivers: tuple[str, ...]
    text: str | None
    readable: bool
    answered_at: dt.datetime
    locale: str | None


def read_free_texts(session: Session, organisation_id: str, ring: KeyRing, *, start: dt.datetime,
                    end: dt.datetime, first: int = 50, after: int | None = None,
                    service_id: str | None = None) -> list[FreeTextEntry]:
    """The organisation's own free texts answered in [start, end), oldest first, decrypted, ``first`` per page.

    Page on with ``after`` = the last entry's ``rating_id``.
    """
    if not 1 <= first <= MAX_PAGE:
        raise ValueError(f"first must be 1-{MAX_PAGE}; page on with `after`.")
    stmt = (select(Rating).where(Rating.organisation_id == organisation_id, Rating.free_text.is_not(None),
                                 Rating.answered_at >= start, Rating.answered_at < end)
            .order_by(Rating.id).limit(first))
    if after is not None:
        stmt = stmt.where(Rating.id > after)
    if service_id is not None:
        stmt = stmt.where(Rating.service_id == service_id)
    return [_entry(row, ring) for row in session.scalars(stmt)]


def record_free_text_read(session: Session, *, organisation_id: str, actor: str, now: dt.datetime, count: int,
                          service_id: str | None) -> None:
    """Audit a read of free texts (who, when, how many); call it in a transaction that commits on its own."""
    record(session, actor=actor, action="free_text.read", subject=organisation_id, now=now, count=count,
           service=service_id)


def opened_text(row: Rating, ring: KeyRing) -> str | None:
    """The decrypted free text of ``row``; None when it has none or its key version was destroyed."""
    if row.free_text is None:
        return None
    try:
        return open_sealed(row.free_text, ring, associated_data=free_text_aad(row.organisation_id, row.service_id))
    except SealError:
        return None


def _entry(row: Rating, ring: KeyRing) -> FreeTextEntry:
    text = opened_text(row, ring)
    return FreeTextEntry(row.id, row.service_id, row.channel_id, row.question_id, row.wording_version, row.value,
                         split_drivers(row.drivers), text, text is not None, row.answered_at, row.locale)


def purge_free_texts(session: Session, *, before: dt.datetime) -> int:
    """Clear the free text of every answer given before ``before``; returns how many were cleared."""
    result = session.execute(update(Rating).where(Rating.answered_at < before, Rating.free_text.is_not(None))
                             .values(free_text=None).execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]
