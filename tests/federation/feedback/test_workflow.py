"""Handling feedback: status transitions, handlers, sealed notes, audit without names or texts."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from federation.audit.models import AuditEvent
from federation.db import Database
from federation.errors import DomainError
from federation.feedback.inbox import InboxFilter, read_inbox
from federation.feedback.items import Status
from federation.feedback.models import FeedbackNote, FeedbackReceipt, FeedbackReply, FeedbackState
from federation.feedback.notes import MAX_NOTE
from federation.feedback.receipts import issue_receipt
from federation.feedback.replies import ReplyText, reply_to_item
from federation.feedback.workflow import assign, checked_handler, note, set_status
from federation.ratings.models import Rating
from tests.conftest import NOW, ORG_A, ORG_B
from tests.federation.feedback.seed import RING, rating, registry


@pytest.fixture
def item(database: Database) -> int:
    with database.transaction() as session:
        registry(session)
        return rating(session, "a1")


def move(database: Database, item: int, status: Status, org: str = ORG_A) -> str:
    with database.transaction() as session:
        return set_status(session, organisation_id=org, rating_id=item, status=status, actor="t", now=NOW).status


def code_of(call: object) -> str:
    assert callable(call)
    with pytest.raises(DomainError) as refused:
        call()
    return str(refused.value.code)


def test_statuses_move_forward_and_never_back_to_received(database: Database, item: int) -> None:
    assert move(database, item, Status.READ) == "READ"
    assert move(database, item, Status.READ) == "READ"  # staying is no change
    assert move(database, item, Status.IN_PROGRESS) == "IN_PROGRESS"
    assert move(database, item, Status.ANSWERED) == "ANSWERED"
    with pytest.raises(DomainError) as refused:
        move(database, item, Status.RECEIVED)
    assert refused.value.code == "INVALID_STATUS_TRANSITION"
    assert "ANSWERED cannot become RECEIVED" in refused.value.message
    assert code_of(lambda: move(database, item, Status.READ)) == "INVALID_STATUS_TRANSITION"
    assert move(database, item, Status.IN_PROGRESS) == "IN_PROGRESS"  # reopened
    with database.transaction(write=False) as session:
        moves = [(e.detail["before"], e.detail["after"]) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "feedback.status").order_by(AuditEvent.id))]
    assert moves == [("RECEIVED", "READ"), ("READ", "IN_PROGRESS"), ("IN_PROGRESS", "ANSWERED"),
                     ("ANSWERED", "IN_PROGRESS")]


def test_another_organisation_cannot_touch_the_item(database: Database, item: int) -> None:
    assert code_of(lambda: move(database, item, Status.READ, ORG_B)) == "UNKNOWN_FEEDBACK"
    assert code_of(lambda: move(database, 10**12, Status.READ)) == "UNKNOWN_FEEDBACK"


@pytest.mark.parametrize("raw", ["maija@example.fi", "x" * 41, "<script>", "-dash first", "nul\x00here"])
def test_handlers_are_short_names_or_handles(raw: str) -> None:
    assert code_of(lambda: checked_handler(raw)) == "INVALID_HANDLER"


def test_assigning_a_handler_is_audited_without_the_name(database: Database, item: int) -> None:
    assert checked_handler("  Maija   V ") == "Maija V" and checked_handler("") is None
    with database.transaction() as session:
        assert assign(session, organisation_id=ORG_A, rating_id=item, handler="Maija V", actor="t",
                      now=NOW).handler == "Maija V"
    with database.transaction(write=False) as session:
        page = read_inbox(session, ORG_A, RING, InboxFilter())
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.assign")).all()
    assert page.items[0].handler == "Maija V"
    assert [e.detail for e in events] == [{"organisation": ORG_A, "assigned": True}]
    assert "Maija" not in repr([e.detail for e in events])


def test_notes_are_sealed_and_read_back(database: Database, item: int) -> None:
    with database.transaction() as session:
        note(session, RING, organisation_id=ORG_A, rating_id=item, text=" Soitettu asiakkaalle ", actor="t",
             now=NOW)
    with database.transaction(write=False) as session:
        sealed = session.scalars(select(FeedbackNote.sealed_text)).one()
        page = read_inbox(session, ORG_A, RING, InboxFilter())
    assert b"Soitettu" not in sealed
    assert [n.text for n in page.items[0].notes] == ["Soitettu asiakkaalle"]
    for bad in ("", " ", "x" * (MAX_NOTE + 1), "a\x00b"):
        with database.transaction() as session:
            assert code_of(lambda: note(session, RING, organisation_id=ORG_A, rating_id=item, text=bad,  # noqa: B023
                                        actor="t", now=NOW)) == "INVALID_NOTE"


def test_erasing_the_rating_erases_its_handling_notes_receipt_and_reply(database: Database, item: int) -> None:
    with database.transaction() as session:
        assign(session, organisation_id=ORG_A, rating_id=item, handler="Maija", actor="t", now=NOW)
        note(session, RING, organisation_id=ORG_A, rating_id=item, text="x", actor="t", now=NOW)
        issue_receipt(session, item, now=NOW)
        reply_to_item(session, organisation_id=ORG_A, rating_id=item, reply=ReplyText("Kiitos", "fi"), actor="t",
                      now=NOW)
    with database.transaction() as session:  # as erasure and retention delete: in bulk, by SQL
        session.execute(delete(Rating).where(Rating.id == item))
    with database.transaction(write=False) as session:
        left = [session.scalar(select(func.count()).select_from(table))
                for table in (FeedbackState, FeedbackNote, FeedbackReceipt, FeedbackReply)]
    assert left == [0, 0, 0, 0]
