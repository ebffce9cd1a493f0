"""The whole loop, as people live it, in real headless Chromium against arvio served by uvicorn on 127.0.0.1.

A citizen answers the widget's demo page with one star and a Finnish free text about queueing; the organisation
finds it in its inbox under the theme "queueing" (GraphQL with its token, and the dashboard's inbox page in the
browser, with its own label of the theme), publishes a reply to the theme of its service over the period and
links a public service change; the citizen opens the receipt page ``/r/<code>`` and reads the reply and the
change; one pass of ``arvio notify run`` (``Notifier.run``) five days later e-mails the daily digest to a local
aiosmtpd server and posts the UNANSWERED_FEEDBACK alert to a local webhook receiver, whose signature is verified
with federation/notify/signing.py. Runs on SQLite and, with ``ARVIO_TEST_POSTGRES_URL``, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from federation.analytics.series import LOCAL_TIME_ZONE
from federation.db import Database, utcnow
from federation.notify.signing import verify_signature
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import RatingSubmission
from federation.ratings.ingest import submit_ratings
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.wiring import build_app
from tests.browser import ARTIFACTS, launch_chromium
from tests.conftest import ORG_A, SERVICE_A, TEST_KEY, Api
from tests.federation.notify.support import notifier, smtp_server, wait_for, webhook_receiver
from tests.live import serve

pytestmark = pytest.mark.browser

RING = KeyRing((TEST_KEY,))
TEXT = "Jonotin tunnin ennen kuin pääsin tiskille."
REPLY = "Kiitos palautteesta. Avasimme ruuhka-aikoina toisen palvelupisteen."
CHANGE = "Toinen palvelupiste auki ruuhka-aikoina"


@dataclass
class Live:
    """arvio served over real HTTP, the database behind it, the organisation's token and what the pages said."""

    base: str
    database: Database
    token: str
    problems: list[str] = field(default_factory=list)

    def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(f"{self.base}/graphql", json={"query": query, "variables": variables},
                              headers={"Authorization": f"Bearer {self.token}"}, timeout=60)
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def live(api: Api, app_settings: Settings) -> Iterator[Live]:
    """The registry of ``api`` served by uvicorn with the real clock, and ten published answers without texts."""
    now = utcnow()
    items = [RatingSubmission(client_ref=f"seed-{i}", service_id=SERVICE_A, question_id="national.transaction-smooth",
                              answered_at=now - dt.timedelta(hours=1), value=v)
             for i, v in enumerate([5, 4, 4, 5, 3, 4, 5, 4, 4, 5])]
    with api.database.transaction() as session:
        submit_ratings(session, ORG_A, items, now=now, protector=PrivacyProtector(RING))
    with serve(build_app(app_settings, database=api.database, run_migrations=False)) as base:
        yield Live(base, api.database, api.tokens["org_a"])


def new_page(browser: Any, live: Live) -> Any:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.on("console", lambda m: live.problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: live.problems.append(str(e)))
    return page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def citizen_answers(browser: Any, live: Live) -> tuple[str, str]:
    """One star and a text about queueing through the demo page; the receipt link and code it shows."""
    page = new_page(browser, live)
    page.goto(f"{live.base}/widget/demo?locale=fi")
    page.wait_for_selector(".arvio-w legend")
    page.locator("label.arvio-opt").nth(0).click()
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Mitä meidän pitäisi parantaa?").wait_for()
    page.get_by_label("Nopeus").check()
    page.get_by_label("Kerro halutessasi lisää").fill(TEXT)
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Kiitos palautteestasi!").wait_for()
    link = page.locator(".arvio-ref a")
    href, code = str(link.get_attribute("href")), link.inner_text()
    assert href == f"{live.base}/r/{code}?lang=fi"
    page.close()
    return href, code


THEMED_INBOX = """query($theme: ID!) { feedbackInbox(first: 10, locale: FI, filter: {theme: $theme}) {
  items { id serviceId text answeredAt status themes { key label } } hasMore } }"""
RENAME = """mutation { renameFeedbackTheme(key: "queueing", label: "Asiakasjonot") { key label } }"""
EVENT = """mutation($input: RecordServiceEventInput!) { recordServiceEvent(input: $input) { id } }"""
GROUP_REPLY = """mutation($input: PublishFeedbackReplyInput!) {
  publishFeedbackReply(input: $input) { id theme driver answerCount eventId } }"""
SUBSCRIBE = """mutation { subscribeEmail(input: {address: "palaute@example.fi", digest: DAILY,
  alertKinds: ["UNANSWERED_FEEDBACK"], locale: FI}) { id } }"""
WEBHOOK = """mutation($url: String!) { addWebhook(input: {url: $url, alertKinds: ["UNANSWERED_FEEDBACK"]}) {
  secret } }"""


