"""The feedback inbox: only the organisation's own services, newest first, filters, keyset pages, decryption."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from federation.db import Database
from federation.errors import DomainError
from federation.feedback.inbox import Cursor, InboxFilter, read_inbox, record_inbox_read
from federation.feedback.items import Level, Status
from federation.feedback.workflow import set_status
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B
from tests.federation.feedback.seed import RING, rating, registry

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def seeded(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        registry(session)
        return {"low": rating(session, "a1", value=1, at=NOW - 3 * HOUR),
               "mid": rating(session, "a2", value=3, text=None, drivers="staff", at=NOW - 2 * HOUR),
               "high": rating(session, "a3", value=5, text="Kiitos", drivers=None, at=NOW - HOUR),
               "plain": rating(session, "a4", value=4, text=None, drivers=None, at=NOW),
               "other": rating(session, "b1", org=ORG_B, service=SERVICE_B, text="Toisen", at=NOW)}


def read(database: Database, org: str = ORG_A, flt: InboxFilter | None = None, **kw: object) -> list[int]:
    with database.transaction(write=False) as session:
        page = read_inbox(session, org, RING, flt or InboxFilter(), **kw)  # type: ignore[arg-type]
    return [item.rating_id for item in page.items]


def test_newest_first_own_services_follow_ups_only_decrypted(database: Database, seeded: dict[str, int]) -> None:
    assert read(database) == [seeded["high"], seeded["mid"], seeded["low"]]
    assert read(database, ORG_B) == [seeded["other"]]
    with database.transaction(write=False) as session:
        items = read_inbox(session, ORG_A, RING, InboxFilter()).items
    assert [(i.text, i.band, i.drivers, i.status) for i in items] == [
        ("Kiitos", Level.HIGH.value, (), Status.RECEIVED), (None, Level.MID.value, ("staff",), Status.RECEIVED),
        ("Jono oli pitkä", Level.LOW.value, ("efficiency",), Status.RECEIVED)]


def test_filters(database: Database, seeded: dict[str, int]) -> None:
    assert read(database, flt=InboxFilter(level=Level.LOW)) == [seeded["low"]]
    assert read(database, flt=InboxFilter(level=Level.MID)) == [seeded["mid"]]
    assert read(database, flt=InboxFilter(driver="staff")) == [seeded["mid"]]
    assert read(database, flt=InboxFilter(start=NOW - 2 * HOUR, end=NOW)) == [seeded["high"], seeded["mid"]]
    assert read(database, flt=InboxFilter(service_id=SERVICE_A, channel_id="none")) == []
    with database.transaction() as session:
        set_status(session, organisation_id=ORG_A, rating_id=seeded["mid"], status=Status.READ, actor="t", now=NOW)
    assert read(database, flt=InboxFilter(status=Status.READ)) == [seeded["mid"]]
    assert read(database, flt=InboxFilter(status=Status.RECEIVED)) == [seeded["high"], seeded["low"]]


def test_keyset_pages_cover_everything_once(database: Database, seeded: dict[str, int]) -> None:
    with database.transaction() as session:
        for n in range(7):  # same answered-at time: the id breaks the tie
            rating(session, f"same{n}", at=NOW - 5 * HOUR)
    seen: list[int] = []
    after = None
    while True:
        with database.transaction(write=False) as session:
            page = read_inbox(session, ORG_A, RING, InboxFilter(), first=4, after=after)
        seen += [i.rating_id for i in page.items]
        if not page.has_more:
            break
        after = page.items[-1].cursor
    assert len(seen) == len(set(seen)) == 10
    assert Cursor.decode(Cursor(NOW, 5).encode()) == Cursor(NOW, 5)


@pytest.mark.parametrize(("flt", "kw", "code"), [
    (InboxFilter(), {"first": 0}, "PAGE_TOO_LARGE"),
    (InboxFilter(), {"first": 101}, "PAGE_TOO_LARGE"),
    (InboxFilter(), {"after": "nope"}, "INVALID_CURSOR"),
    (InboxFilter(), {"after": "9" * 40}, "INVALID_CURSOR"),
    (InboxFilter(), {"after": "1." + "9" * 19}, "INVALID_CURSOR"),  # beyond BIGINT
    (InboxFilter(driver="queue%"), {}, "UNKNOWN_DRIVER"),
    (InboxFilter(start=NOW, end=NOW), {}, "INVALID_FILTER"),
    (InboxFilter(service_id=SERVICE_B), {}, "NOT_YOUR_SERVICE"),
])
def test_bad_filters_are_refused_with_codes(database: Database, seeded: dict[str, int], flt: InboxFilter,
                                            kw: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as refused:
        read(database, flt=flt, **kw)
    assert refused.value.code == code


def test_a_read_is_audited_without_texts(database: Database, seeded: dict[str, int]) -> None:
    with database.transaction() as session:
        record_inbox_read(session, organisation_id=ORG_A, actor="token:1", now=NOW, count=3,
                          flt=InboxFilter(driver="staff"))
    with database.transaction(write=False) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.read")).one()
    assert event.detail == {"count": 3, "service": None, "filters": ["driver"]}
