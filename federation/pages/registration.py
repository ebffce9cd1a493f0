"""An organisation's own pages: register (idempotent upsert per normalised URL), list and retire; audited.

A page belongs to one organisation, optionally to one service that organisation provides (its figures then pool
into the service's page figures, federation/pages/scores.py). Registering a URL already registered updates its
service and title and brings a retired page back. Refusals carry a :class:`~federation.errors.PagesCode` (or the
registry's codes for services) and name the item (``pages[3]``) without echoing what was sent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.errors import AuthCode, DomainError, Forbidden, PagesCode, RegistryCode
from federation.pages.models import PAGE_TABLE, Page
from federation.pages.urls import normalise_page_url
from federation.registry.models import Service, ServiceOrganisation
from federation.upsert import dialect_insert

MAX_BATCH = 100
MAX_TITLE = 300
MAX_PAGES = 10_000
"""Pages one organisation may have registered (retired ones included)."""
MAX_PAGE_ID = 2**63 - 1


@dataclass(frozen=True)
class PageDraft:
    """A page as the organisation sends it (raw; checked by :func:`register_pages`)."""

    url: str
    service_id: str | None = None
    title: str | None = None
    keep_query: bool = False


def _title(raw: str | None, where: str) -> str | None:
    if raw is None or not raw.strip():
        return None
    title = " ".join(raw.split())
    if len(title) > MAX_TITLE or any(ord(ch) < 32 or ord(ch) == 127 for ch in raw if ch not in "\t\n\r"):
        raise DomainError(PagesCode.INVALID_PAGE_TITLE, f"{where}.title must be plain text of at most {MAX_TITLE} "
                                                        "characters; shorten it or leave it out.")
    return title


def check_service_id(raw: str, where: str) -> str:
    """A service id as a lower-case GUID; INVALID_ID (without echoing the input) otherwise."""
    if len(raw) <= 64:
        try:
            return str(uuid.UUID(raw.strip()))
        except ValueError:
            pass
    raise DomainError(RegistryCode.INVALID_ID, f"{where} is not a service id: use the PTV service id (a GUID such as "
                                               "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20), or leave it out.")


def _own_services(session: Session, organisation_id: str, wanted: set[str]) -> None:
    if not wanted:
        return
    known = set(session.scalars(select(Service.id).where(Service.id.in_(wanted))))
    for service_id in sorted(wanted - known):
        raise DomainError(RegistryCode.UNKNOWN_SERVICE, f"service {service_id} is not registered in arvio; check "
                                                        "the id against `services { id }`, or leave it out.")
    owned = set(session.scalars(select(ServiceOrganisation.service_id).where(
        ServiceOrganisation.organisation_id == organisation_id, ServiceOrganisation.service_id.in_(wanted))))
    for service_id in sorted(wanted - owned):
        raise Forbidden(f"service {service_id} is not provided by your organisation; attach the page to one of "
                        "your own services, or leave serviceId out.", code=AuthCode.NOT_YOUR_SERVICE)


def _checked(drafts: Sequence[PageDraft]) -> list[dict[str, object]]:
    if not 1 <= len(drafts) <= MAX_BATCH:
        raise DomainError(PagesCode.TOO_MANY_PAGES, f"send 1 to {MAX_BATCH} pages at a time; split longer lists.")
    rows: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for index, draft in enumerate(drafts):
        where = f"pages[{index}]"
        try:
            page = normalise_page_url(draft.url, keep_query=draft.keep_query)
        except DomainError as error:
            raise DomainError(error.code, f"{where}.{error.message}") from None
        if page.digest in seen:
            raise DomainError(PagesCode.DUPLICATE_PAGE, f"{where} has the same address as pages[{seen[page.digest]}] "
                                                        "once normalised (fragment and query dropped); send it once.")
        seen[page.digest] = index
        service = check_service_id(draft.service_id, f"{where}.serviceId") if draft.service_id else None
        rows.append({"url": page.url, "url_hash": page.digest, "keep_query": draft.keep_query and "?" in page.url,
                     "service_id": service, "title": _title(draft.title, where)})
    return rows


def register_pages(session: Session, organisation_id: str, drafts: Sequence[PageDraft], *, actor: str,
                   now: dt.datetime) -> list[Page]:
    """Register (or update and bring back) the organisation's pages; the caller commits."""
    rows = _checked(drafts)
    _own_services(session, organisation_id, {str(r["service_id"]) for r in rows if r["service_id"]})
    hashes = [str(r["url_hash"]) for r in rows]
    count = session.scalar(select(func.count()).select_from(Page).where(Page.organisation_id == organisation_id,
                                                                        Page.url_hash.not_in(hashes))) or 0
    if count + len(rows) > MAX_PAGES:
        raise DomainError(PagesCode.TOO_MANY_PAGES, f"an organisation may register at most {MAX_PAGES} pages; "
                                                    "register the pages that matter most.")
    for row in rows:
        values = {**row, "organisation_id": organisation_id, "created_at": now, "updated_at": now,
                  "retired_at": None}
        insert = dialect_insert(session, PAGE_TABLE).values(**values)
        session.execute(insert.on_conflict_do_update(
            index_elements=["organisation_id", "url_hash"],
            set_={"service_id": row["service_id"], "title": row["title"], "keep_query": row["keep_query"],
                  "updated_at": now, "retired_at": None}))
    record(session, actor=actor, action="pages.register", subject=organisation_id, now=now, count=len(rows))
    session.expire_all()
    found = {p.url_hash: p for p in session.scalars(select(Page).where(Page.organisation_id == organisation_id,
                                                                      Page.url_hash.in_(hashes)))}
    return [found[h] for h in hashes]