def organisation_finds_it(live: Live) -> dict[str, Any]:
    """The organisation's inbox filtered by the theme holds the citizen's text, labelled with its own label."""
    live.gql(RENAME)
    items = live.gql(THEMED_INBOX, {"theme": "queueing"})["feedbackInbox"]["items"]
    [item] = [i for i in items if i["text"] == TEXT]
    assert {"key": "queueing", "label": "Asiakasjonot"} in item["themes"]
    assert item["status"] == "RECEIVED"
    others = live.gql(THEMED_INBOX, {"theme": "costs_fees"})["feedbackInbox"]["items"]
    assert all(i["text"] != TEXT for i in others)
    return item


def inbox_page_shows_it(browser: Any, live: Live, item_id: str) -> None:
    """The dashboard's inbox page, filtered by the theme, shows the item with the theme's label."""
    page = new_page(browser, live)
    page.goto(f"{live.base}/dashboard/organisation?lang=fi")
    page.keyboard.type(live.token)
    page.keyboard.press("Enter")
    page.wait_for_selector("#feedback-link")
    page.click("#feedback-link")
    page.wait_for_selector('body[data-ready="true"]')
    with page.expect_response(lambda r: r.url.endswith("/graphql") and "Inbox" in (r.request.post_data or "")):
        page.select_option("#filter-theme", "queueing")
    page.wait_for_selector('body[data-ready="true"]')
    item = page.locator(f'[data-feedback-id="{item_id}"]')
    item.wait_for()
    assert item.locator("blockquote").inner_text() == TEXT
    assert "Asiakasjonot" in item.locator(".themes").inner_text()
    shot(page, "closing-the-loop-inbox.png")
    page.close()


def organisation_answers(live: Live, item: dict[str, Any]) -> None:
    """A public change of the service and a reply to the theme over the answer's local day, linking it."""
    day = dt.datetime.fromisoformat(item["answeredAt"]).astimezone(LOCAL_TIME_ZONE).date()
    event = live.gql(EVENT, {"input": {"serviceId": SERVICE_A, "occurredOn": day.isoformat(),
                                       "description": {"fi": CHANGE}, "public": True}})["recordServiceEvent"]
    reply = live.gql(GROUP_REPLY, {"input": {
        "group": {"serviceId": SERVICE_A, "theme": "queueing", "from": day.isoformat(), "to": day.isoformat()},
        "language": "FI", "text": REPLY, "eventId": event["id"]}})["publishFeedbackReply"]
    assert (reply["theme"], reply["driver"], reply["answerCount"], reply["eventId"]) == (
        "queueing", None, 1, event["id"])


def citizen_reads_the_reply(browser: Any, live: Live, href: str) -> None:
    page = new_page(browser, live)
    page.goto(href)
    page.get_by_role("heading", name=re.compile("Asiakasjonot")).wait_for()
    main = page.locator("main").inner_text()
    assert REPLY in main and CHANGE in main
    assert "Jonotin" not in page.content()
    shot(page, "closing-the-loop-receipt.png")
    page.close()


def notifications_arrive(live: Live, answered_at: str) -> None:
    """Five local days after the answer, one pass sends the daily digest and posts the signed alert."""
    live.gql(SUBSCRIBE)
    answered_day = dt.datetime.fromisoformat(answered_at).astimezone(LOCAL_TIME_ZONE).date()
    run_at = dt.datetime.combine(answered_day + dt.timedelta(days=6), dt.time(1), tzinfo=LOCAL_TIME_ZONE)
    with smtp_server() as (inbox, port), webhook_receiver([204]) as (receiver, url):
        secret = live.gql(WEBHOOK, {"url": url})["addWebhook"]["secret"]
        report = notifier(live.database, port).run(now=run_at.astimezone(dt.UTC))
        assert (report.enqueued, report.sent, report.failed) == (3, 3, 0)
        wait_for(lambda: len(inbox.messages) == 2 and len(receiver.requests) == 1)
    subjects = sorted(str(m["Subject"]) for m in inbox.messages)
    overdue = (answered_day + dt.timedelta(days=5)).strftime("%d.%m.%Y")
    assert subjects[1] == f"Päivän yhteenveto {overdue}" and subjects[0].startswith("Hälytys: Kirjastokortti")
    digest = next(m for m in inbox.messages if str(m["Subject"]).startswith("Päivän"))
    body = digest.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Hälytykset" in text and "vastaamatonta palautetta: 1" in text and "Jonotin" not in text
    ((headers, raw),) = receiver.requests
    assert verify_signature(str(secret), headers["arvio-signature"], raw, now=time.time()) > 0
    event = json.loads(raw)
    assert event["type"] == "alert.unanswered_feedback" and event["organisationId"] == ORG_A
    assert (event["data"]["serviceId"], event["data"]["count"], event["data"]["days"]) == (SERVICE_A, 1, 5)
    assert "Jonotin" not in raw.decode()


def test_a_citizens_feedback_is_read_answered_and_notified(browser: Any, live: Live) -> None:
    href, code = citizen_answers(browser, live)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    item = organisation_finds_it(live)
    inbox_page_shows_it(browser, live, item["id"])
    organisation_answers(live, item)
    citizen_reads_the_reply(browser, live, href)
    notifications_arrive(live, item["answeredAt"])
    assert live.problems == []
