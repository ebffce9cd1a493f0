"""The feedback inbox and public replies through GraphQL: who may read and answer, transitions, audit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from tests.conftest import SERVICE_A, SERVICE_B, Api
from tests.schema.widget_support import answer, draw, follow_up, mint, pin_question, ticket_key

INBOX = """query($filter: FeedbackFilter, $first: Int, $after: String) {
  feedbackInbox(filter: $filter, first: $first, after: $after) {
    items { id serviceId value band drivers text readable status handler notes { organisationId text } }
    endCursor hasMore } }"""
STATUS = "mutation($id: ID!, $s: FeedbackStatus!) { setFeedbackStatus(id: $id, status: $s) { id status handler } }"
ASSIGN = "mutation($id: ID!, $h: String) { assignFeedback(id: $id, handler: $h) { id status handler } }"
NOTE = "mutation($id: ID!, $t: String!) { addFeedbackNote(id: $id, text: $t) { organisationId text } }"
REPLY = """mutation($input: PublishFeedbackReplyInput!) { publishFeedbackReply(input: $input) {
  id feedbackId driver band from to answerCount text language withdrawnAt } }"""
WITHDRAW = "mutation($id: ID!) { withdrawFeedbackReply(id: $id) { id withdrawnAt } }"
REPLIES = "query($w: Boolean!) { feedbackReplies(includeWithdrawn: $w) { id text } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def data(body: dict[str, Any], field: str) -> Any:
    assert "errors" not in body, body
    return body["data"][field]


def give_feedback(api: Api, value: int = 1, drivers: tuple[str, ...] = ("efficiency",),
                  text: str | None = "Jonotin tunnin") -> str:
    """A citizen answers through the widget with a follow-up; returns the receipt code."""
    key = ticket_key(api)
    drawn = draw(api)
    ticket = mint(api, key)
    result = answer(api, drawn, ticket, value)
    assert follow_up(api, drawn, ticket, list(drivers), text)["status"] == "ACCEPTED"
    return str(result["receipt"])


@pytest.fixture
def fed(api: Api) -> Api:
    pin_question(api, "national.transaction-smooth")
    give_feedback(api)
    return api


def test_the_organisation_reads_its_inbox_and_others_cannot(fed: Api) -> None:
    page = data(fed.gql(INBOX, token="org_a"), "feedbackInbox")
    assert [(i["serviceId"], i["value"], i["band"], i["drivers"], i["text"], i["status"]) for i in page["items"]] == [
        (SERVICE_A, 1, "LOW", ["efficiency"], "Jonotin tunnin", "RECEIVED")]
    assert data(fed.gql(INBOX, token="org_b"), "feedbackInbox")["items"] == []
    assert codes(fed.gql(INBOX, {"filter": {"serviceId": SERVICE_A}}, token="org_b")) == ["NOT_YOUR_SERVICE"]
    assert codes(fed.gql(INBOX, token="researcher")) == ["FORBIDDEN"]
    assert codes(fed.gql(INBOX, token="admin")) == ["FORBIDDEN"]
    assert codes(fed.gql(INBOX)) == ["UNAUTHENTICATED"]
    with fed.database.transaction(write=False) as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.read")).all()
    assert [r.detail["count"] for r in reads] == [1, 0]


def test_filters_and_paging_are_checked(fed: Api) -> None:
    assert data(fed.gql(INBOX, {"filter": {"band": "HIGH"}}, token="org_a"), "feedbackInbox")["items"] == []
    assert len(data(fed.gql(INBOX, {"filter": {"driver": "efficiency", "status": "RECEIVED"}}, token="org_a"),
                    "feedbackInbox")["items"]) == 1
    assert codes(fed.gql(INBOX, {"first": 1000}, token="org_a")) == ["PAGE_TOO_LARGE"]
    assert codes(fed.gql(INBOX, {"after": "x" * 5000}, token="org_a")) == ["INVALID_CURSOR"]
    assert codes(fed.gql(INBOX, {"filter": {"driver": "%"}}, token="org_a")) == ["UNKNOWN_DRIVER"]
    assert codes(fed.gql(INBOX, {"filter": {"band": "WORST"}}, token="org_a")) == ["GRAPHQL_VALIDATION_FAILED"]


def test_handling_an_item(fed: Api) -> None:
    item = data(fed.gql(INBOX, token="org_a"), "feedbackInbox")["items"][0]["id"]
    assert data(fed.gql(STATUS, {"id": item, "s": "READ"}, token="org_a"), "setFeedbackStatus")["status"] == "READ"
    assert data(fed.gql(ASSIGN, {"id": item, "h": "Maija V"}, token="org_a"), "assignFeedback")["handler"] == "Maija V"
    assert codes(fed.gql(ASSIGN, {"id": item, "h": "maija@example.fi"}, token="org_a")) == ["INVALID_HANDLER"]
    assert data(fed.gql(NOTE, {"id": item, "t": "Soitetaan"}, token="org_a"), "addFeedbackNote")["text"] == "Soitetaan"
    assert data(fed.gql(STATUS, {"id": item, "s": "ANSWERED"}, token="org_a"), "setFeedbackStatus")["status"] == (
        "ANSWERED")
    refused = fed.gql(STATUS, {"id": item, "s": "RECEIVED"}, token="org_a")
    assert codes(refused) == ["INVALID_STATUS_TRANSITION"]
    assert "ANSWERED cannot become RECEIVED" in refused["errors"][0]["message"]
    for mutation, variables in ((STATUS, {"s": "READ"}), (ASSIGN, {"h": "x"}), (NOTE, {"t": "x"})):
        assert codes(fed.gql(mutation, {"id": item, **variables}, token="org_b")) == ["UNKNOWN_FEEDBACK"]
        assert codes(fed.gql(mutation, {"id": item, **variables}, token="researcher")) == ["FORBIDDEN"]
        assert codes(fed.gql(mutation, {"id": "-1", **variables}, token="org_a")) == ["UNKNOWN_FEEDBACK"]
    got = data(fed.gql(INBOX, token="org_a"), "feedbackInbox")["items"][0]
    assert (got["status"], got["handler"], got["notes"]) == ("ANSWERED", "Maija V",
                                                            [{"organisationId": "1000001-2", "text": "Soitetaan"}])
    with fed.database.transaction(write=False) as session:
        details = repr(session.scalars(select(AuditEvent.detail).where(AuditEvent.action.like("feedback.%"))).all())
    assert "Maija" not in details and "Soitetaan" not in details


def test_replies_to_an_item_and_a_group(fed: Api) -> None:
    give_feedback(fed, value=2, drivers=("efficiency", "staff"), text=None)
    item = data(fed.gql(INBOX, {"filter": {"driver": "staff"}}, token="org_a"), "feedbackInbox")["items"][0]["id"]
    one = {"feedbackId": item, "text": "Kiitos, korjasimme tämän.", "language": "FI"}
    assert codes(fed.gql(REPLY, {"input": one}, token="org_b")) == ["UNKNOWN_FEEDBACK"]
    assert codes(fed.gql(REPLY, {"input": one}, token="researcher")) == ["FORBIDDEN"]
    assert codes(fed.gql(REPLY, {"input": one})) == ["UNAUTHENTICATED"]
    replied = data(fed.gql(REPLY, {"input": one}, token="org_a"), "publishFeedbackReply")
    assert (replied["feedbackId"], replied["answerCount"], replied["language"]) == (item, 1, "FI")
    day = fed.clock.now.date().isoformat()
    group = {"group": {"serviceId": SERVICE_A, "driver": "efficiency", "from": day, "to": day, "band": "LOW"},
             "text": "Kuulimme teitä jonoista.", "language": "FI"}
    grouped = data(fed.gql(REPLY, {"input": group}, token="org_a"), "publishFeedbackReply")
    assert (grouped["driver"], grouped["band"], grouped["answerCount"]) == ("efficiency", "LOW", 2)
    other = {**group, "group": {**group["group"], "serviceId": SERVICE_B}}
    assert codes(fed.gql(REPLY, {"input": other}, token="org_a")) == ["NOT_YOUR_SERVICE"]
    assert codes(fed.gql(REPLY, {"input": {**one, **group}}, token="org_a")) == ["INVALID_REPLY"]
    assert codes(fed.gql(REPLY, {"input": {**one, "text": "x" * 1001}}, token="org_a")) == ["INVALID_REPLY"]
    assert codes(fed.gql(WITHDRAW, {"id": grouped["id"]}, token="org_b")) == ["UNKNOWN_REPLY"]
    assert data(fed.gql(WITHDRAW, {"id": grouped["id"]}, token="org_a"), "withdrawFeedbackReply")["withdrawnAt"]
    assert codes(fed.gql(WITHDRAW, {"id": grouped["id"]}, token="org_a")) == ["REPLY_WITHDRAWN"]
    assert [r["id"] for r in data(fed.gql(REPLIES, {"w": False}, token="org_a"), "feedbackReplies")] == [
        replied["id"]]
    assert len(data(fed.gql(REPLIES, {"w": True}, token="org_a"), "feedbackReplies")) == 2
    assert data(fed.gql(REPLIES, {"w": True}, token="org_b"), "feedbackReplies") == []
    status = data(fed.gql(INBOX, {"filter": {"status": "ANSWERED"}}, token="org_a"), "feedbackInbox")["items"]
    assert [i["id"] for i in status] == [item]
    with fed.database.transaction(write=False) as session:
        audited = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("feedback.rep%"))).all()
    assert sorted(audited) == ["feedback.replies.read"] * 3 + ["feedback.reply.publish"] * 2 + [
        "feedback.reply.withdraw"]


@pytest.mark.parametrize("variables", [
    {"filter": {"from": "0001-01-01T00:00:00Z", "to": "9999-12-30T00:00:00Z"}},
    {"filter": {"from": "2026-01-01T00:00:00"}},
    {"filter": {"serviceId": "not-a-guid"}},
    {"filter": {"channelId": "x" * 10_000}},
    {"after": "99999999999999999.999999999999999999"},
])
def test_extreme_filters_are_answered_or_refused_with_a_code(fed: Api, variables: dict[str, Any]) -> None:
    body = fed.gql(INBOX, variables, token="org_a")
    assert "INTERNAL_ERROR" not in codes(body)
    assert "errors" in body or body["data"]["feedbackInbox"]["items"] is not None


@pytest.mark.parametrize("raw_id", ["0", "-1", "1e9", "9" * 19, "x" * 5000, "١٢"])
def test_malformed_ids_are_unknown_items(fed: Api, raw_id: str) -> None:
    assert codes(fed.gql(STATUS, {"id": raw_id, "s": "READ"}, token="org_a")) == ["UNKNOWN_FEEDBACK"]
    assert codes(fed.gql(WITHDRAW, {"id": raw_id}, token="org_a")) == ["UNKNOWN_REPLY"]


THEMED = """query($filter: FeedbackFilter, $locale: Locale!) {
  feedbackInbox(filter: $filter, first: 5, locale: $locale) { items { text themes { key label } } hasMore } }"""


def test_the_inbox_filters_by_theme_and_a_theme_group_reply_reaches_the_receipt(fed: Api) -> None:
    page = data(fed.gql(THEMED, {"filter": {"theme": "queueing"}, "locale": "EN"}, token="org_a"), "feedbackInbox")
    assert page["items"] == [{"text": "Jonotin tunnin", "themes": [{"key": "queueing",
                                                                     "label": "Queueing and waiting"}]}]
    assert data(fed.gql(THEMED, {"filter": {"theme": "costs_fees"}, "locale": "FI"}, token="org_a"),
                "feedbackInbox") == {"items": [], "hasMore": False}
    assert codes(fed.gql(THEMED, {"filter": {"theme": "x" * 500}, "locale": "FI"}, token="org_a")) == [
        "UNKNOWN_THEME"]
    today = fed.clock.now.date().isoformat()
    group = {"serviceId": SERVICE_A, "theme": "queueing", "from": today, "to": today}
    reply = data(fed.gql(REPLY, {"input": {"group": group, "language": "FI", "text": "Lisäsimme kassan."}},
                         token="org_a"), "publishFeedbackReply")
    assert (reply["driver"], reply["answerCount"]) == (None, 1)
    for wrong, code in (({**group, "theme": "nope"}, "UNKNOWN_THEME"), ({**group, "driver": "ease"}, "INVALID_REPLY"),
                        ({**group, "theme": "costs_fees"}, "EMPTY_GROUP")):
        assert codes(fed.gql(REPLY, {"input": {"group": wrong, "language": "FI", "text": "x"}}, token="org_a")) == [
            code]
