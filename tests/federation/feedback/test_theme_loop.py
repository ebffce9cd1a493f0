"""Themes in the inbox and in replies: the theme filter's forward scan (keyset pages stay honest), theme keys per
item with merges, theme group replies counted from the period's texts, and receipts reached by a theme reply only
when the answer's text mentions the theme."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from federation.db import Database
from federation.errors import DomainError
from federation.feedback import inbox
from federation.feedback.inbox import InboxFilter, read_inbox
from federation.feedback.language import theme_matcher
from federation.feedback.receipts import ThemeReading, issue_receipt, receipt_view
from federation.feedback.replies import GroupScope, GroupTexts, ReplyText, reply_to_group
from federation.feedback.service import merge_theme, rename_theme
from federation.feedback.theming import theming_of
from tests.conftest import NOW, ORG_A, SERVICE_A
from tests.federation.feedback.seed import RING, rating, registry

TODAY = NOW.date()
MINUTE = dt.timedelta(minutes=1)
QUEUE, PHONE, COSTS = "Jonotin tunnin tiskille.", "Puhelimeen ei vastattu koskaan.", "Maksu oli liian kallis."


def _seed(database: Database) -> list[int]:
    """Twelve answers, newest last: every third about queueing, the rest about the phone or fees; and one with
    drivers only."""
    with database.transaction() as session:
        registry(session)
        ids = [rating(session, f"r{i}", text=(QUEUE, PHONE, COSTS)[i % 3], at=NOW - (20 - i) * MINUTE)
               for i in range(12)]
        rating(session, "no-text", text=None, at=NOW)
        return ids


def _page(database: Database, flt: InboxFilter, *, first: int, after: str | None = None) -> inbox.InboxPage:
    with database.transaction(write=False) as session:
        return read_inbox(session, ORG_A, RING, flt, first=first, after=after,
                          theming=theming_of(session, ORG_A, theme_matcher()))


def _flat(pages: list[list[int]]) -> list[int]:
    return [rating_id for page in pages for rating_id in page]


def _all_pages(database: Database, flt: InboxFilter, first: int) -> list[list[int]]:
    pages, after = [], None
    for _ in range(50):
        page = _page(database, flt, first=first, after=after)
        pages.append([item.rating_id for item in page.items])
        if not page.has_more:
            return pages
        after = page.end_cursor
    raise AssertionError("paging did not end")


def test_theme_pages_scan_forward_and_skip_nothing(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _seed(database)
    queueing = [ids[i] for i in reversed(range(0, 12, 3))]
    assert _flat(_all_pages(database, InboxFilter(theme="queueing"), 3)) == queueing
    monkeypatch.setattr(inbox, "SCAN_STEP", 2)
    monkeypatch.setattr(inbox, "MAX_SCAN", 4)  # a page scans at most 4 texts: some pages are short, even empty
    pages = _all_pages(database, InboxFilter(theme="queueing"), 3)
    assert _flat(pages) == queueing and len(pages) > 2 and all(len(p) <= 3 for p in pages)
    first = _page(database, InboxFilter(theme="queueing"), first=1)
    assert [i.themes for i in first.items] == [("queueing",)] and first.has_more and first.scanned == 4


def test_items_list_their_themes_with_merges_and_unknown_themes_are_refused(database: Database) -> None:
    ids = _seed(database)
    with database.transaction() as session:
        merge_theme(session, ORG_A, "phone_reachability", "queueing", actor="t", now=NOW)
    page = _page(database, InboxFilter(), first=20)
    themes = {item.rating_id: item.themes for item in page.items}
    assert themes[ids[0]] == ("queueing",) and themes[ids[1]] == ("queueing",)
    assert themes[ids[2]] == ("costs_fees",) and len(page.items) == 13
    assert len(_flat(_all_pages(database, InboxFilter(theme="phone_reachability"), 5))) == 8
    with pytest.raises(DomainError) as refused:
        _page(database, InboxFilter(theme="weather"), first=5)
    assert str(refused.value.code) == "UNKNOWN_THEME"


def _theme_reply(session: Session, theme: str) -> int:
    texts = GroupTexts(RING, theming_of(session, ORG_A, theme_matcher()))
    reply = reply_to_group(session, organisation_id=ORG_A, actor="t", now=NOW, today=TODAY, texts=texts,
                           scope=GroupScope(SERVICE_A, None, TODAY - dt.timedelta(days=1), TODAY, theme=theme),
                           reply=ReplyText("Lisäsimme palvelupisteen.", "fi"))
    return reply.answer_count


def test_a_theme_reply_counts_matching_texts_and_reaches_only_their_receipts(database: Database) -> None:
    ids = _seed(database)
    with database.transaction() as session:
        queue_code, fee_code = issue_receipt(session, ids[0], now=NOW), issue_receipt(session, ids[2], now=NOW)
        rename_theme(session, ORG_A, "queueing", "Asiakasjonot", actor="t", now=NOW)
        assert _theme_reply(session, "queueing") == 4
        with pytest.raises(DomainError) as empty:
            _theme_reply(session, "parking_location")
        assert str(empty.value.code) == "EMPTY_GROUP"
        with pytest.raises(DomainError) as both:
            reply_to_group(session, organisation_id=ORG_A, actor="t", now=NOW, today=TODAY,
                           scope=GroupScope(SERVICE_A, "efficiency", TODAY, TODAY, theme="queueing"),
                           reply=ReplyText("x", "fi"))
        assert str(both.value.code) == "INVALID_REPLY"
    with database.transaction(write=False) as session:
        reading = ThemeReading(RING, theme_matcher())
        queue_view, fee_view = receipt_view(session, queue_code, reading), receipt_view(session, fee_code, reading)
        blind = receipt_view(session, queue_code)
    assert queue_view is not None and fee_view is not None and blind is not None
    [reply] = queue_view.replies
    assert (reply.theme, reply.theme_label, reply.answer_count) == ("queueing", "Asiakasjonot", 4)
    assert fee_view.replies == () and blind.replies == ()
