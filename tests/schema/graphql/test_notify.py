"""GraphQL of notifications: organisations subscribe e-mail addresses and webhooks, list and delete them; inputs
are validated, addresses never stored or audited in clear, the webhook secret shown once
(schema/graphql/notify.py, federation/notify/subscriptions.py)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from federation.notify.models import NotificationSubscription
from tests.conftest import NOW, ORG_A, Api
from tests.federation.notify.support import free_port, notifier
from tests.schema.graphql.test_analytics import data, error_code

EMAIL = """mutation($input: SubscribeEmailInput!) { subscribeEmail(input: $input) {
  id channel target digest alertKinds locale createdAt } }"""
WEBHOOK = """mutation($input: AddWebhookInput!) { addWebhook(input: $input) {
  secret subscription { id channel target digest alertKinds locale } } }"""
LIST = "{ notificationSubscriptions { id channel target digest alertKinds } }"
DELETE = "mutation($id: ID!) { deleteNotificationSubscription(id: $id) }"


def _email(api: Api, token: str = "org_a", **fields: Any) -> dict[str, Any]:
    return api.gql(EMAIL, {"input": {"address": "Maija.Meikalainen@Example.fi", **fields}}, token=token)


def test_an_organisation_subscribes_lists_and_deletes(api: Api) -> None:
    made = data(_email(api, digest="DAILY", alertKinds=["score_drop"], locale="SV"))["subscribeEmail"]
    assert made["channel"] == "EMAIL" and made["target"] == "M…@example.fi"
    assert (made["digest"], made["alertKinds"], made["locale"]) == ("DAILY", ["SCORE_DROP"], "SV")
    hook = data(api.gql(WEBHOOK, {"input": {"url": "https://hooks.example.fi/arvio?token=abc",
                                            "alertKinds": ["SCORE_DROP"]}}, token="org_a"))["addWebhook"]
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert hook["subscription"]["target"] == "https://hooks.example.fi/…"
    listed = data(api.gql(LIST, token="org_a"))["notificationSubscriptions"]
    assert [s["id"] for s in listed] == [made["id"], hook["subscription"]["id"]]
    assert data(api.gql(LIST, token="org_b"))["notificationSubscriptions"] == []
    assert error_code(api.gql(DELETE, {"id": made["id"]}, token="org_b")) == "UNKNOWN_SUBSCRIPTION"
    assert data(api.gql(DELETE, {"id": made["id"]}, token="org_a"))["deleteNotificationSubscription"] is True
    assert [s["id"] for s in data(api.gql(LIST, token="org_a"))["notificationSubscriptions"]] == [
        hook["subscription"]["id"]]
    assert error_code(api.gql(DELETE, {"id": "9" * 30}, token="org_a")) == "INVALID_ID"


def test_addresses_urls_and_secrets_are_never_stored_or_audited_in_clear(api: Api) -> None:
    data(_email(api, digest="WEEKLY"))
    hook = data(api.gql(WEBHOOK, {"input": {"url": "https://hooks.example.fi/arvio/s3cr3t-path",
                                            "alertKinds": ["SCORE_DROP"]}}, token="org_a"))["addWebhook"]
    with api.database.transaction(write=False) as session:
        stored = b"".join(row.target_sealed + (row.secret_sealed or b"") + row.target_hint.encode()
                          for row in session.scalars(select(NotificationSubscription)))
        audit = " ".join(f"{e.action} {e.subject} {e.detail}" for e in session.scalars(select(AuditEvent)))
    for clear in (b"Maija", b"meikalainen", b"s3cr3t-path", hook["secret"].encode()):
        assert clear.lower() not in stored.lower()
        assert clear.decode().lower() not in audit.lower()
    assert "notify.subscribe" in audit and "target_hash" in audit


@pytest.mark.parametrize(("fields", "code"), [
    ({"address": "not an address"}, "INVALID_EMAIL"),
    ({"address": "a@b"}, "INVALID_EMAIL"),
    ({"address": "x" * 250 + "@example.fi"}, "INVALID_EMAIL"),
    ({"address": "Name <a@example.fi>"}, "INVALID_EMAIL"),
    ({"address": "a@example.fi\r\nBcc: b@example.fi"}, "INVALID_EMAIL"),
    ({"address": "a@example.fi", "digest": "NONE"}, "NOTHING_TO_NOTIFY"),
    ({"address": "a@example.fi", "alertKinds": ["NO_SUCH_KIND"]}, "UNKNOWN_ALERT_KIND"),
    ({"address": "a@example.fi", "alertKinds": ["SCORE_DROP"] * 21}, "TOO_MANY_ALERT_KINDS"),
])
def test_bad_email_subscriptions_are_refused_with_a_code(api: Api, fields: dict[str, Any], code: str) -> None:
    body = api.gql(EMAIL, {"input": fields}, token="org_a")
    assert error_code(body) == code
    assert "a@example.fi" not in body["errors"][0]["message"]


@pytest.mark.parametrize(("url", "kinds", "code"), [
    ("ftp://hooks.example.fi/x", ["SCORE_DROP"], "INVALID_WEBHOOK_URL"),
    ("https://user:pw@hooks.example.fi/x", ["SCORE_DROP"], "INVALID_WEBHOOK_URL"),
    ("https://hooks.example.fi/x#frag", ["SCORE_DROP"], "INVALID_WEBHOOK_URL"),
    ("https://hooks.example.fi/" + "x" * 2000, ["SCORE_DROP"], "INVALID_WEBHOOK_URL"),
    ("https://hooks.example.fi/a b", ["SCORE_DROP"], "INVALID_WEBHOOK_URL"),
    ("/relative", ["SCORE_DROP"], "INVALID_WEBHOOK_URL"),
    ("https://hooks.example.fi/x", [], "NOTHING_TO_NOTIFY"),
])
def test_bad_webhooks_are_refused_with_a_code(api: Api, url: str, kinds: list[str], code: str) -> None:
    assert error_code(api.gql(WEBHOOK, {"input": {"url": url, "alertKinds": kinds}}, token="org_a")) == code


def test_duplicates_limits_and_roles(api: Api) -> None:
    data(_email(api))
    assert error_code(_email(api, address=" maija.meikalainen@EXAMPLE.FI")) == "SUBSCRIPTION_EXISTS"
    assert "errors" not in _email(api, token="org_b")  # another organisation may subscribe the same address
    for i in range(19):
        data(_email(api, address=f"user{i}@example.fi"))
    assert error_code(_email(api, address="one.more@example.fi")) == "TOO_MANY_SUBSCRIPTIONS"
    for token in ("admin", "publisher", None):
        assert error_code(_email(api, token=token) if token else api.gql(LIST)) in {"FORBIDDEN", "UNAUTHENTICATED"}


def test_alert_kinds_are_listed(api: Api) -> None:
    kinds = data(api.gql("{ notificationAlertKinds { name description } }"))["notificationAlertKinds"]
    assert [k["name"] for k in kinds] == ["SCORE_DROP", "THEME_SURGE", "UNANSWERED_FEEDBACK"]
    assert all(k["description"] for k in kinds)


DELIVERIES = """query($first: Int!) { notificationDeliveries(first: $first) {
  subscriptionId kind dedupeKey status attempts lastErrorCode nextAttemptAt sentAt } }"""


def test_an_organisation_sees_how_its_deliveries_went(api: Api) -> None:
    url = f"http://127.0.0.1:{free_port()}/nobody-listens"
    hook = data(api.gql(WEBHOOK, {"input": {"url": url, "alertKinds": ["SCORE_DROP"]}}, token="org_a"))["addWebhook"]
    runner = notifier(api.database)
    runner.enqueue_test(ORG_A, now=NOW)
    runner.deliver_due(now=NOW)
    (delivery,) = data(api.gql(DELIVERIES, {"first": 10}, token="org_a"))["notificationDeliveries"]
    assert delivery["subscriptionId"] == hook["subscription"]["id"] and delivery["kind"] == "TEST"
    assert (delivery["status"], delivery["attempts"], delivery["lastErrorCode"]) == (
        "PENDING", 1, "HTTP_CONNECT_FAILED")
    assert delivery["nextAttemptAt"] is not None and delivery["sentAt"] is None
    assert data(api.gql(DELIVERIES, {"first": 10}, token="org_b"))["notificationDeliveries"] == []
    assert error_code(api.gql(DELIVERIES, {"first": 0}, token="org_a")) == "PAGE_TOO_LARGE"
    assert error_code(api.gql(DELIVERIES, {"first": 10}, token="admin")) == "FORBIDDEN"
