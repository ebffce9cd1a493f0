"""The citizen's answer to "Was this page useful?" and, after a "no", what was missing.

The snippet on the organisation's page (schema/http/static/arvio-page.js) sends the organisation's business ID,
the page's address (``location``), a ref it generated for this answer, and yes or no. arvio finds the
organisation's registered, not retired page for that address (normalised as in federation/pages/urls.py, the query
kept only for pages registered with it), checks that the request's ``Origin`` is the page's own origin, and stores
the answer once per (organisation, ref): a resent answer is a DUPLICATE and is not counted again. Nothing that
identifies the citizen is stored: no IP address, cookie or user agent; the ref is random and kept only as a hash.

The follow-up text goes through the existing free-text protection: scrubbed of direct identifiers
(pseudonymize/scrub.py), sealed (pseudonymize/seal.py) under the current master key, bound to the organisation and
page by the associated data; only the owning organisation reads it (federation/pages/texts.py). Refusals raise
:class:`~federation.errors.DomainError` with a :class:`~federation.errors.PagesCode` (or, for a follow-up without its
answer or sent again, the widget's :class:`~federation.errors.RatingsCode` of the same meaning).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.battery.followups import MAX_FREE_TEXT
from federation.errors import DomainError, ErrorCode, PagesCode, RatingsCode
from federation.i18n.catalogs import available_locales, is_locale
from federation.pages.models import ANSWER_TABLE, HOURLY_TABLE, Page, PageAnswer
from federation.pages.urls import PageUrl, normalise_origin, normalise_page_url
from federation.rollups.writing import hour_of
from federation.upsert import dialect_insert
from pseudonymize.keys import KeyRing
from pseudonymize.scrub import scrub
from pseudonymize.seal import seal

FOLLOW_UP_WINDOW = dt.timedelta(hours=1)
"""How long after a "no" its "what was missing" text is still taken."""
_REF = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class Status(enum.StrEnum):
    """What happened to an answer or follow-up that was not refused."""

    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"


@dataclass(frozen=True)
class PageOutcome:
    """An answer or follow-up taken (or found already taken)."""

    status: Status
    page_id: int
    service_id: str | None
    follow_up: bool
    """Whether the snippet should ask what was missing (an accepted or resent "no" without its text yet)."""
    code: ErrorCode | None = None


def page_text_aad(organisation_id: str, page_id: int) -> bytes:
    """Associated data binding a sealed page text to its organisation and page (a moved blob does not open)."""
    return f"page-text|{organisation_id}|{page_id}".encode()


def _ref_key(ref: str) -> str:
    """What is stored of the ref: a hash (hex), so nothing the client typed is kept as it is."""
    if not _REF.match(ref):
        raise DomainError(PagesCode.INVALID_ANSWER, "ref must be 16 to 64 letters, digits, '-' or '_' (a random "
                                                    "UUID generated for this answer); the snippet makes one.")
    return hashlib.sha256(b"page-ref|" + ref.encode()).hexdigest()


def find_page(session: Session, organisation_id: str, location: str, origin: str | None) -> Page:
    """The organisation's registered page at ``location``, if ``origin`` is the page's origin."""
    if not organisation_id or len(organisation_id) > 20:
        raise DomainError(PagesCode.PAGE_NOT_REGISTERED, "organisation must be your organisation's business ID "
                                                         "(data-organisation on the snippet).")
    plain = normalise_page_url(location)
    full = normalise_page_url(location, keep_query=True)
    candidates = {p.url_hash: p for p in session.scalars(select(Page).where(
        Page.organisation_id == organisation_id, Page.url_hash.in_({plain.digest, full.digest}),
        Page.retired_at.is_(None)))}
    page = _chosen(candidates, plain, full)
    if page is None:
        raise DomainError(PagesCode.PAGE_NOT_REGISTERED, "this page is not registered for the organisation (or it "
                                                         "was retired); register its address with registerPages.")
    if normalise_origin(origin) != plain.origin:
        raise DomainError(PagesCode.ORIGIN_MISMATCH, "answers to a page are taken only from the page itself: the "
                                                     "request's Origin must be the page's scheme, host and port.")
    return page


def _chosen(candidates: dict[str, Page], plain: PageUrl, full: PageUrl) -> Page | None:
    exact = candidates.get(full.digest)
    if exact is not None and exact.keep_query:
        return exact
    page = candidates.get(plain.digest)
    return page if page is not None and not page.keep_query else None


def answer_page(session: Session, *, organisation_id: str, location: str, origin: str | None, ref: str,
                useful: bool, locale: str | None, now: dt.datetime) -> PageOutcome:
    """Store the answer once and count it in its hour; the caller commits."""
    key = _ref_key(ref)
    if locale is not None and not is_locale(locale):
        raise DomainError(PagesCode.INVALID_ANSWER, f"locale must be one of {', '.join(available_locales())}, or "
                                                    "left out.")
    page = find_page(session, organisation_id, location, origin)
    inserted = session.scalar(dialect_insert(session, ANSWER_TABLE).values(
        organisation_id=organisation_id, client_ref=key, page_id=page.id, answered_at=now, useful=useful,
        locale=locale).on_conflict_do_nothing(index_elements=["organisation_id", "client_ref"])
        .returning(ANSWER_TABLE.c.id))
    if inserted is None:
        stored = session.scalar(select(PageAnswer).where(PageAnswer.organisation_id == organisation_id,
                                                         PageAnswer.client_ref == key))
        wants = stored is not None and not stored.useful and stored.free_text is None
        return PageOutcome(Status.DUPLICATE, page.id, page.service_id, wants)
    table = HOURLY_TABLE
    count = dialect_insert(session, table).values(page_id=page.id, hour=hour_of(now), yes=int(useful),
                                                  no=int(not useful))
    session.execute(count.on_conflict_do_update(index_elements=["page_id", "hour"], set_={
        "yes": table.c.yes + count.excluded.yes, "no": table.c.no + count.excluded.no}))
    return PageOutcome(Status.ACCEPTED, page.id, page.service_id, not useful)


def _checked_text(text: str) -> str:
    if not text.strip():
        raise DomainError(PagesCode.INVALID_ANSWER, "text is empty; write what was missing from the page.")
    if len(text) > MAX_FREE_TEXT:
        raise DomainError(PagesCode.INVALID_ANSWER, f"text has {len(text)} characters; shorten it to "
                                                    f"{MAX_FREE_TEXT}.")
    return scrub(text).text


def follow_up_page(session: Session, *, organisation_id: str, location: str, origin: str | None, ref: str,
                   text: str, now: dt.datetime, ring: KeyRing) -> PageOutcome:
    """Attach "what was missing" to the "no" sent with ``ref`` (once, within the hour); the caller commits."""
    key = _ref_key(ref)
    clean = _checked_text(text)
    page = find_page(session, organisation_id, location, origin)
    row = session.scalar(select(PageAnswer).where(PageAnswer.organisation_id == organisation_id,
                                                  PageAnswer.client_ref == key).with_for_update())
    if row is None or row.page_id != page.id:
        raise DomainError(RatingsCode.FOLLOW_UP_WITHOUT_ANSWER, "no answer on this page was sent with this ref; "
                                                              "send the answer first, with the same ref.")
    if row.useful:
        raise DomainError(PagesCode.FOLLOW_UP_AFTER_YES, "the answer was yes; only a no asks what was missing.")
    if row.free_text is not None:
        return PageOutcome(Status.DUPLICATE, page.id, page.service_id, False, RatingsCode.FOLLOW_UP_ALREADY_RECEIVED)
    if now - row.answered_at > FOLLOW_UP_WINDOW:
        raise DomainError(PagesCode.FOLLOW_UP_TOO_LATE, "the answer was given more than an hour ago; its follow-up "
                                                        "is no longer taken.")
    row.free_text = seal(clean, ring.current, associated_data=page_text_aad(organisation_id, page.id))
    session.flush()
    return PageOutcome(Status.ACCEPTED, page.id, page.service_id, False)
