"""``/r/<code>``: the citizen's receipt page — the reply appears, nothing else about the answer; languages,
landmarks and headers; unknown codes are a plain 404; look-ups are limited per client address."""

from __future__ import annotations

import dataclasses
import re
import statistics
import time

from starlette.testclient import TestClient

from federation.feedback.receipts import new_code
from federation.settings import Settings
from schema.wiring import build_app
from tests.conftest import SERVICE_A, Api
from tests.schema.graphql.test_feedback import INBOX, REPLY, give_feedback
from tests.schema.widget_support import pin_question

EVENT = """mutation($input: RecordServiceEventInput!) { recordServiceEvent(input: $input) { id } }"""


def test_the_reply_appears_on_the_receipt_page(api: Api) -> None:
    pin_question(api, "national.transaction-smooth")
    code = give_feedback(api, text="Jonotin tunnin ja maija@example.fi")
    waiting = api.client.get(f"/r/{code}", headers={"Accept-Language": "en-GB,en;q=0.9,fi;q=0.5"})
    assert waiting.status_code == 200 and '<html lang="en">' in waiting.text
    assert "Library card" in waiting.text and "has not replied yet" in waiting.text
    item = api.gql(INBOX, token="org_a")["data"]["feedbackInbox"]["items"][0]["id"]
    event = api.gql(EVENT, {"input": {"serviceId": SERVICE_A, "occurredOn": api.clock.now.date().isoformat(),
                                      "description": {"fi": "Lisäsimme ajanvarauksen.", "en": "Appointments added."},
                                      "public": True}}, token="org_a")["data"]["recordServiceEvent"]["id"]
    body = api.gql(REPLY, {"input": {"feedbackId": item, "text": "Kiitos! <b>Ei jonoja</b> enää.", "language": "FI",
                                     "eventId": event}}, token="org_a")
    assert "errors" not in body, body
    page = api.client.get(f"/r/{code.lower().replace('-', ' ')}?lang=fi")
    assert page.status_code == 200 and '<html lang="fi">' in page.text
    assert "Kiitos! &lt;b&gt;Ei jonoja&lt;/b&gt; enää." in page.text and "Lisäsimme ajanvarauksen." in page.text
    assert "Jonotin" not in page.text and "maija" not in page.text  # nothing of the answer but service and month
    assert re.findall(r"\d{4}-\d{2}(?:-\d{2})?", page.text) == ["2026-03"] * 3
    for landmark in ("<header>", "<nav ", "<main>", "<footer>", "<h1>"):
        assert landmark in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert "http" not in page.text.replace('http-equiv', '')  # no external asset
    assert api.client.get("/r/receipt.css").headers["content-type"].startswith("text/css")
    assert "Svar på din respons" in api.client.get(f"/r/{code}", headers={"Accept-Language": "sv"}).text


def test_unknown_and_malformed_codes_are_the_same_404(api: Api) -> None:
    pin_question(api, "national.transaction-smooth")
    known = give_feedback(api)
    pages = {c: api.client.get(f"/r/{c}?lang=en") for c in (new_code(), "BA66-056B", "x" * 200, "%00")}
    assert {p.status_code for p in pages.values()} == {404}
    assert len({p.text for p in pages.values()}) == 1 and "No page was found" in pages["BA66-056B"].text

    def timed(code: str) -> float:
        start = time.perf_counter()
        status = api.client.get(f"/r/{code}").status_code
        elapsed = time.perf_counter() - start
        assert status == 404  # within the per-address limit (30 a minute)
        return elapsed

    # A well-formed unknown code and a malformed one take the same path (one hashed, indexed look-up): their
    # medians differ by far less than a generous 50 ms, busy machine or not.
    samples = {kind: statistics.median(timed(code) for _ in range(9))
               for kind, code in (("unknown", new_code()), ("malformed", "nope"))}
    assert abs(samples["unknown"] - samples["malformed"]) < 0.05
    assert api.client.get(f"/r/{known}").status_code == 200

def test_look_ups_are_limited_per_client_address(api: Api, app_settings: Settings) -> None:
    limited = dataclasses.replace(app_settings, receipt_lookups_per_minute=3)
    app = build_app(limited, database=api.database, run_migrations=False, clock=api.clock)
    with TestClient(app) as client:
        statuses = [client.get(f"/r/{new_code()}").status_code for _ in range(5)]
        refused = client.get("/r/x?lang=sv")
    assert statuses == [404, 404, 404, 429, 429]
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "För många sökningar" in refused.text
