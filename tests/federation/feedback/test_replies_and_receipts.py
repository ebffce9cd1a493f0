"""Public replies (to an item, to a driver group with a computed count), withdrawal, and the receipt page's view."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from federation.analytics.events import EventDraft, record_event
from federation.audit.models import AuditEvent
from federation.db import Database
from federation.errors import DomainError
from federation.feedback.items import Level, Status
from federation.feedback.models import FeedbackReceipt, FeedbackState
from federation.feedback.receipts import ALPHABET, issue_receipt, new_code, normalised, receipt_view
from federation.feedback.replies import GroupScope, ReplyText, reply_to_group, reply_to_item, withdraw
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B
from tests.federation.feedback.seed import rating, registry

TODAY = NOW.date()
DAY = dt.timedelta(days=1)


def code_of(call: object) -> str:
    assert callable(call)
    with pytest.raises(DomainError) as refused:
        call()
    return str(refused.value.code)


def test_codes_are_80_random_bits_typed_leniently() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    code = next(iter(codes))
    assert len(code) == 19 and code.count("-") == 3 and set(code.replace("-", "")) <= set(ALPHABET)
    assert len(ALPHABET) ** 16 == 2**80
    assert normalised(code.lower().replace("-", " ")) == code.replace("-", "")
    assert normalised("oooo-iiii-llll-0000") == "0000111111110000"
    assert normalised("BA66-056B") is None and normalised("U" * 16) is None and normalised("x" * 1000) is None


def test_the_receipt_page_shows_own_and_group_replies_only(database: Database) -> None:
    with database.transaction() as session:
        registry(session)
        mine = rating(session, "a1", value=1, drivers="efficiency,staff", at=NOW - 2 * DAY)
        rating(session, "a2", value=2, drivers="efficiency", at=NOW - DAY)
        rating(session, "a3", value=5, drivers="efficiency", at=NOW - DAY)  # HIGH: not in a LOW group
        rating(session, "a4", value=1, drivers="ease", at=NOW - DAY)
        code = issue_receipt(session, mine, now=NOW)
        stored = session.scalars(select(FeedbackReceipt.code_hash)).one()
        event = record_event(session, EventDraft(SERVICE_A, TODAY, "Lisää kassoja", None, "More desks", True),
                             organisation_id=ORG_A, actor="t", now=NOW, today=TODAY)
        group = reply_to_group(session, organisation_id=ORG_A, actor="t", now=NOW, today=TODAY,
                               scope=GroupScope(SERVICE_A, "efficiency", TODAY - 7 * DAY, TODAY, Level.LOW),
                               reply=ReplyText("Kuulimme jonoista.", "fi", event.id))
        reply_to_group(session, organisation_id=ORG_A, actor="t", now=NOW, today=TODAY,
                       scope=GroupScope(SERVICE_A, "ease", TODAY - 7 * DAY, TODAY), reply=ReplyText("Ease.", "en"))
        reply_to_item(session, organisation_id=ORG_A, rating_id=mine, actor="t", now=NOW,
                      reply=ReplyText("Kiitos palautteesta.", "fi"))
        assert session.get(FeedbackState, mine).status == Status.ANSWERED.value  # type: ignore[union-attr]
    assert code.replace("-", "") not in stored and group.answer_count == 2
    with database.transaction(write=False) as session:
        view = receipt_view(session, code.lower())
        assert view is not None
        assert (view.service.name_fi, view.month) == ("Kirjastokortti", "2026-03")
        assert [(r.text, r.answer_count, r.driver) for r in view.replies] == [
            ("Kuulimme jonoista.", 2, "efficiency"), ("Kiitos palautteesta.", 1, None)]
        assert view.replies[0].change is not None and view.replies[0].change.description_en == "More desks"
        assert receipt_view(session, new_code()) is None and receipt_view(session, "nonsense") is None
    with database.transaction() as session:
        withdraw(session, organisation_id=ORG_A, reply_id=group.id, actor="t", now=NOW)
        assert code_of(lambda: withdraw(session, organisation_id=ORG_A, reply_id=group.id, actor="t",
                                        now=NOW)) == "REPLY_WITHDRAWN"
    with database.transaction(write=False) as session:
        view = receipt_view(session, code)
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("feedback.reply.%"))).all()
    assert view is not None and [r.text for r in view.replies] == ["Kiitos palautteesta."]
    assert sorted(actions) == ["feedback.reply.publish"] * 3 + ["feedback.reply.withdraw"]


def test_reply_refusals(database: Database) -> None:
    with database.transaction() as session:
        registry(session)
        mine = rating(session, "a1")
        theirs = rating(session, "b1", org=ORG_B, service=SERVICE_B)
        event = record_event(session, EventDraft(SERVICE_B, TODAY, "Muutos", None, None, True),
                             organisation_id=ORG_B, actor="t", now=NOW, today=TODAY)
    ok = ReplyText("Kiitos.", "fi")
    cases = [
        (lambda s: reply_to_item(s, organisation_id=ORG_A, rating_id=theirs, reply=ok, actor="t", now=NOW),
         "UNKNOWN_FEEDBACK"),
        (lambda s: reply_to_item(s, organisation_id=ORG_A, rating_id=mine, reply=ReplyText(" ", "fi"), actor="t",
                                 now=NOW), "INVALID_REPLY"),
        (lambda s: reply_to_item(s, organisation_id=ORG_A, rating_id=mine, reply=ReplyText("x" * 1001, "fi"),
                                 actor="t", now=NOW), "INVALID_REPLY"),
        (lambda s: reply_to_item(s, organisation_id=ORG_A, rating_id=mine, reply=ReplyText("x", "de"),
                                 actor="t", now=NOW), "INVALID_REPLY"),
        (lambda s: reply_to_item(s, organisation_id=ORG_A, rating_id=mine, reply=ReplyText("x", "fi", event.id),
                                 actor="t", now=NOW), "EVENT_NOT_OF_SERVICE"),
        (lambda s: reply_to_group(s, organisation_id=ORG_A, scope=GroupScope(SERVICE_B, "ease", TODAY, TODAY),
                                  reply=ok, actor="t", now=NOW, today=TODAY), "NOT_YOUR_SERVICE"),
        (lambda s: reply_to_group(s, organisation_id=ORG_A, scope=GroupScope(SERVICE_A, "queue", TODAY, TODAY),
                                  reply=ok, actor="t", now=NOW, today=TODAY), "UNKNOWN_DRIVER"),
        (lambda s: reply_to_group(s, organisation_id=ORG_A, scope=GroupScope(SERVICE_A, "ease", TODAY, TODAY),
                                  reply=ok, actor="t", now=NOW, today=TODAY), "EMPTY_GROUP"),
        (lambda s: reply_to_group(s, organisation_id=ORG_A, reply=ok, actor="t", now=NOW, today=TODAY,
                                  scope=GroupScope(SERVICE_A, "ease", TODAY, TODAY - DAY)), "INVALID_FILTER"),
        (lambda s: reply_to_group(s, organisation_id=ORG_A, reply=ok, actor="t", now=NOW, today=TODAY,
                                  scope=GroupScope(SERVICE_A, "ease", dt.date(1, 1, 1), dt.date(1, 1, 2))),
         "INVALID_FILTER"),
        (lambda s: withdraw(s, organisation_id=ORG_A, reply_id=10**12, actor="t", now=NOW), "UNKNOWN_REPLY"),
    ]
    for call, code in cases:
        with database.transaction() as session:
            assert code_of(lambda: call(session)) == code  # noqa: B023
