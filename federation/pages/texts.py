"""Reading the "what was missing" texts of an organisation's pages, and deleting old answers (retention).

Only the organisation that owns a page reads its texts: rows are selected by the caller's business ID and each
text opens only with its (organisation, page) associated data (federation/pages/answers.py). A text whose master
key version was destroyed comes back unreadable, not as an error. Every read is audited (how many texts, never a
text). Retention: :func:`delete_page_answers` deletes answers (and their texts) given before the retention cut-off;
the hourly counts stay, like the ratings' rollups (federation/privacy/retention.py runs it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.pages.answers import page_text_aad
from federation.pages.models import Page, PageAnswer
from federation.scores.reading import Window
from pseudonymize.keys import KeyRing
from pseudonymize.seal import SealError, open_sealed

MAX_TEXTS = 100


@dataclass(frozen=True)
class PageText:
    """One "what was missing" text with the page it was written on."""

    answer_id: int
    page_id: int
    url: str
    service_id: str | None
    text: str | None
    readable: bool
    answered_at: dt.datetime
    locale: str | None


def read_page_texts(session: Session, organisation_id: str, ring: KeyRing, *, window: Window, first: int = 50,
                    after: int | None = None, page_id: int | None = None,
                    service_id: str | None = None) -> list[PageText]:
    """The organisation's texts written in the window, oldest first, decrypted; page on with ``after``."""
    stmt = (select(PageAnswer, Page).join(Page, Page.id == PageAnswer.page_id)
            .where(PageAnswer.organisation_id == organisation_id, PageAnswer.free_text.is_not(None),
                   PageAnswer.answered_at >= window.start, PageAnswer.answered_at < window.end)
            .order_by(PageAnswer.id).limit(first))
    if after is not None:
        stmt = stmt.where(PageAnswer.id > after)
    if page_id is not None:
        stmt = stmt.where(PageAnswer.page_id == page_id)
    if service_id is not None:
        stmt = stmt.where(Page.service_id == service_id)
    return [_entry(answer, page, ring) for answer, page in session.execute(stmt)]


def _entry(answer: PageAnswer, page: Page, ring: KeyRing) -> PageText:
    text: str | None = None
    if answer.free_text is not None:
        try:
            text = open_sealed(answer.free_text, ring,
                               associated_data=page_text_aad(answer.organisation_id, answer.page_id))
        except SealError:
            text = None
    return PageText(answer.id, page.id, page.url, page.service_id, text, text is not None, answer.answered_at,
                    answer.locale)


def record_page_text_read(session: Session, *, organisation_id: str, actor: str, now: dt.datetime,
                          count: int) -> None:
    """Audit a read of page texts (who, when, how many); in a transaction that commits on its own."""
    record(session, actor=actor, action="pages.text_read", subject=organisation_id, now=now, count=count)


def delete_page_answers(session: Session, *, before: dt.datetime, dry_run: bool = False) -> int:
    """Delete (or, in a dry run, count) the page answers given before ``before``, texts included."""
    expired = PageAnswer.answered_at < before
    if dry_run:
        return int(session.scalar(select(func.count()).select_from(PageAnswer).where(expired)) or 0)
    result = session.execute(delete(PageAnswer).where(expired).execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]