def parse_page_id(raw: str) -> int:
    """A page id from the API; INVALID_ID otherwise."""
    text = raw.strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else 0
    if not 1 <= number <= MAX_PAGE_ID:
        raise DomainError(RegistryCode.INVALID_ID, f"a page id is a whole number from 1 to {MAX_PAGE_ID}; take it "
                                                   "from `pages { id }`.")
    return number


def list_pages(session: Session, organisation_id: str, *, include_retired: bool = False,
               service_id: str | None = None, first: int = 100, after: int | None = None) -> list[Page]:
    """The organisation's pages, oldest first, ``first`` per page of results (page on with ``after``)."""
    stmt = select(Page).where(Page.organisation_id == organisation_id).order_by(Page.id).limit(first)
    if not include_retired:
        stmt = stmt.where(Page.retired_at.is_(None))
    if service_id is not None:
        stmt = stmt.where(Page.service_id == service_id)
    if after is not None:
        stmt = stmt.where(Page.id > after)
    return list(session.scalars(stmt))


def retire_pages(session: Session, organisation_id: str, ids: Sequence[int], *, actor: str,
                 now: dt.datetime) -> list[Page]:
    """Retire the organisation's pages (their answers are refused from now on; figures stay); idempotent."""
    if not 1 <= len(ids) <= MAX_BATCH:
        raise DomainError(PagesCode.TOO_MANY_PAGES, f"retire 1 to {MAX_BATCH} pages at a time.")
    pages = {p.id: p for p in session.scalars(select(Page).where(Page.organisation_id == organisation_id,
                                                                 Page.id.in_(set(ids))).with_for_update())}
    for page_id in ids:
        if page_id not in pages:
            raise DomainError(PagesCode.UNKNOWN_PAGE, f"page {page_id} is not one of your organisation's pages; "
                                                      "take the id from `pages { id }`.")
    for page in pages.values():
        if page.retired_at is None:
            page.retired_at = page.updated_at = now
    record(session, actor=actor, action="pages.retire", subject=organisation_id, now=now, count=len(pages))
    session.flush()
    return [pages[i] for i in dict.fromkeys(ids)]
