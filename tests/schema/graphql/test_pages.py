"""Page feedback through the API: organisations register pages (GraphQL), citizens answer on them
(``POST /pages/answer`` and ``/pages/follow-up``), organisations read figures and texts; attacker cases included.
Runs on SQLite and PostgreSQL (the ``api`` fixture)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from federation.audit.models import AuditEvent
from federation.pages.models import PageAnswer, PageAnswerHourly
from federation.privacy.retention import RetentionPolicy, run_retention
from tests.conftest import ORG_A, ORG_B, SERVICE_A, SERVICE_B, Api

PAGE = "https://www.example.fi/asuminen/tuet"
ORIGIN = "https://www.example.fi"
REGISTER = ("mutation($p: [PageInput!]!) { registerPages(pages: $p) { id url keepQuery serviceId title "
            "retiredAt } }")
SCORES = ("query($s: ID) { pageScores(lastDays: 30, serviceId: $s) { page { url } usefulness { answers published "
          "yesShare yesShareInterval { low high } } } }")


@pytest.fixture(autouse=True)
def _mid_hour(api: Api) -> None:
    """Answers count from their hour on (like the rollups); half past, the current hour is inside lastDays."""
    api.clock.now += dt.timedelta(minutes=30)


def register(api: Api, pages: list[dict[str, Any]], token: str = "org_a") -> dict[str, Any]:
    return api.gql(REGISTER, {"p": pages}, token=token)


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def ref() -> str:
    return str(uuid.uuid4())


def answer(api: Api, useful: bool, *, url: str = PAGE, origin: str | None = ORIGIN, key: str | None = None,
           organisation: str = ORG_A, **extra: Any) -> Any:
    headers = {"Origin": origin} if origin else {}
    body = {"organisation": organisation, "url": url, "ref": key or ref(), "useful": useful, "locale": "fi",
            **extra}
    return api.client.post("/pages/answer", json=body, headers=headers)


def follow_up(api: Api, key: str, text: Any, *, url: str = PAGE, origin: str = ORIGIN) -> Any:
    return api.client.post("/pages/follow-up", json={"organisation": ORG_A, "url": url, "ref": key, "text": text},
                           headers={"Origin": origin})


def test_register_normalises_and_updates_idempotently(api: Api) -> None:
    body = register(api, [{"url": "HTTPS://WWW.Example.FI/asuminen/tuet?x=1#osa", "serviceId": SERVICE_A,
                           "title": "  Asumisen   tuet "},
                          {"url": "https://www.example.fi/haku?q=kirjasto", "keepQuery": True}])
    pages = body["data"]["registerPages"]
    assert [p["url"] for p in pages] == [PAGE, "https://www.example.fi/haku?q=kirjasto"]
    assert pages[0]["serviceId"] == SERVICE_A and pages[0]["title"] == "Asumisen tuet"
    assert pages[1]["keepQuery"] is True and pages[1]["serviceId"] is None
    again = register(api, [{"url": PAGE, "title": "Tuet"}])["data"]["registerPages"][0]
    assert again["id"] == pages[0]["id"] and again["title"] == "Tuet" and again["serviceId"] is None
    listed = api.gql("{ pages { id url } }", token="org_a")["data"]["pages"]
    assert [p["id"] for p in listed] == [pages[0]["id"], pages[1]["id"]]
    assert api.gql("{ pages { id } }", token="org_b")["data"]["pages"] == []


@pytest.mark.parametrize(("pages", "code"), [
    ([{"url": "ftp://www.example.fi/x"}], "INVALID_PAGE_URL"),
    ([{"url": "https://user:pw@www.example.fi/x"}], "INVALID_PAGE_URL"),
    ([{"url": "https://www.example.fi/" + "a" * 5000}], "INVALID_PAGE_URL"),
    ([{"url": PAGE}, {"url": PAGE + "#again"}], "DUPLICATE_PAGE"),
    ([{"url": PAGE, "serviceId": SERVICE_B}], "NOT_YOUR_SERVICE"),
    ([{"url": PAGE, "serviceId": "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a"}], "UNKNOWN_SERVICE"),
    ([{"url": PAGE, "serviceId": "x" * 10_000}], "INVALID_ID"),
    ([{"url": PAGE, "title": "t" * 301}], "INVALID_PAGE_TITLE"),
    ([{"url": PAGE, "title": "bad\x07title"}], "INVALID_PAGE_TITLE"),
    ([], "TOO_MANY_PAGES"),
    ([{"url": f"https://www.example.fi/{n}"} for n in range(101)], "TOO_MANY_PAGES"),
])
def test_register_refusals(api: Api, pages: list[dict[str, Any]], code: str) -> None:
    body = register(api, pages)
    assert codes(body) == [code] and body["data"] is None
    assert "a" * 100 not in body["errors"][0]["message"]
    assert api.gql("{ pages { id } }", token="org_a")["data"]["pages"] == []


def test_only_organisations_register(api: Api) -> None:
    assert codes(register(api, [{"url": PAGE}], token="publisher")) == ["FORBIDDEN"]
    assert codes(api.gql("{ pages { id } }")) == ["UNAUTHENTICATED"]


def test_answers_count_once_per_ref_and_follow_up_is_sealed(api: Api) -> None:
    register(api, [{"url": PAGE, "serviceId": SERVICE_A}])
    key = ref()
    first = answer(api, False, key=key, url=PAGE + "?utm=mail#top")
    assert first.status_code == 200 and first.json() == {"status": "ACCEPTED", "code": None, "followUp": True}
    assert first.headers["access-control-allow-origin"] == "*" and "set-cookie" not in first.headers
    replay = answer(api, True, key=key)
    assert replay.json()["status"] == "DUPLICATE" and replay.json()["followUp"] is True
    sent = follow_up(api, key, "Hakulomake puuttui, soita 040 1234567")
    assert sent.json() == {"status": "ACCEPTED", "code": None, "followUp": False}
    again = follow_up(api, key, "toinen teksti")
    assert again.json()["status"] == "DUPLICATE" and again.json()["code"] == "FOLLOW_UP_ALREADY_RECEIVED"
    with api.database.session() as session:
        (row,) = session.scalars(select(PageAnswer))
        assert row.useful is False and row.free_text is not None and b"Hakulomake" not in row.free_text
        assert session.scalar(select(func.sum(PageAnswerHourly.no))) == 1
    api.clock.now += dt.timedelta(minutes=1)
    texts = api.gql("{ pageTexts(lastDays: 1) { text url serviceId readable locale } }",
                    token="org_a")["data"]["pageTexts"]
    assert len(texts) == 1 and texts[0]["url"] == PAGE and texts[0]["serviceId"] == SERVICE_A
    assert texts[0]["text"].startswith("Hakulomake puuttui") and "1234567" not in texts[0]["text"]
    assert api.gql("{ pageTexts(lastDays: 1) { text } }", token="org_b")["data"]["pageTexts"] == []
    with api.database.session() as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "pages.text_read")).all()
        assert [r.detail["count"] for r in reads] == [1, 0] and all("Hakulomake" not in str(r.detail) for r in reads)


def test_follow_up_refusals(api: Api) -> None:
    register(api, [{"url": PAGE}])
    yes, no = ref(), ref()
    answer(api, True, key=yes)
    answer(api, False, key=no)
    cases = [(follow_up(api, yes, "x"), 409, "FOLLOW_UP_AFTER_YES"),
             (follow_up(api, ref(), "x"), 409, "FOLLOW_UP_WITHOUT_ANSWER"),
             (follow_up(api, no, "   "), 400, "INVALID_ANSWER"),
             (follow_up(api, no, "x" * 2001), 400, "INVALID_ANSWER"),
             (follow_up(api, no, 42), 400, "BAD_REQUEST"),
             (follow_up(api, no, "x", origin="https://evil.example"), 403, "ORIGIN_MISMATCH")]
    for response, status, code in cases:
        assert (response.status_code, response.json()["code"]) == (status, code), response.json()
    api.clock.now += dt.timedelta(hours=2)
    late = follow_up(api, no, "myöhässä")
    assert (late.status_code, late.json()["code"]) == (410, "FOLLOW_UP_TOO_LATE")


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"url": "https://www.example.fi/other"}, 404, "PAGE_NOT_REGISTERED"),
    ({"organisation": ORG_B}, 404, "PAGE_NOT_REGISTERED"),
    ({"organisation": "x" * 5000}, 404, "PAGE_NOT_REGISTERED"),
    ({"origin": "https://evil.example"}, 403, "ORIGIN_MISMATCH"),
    ({"origin": "http://www.example.fi"}, 403, "ORIGIN_MISMATCH"),
    ({"origin": None}, 403, "ORIGIN_MISMATCH"),
    ({"url": "javascript:alert(1)"}, 400, "INVALID_PAGE_URL"),
    ({"key": "short"}, 400, "INVALID_ANSWER"),
    ({"key": "a" * 65}, 400, "INVALID_ANSWER"),
    ({"locale": "de"}, 400, "INVALID_ANSWER"),
])
def test_answer_refusals(api: Api, change: dict[str, Any], status: int, code: str) -> None:
    register(api, [{"url": PAGE}])
    response = answer(api, True, **change)
    assert (response.status_code, response.json()["code"]) == (status, code), response.json()
    with api.database.session() as session:
        assert session.scalar(select(func.count()).select_from(PageAnswer)) == 0


@pytest.mark.parametrize("body", [
    b"not json", b"[1, 2]", b'{"organisation": "1000001-2", "url": "x", "ref": "y", "useful": "yes"}',
    b'{"organisation": 1, "url": "x", "ref": "y", "useful": true}', b'{"url": "x", "ref": "y", "useful": true}',
    b'{"organisation": "1000001-2", "url": ["x"], "ref": "y", "useful": true}',
])
def test_wrong_types_are_bad_requests(api: Api, body: bytes) -> None:
    response = api.client.post("/pages/answer", content=body, headers={"Origin": ORIGIN,
                                                                       "Content-Type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (400, "BAD_REQUEST")


def test_huge_body_is_refused(api: Api) -> None:
    register(api, [{"url": PAGE}])
    key = ref()
    answer(api, False, key=key)
    response = follow_up(api, key, "x" * 40_000)
    assert (response.status_code, response.json()["code"]) == (413, "BODY_TOO_LARGE")


def test_retired_page_refuses_answers_but_keeps_figures(api: Api) -> None:
    (page,) = register(api, [{"url": PAGE}])["data"]["registerPages"]
    answer(api, True)
    retired = api.gql("mutation($i: [ID!]!) { retirePages(ids: $i) { retiredAt } }", {"i": [page["id"]]},
                      token="org_a")["data"]["retirePages"]
    assert retired[0]["retiredAt"] is not None
    assert answer(api, True).json()["code"] == "PAGE_NOT_REGISTERED"
    assert api.gql("{ pages { id } }", token="org_a")["data"]["pages"] == []
    scores = api.gql(SCORES, token="org_a")["data"]["pageScores"]
    assert scores[0]["usefulness"]["answers"] == 1
    foreign = api.gql("mutation($i: [ID!]!) { retirePages(ids: $i) { id } }", {"i": [page["id"]]}, token="org_b")
    assert codes(foreign) == ["UNKNOWN_PAGE"]
    assert codes(api.gql("mutation { retirePages(ids: [\"-1\"]) { id } }", token="org_a")) == ["INVALID_ID"]
    brought_back = register(api, [{"url": PAGE}])["data"]["registerPages"][0]
    assert brought_back["id"] == page["id"] and brought_back["retiredAt"] is None


def test_query_string_pages_are_told_apart(api: Api) -> None:
    register(api, [{"url": "https://www.example.fi/haku?q=a", "keepQuery": True}])
    assert answer(api, True, url="https://www.example.fi/haku?q=a#x").json()["status"] == "ACCEPTED"
    assert answer(api, True, url="https://www.example.fi/haku?q=b").json()["code"] == "PAGE_NOT_REGISTERED"
    assert answer(api, True, url="https://www.example.fi/haku").json()["code"] == "PAGE_NOT_REGISTERED"


def test_scores_are_shown_from_the_publication_threshold(api: Api) -> None:
    register(api, [{"url": PAGE, "serviceId": SERVICE_A}, {"url": ORIGIN + "/kirjasto", "serviceId": SERVICE_A},
                   {"url": ORIGIN + "/yhteystiedot"}])
    for useful in [True] * 6 + [False] * 3:
        answer(api, useful)
    score = api.gql(SCORES, token="org_a")["data"]["pageScores"][0]["usefulness"]
    assert score == {"answers": 9, "published": False, "yesShare": None, "yesShareInterval": None}
    answer(api, True)
    answer(api, False, url=ORIGIN + "/kirjasto")
    answer(api, True, url=ORIGIN + "/yhteystiedot")
    score = api.gql(SCORES, token="org_a")["data"]["pageScores"][0]["usefulness"]
    assert score["answers"] == 10 and score["published"] and score["yesShare"] == pytest.approx(0.7)
    assert 0.39 < score["yesShareInterval"]["low"] < 0.7 < score["yesShareInterval"]["high"] < 0.92
    only = api.gql(SCORES, {"s": SERVICE_A}, token="org_a")["data"]["pageScores"]
    assert [s["page"]["url"] for s in only] == [PAGE, ORIGIN + "/kirjasto"]
    pooled = api.gql("{ pageServiceScores(lastDays: 30) { serviceId usefulness { answers yesShare } } }",
                     token="org_a")["data"]["pageServiceScores"]
    assert pooled == [{"serviceId": SERVICE_A, "usefulness": {"answers": 11, "yesShare": pytest.approx(7 / 11)}}]
    public = api.gql("query($s: ID!) { publicPageScore(serviceId: $s) { usefulness { answers published } } }",
                     {"s": SERVICE_A})["data"]["publicPageScore"]
    assert public == {"usefulness": {"answers": 11, "published": True}}
    early = api.gql("{ pageScores(from: \"2020-01-01T00:00Z\", to: \"2020-02-01T00:00Z\") { usefulness { answers } "
                    "} }", token="org_a")["data"]["pageScores"]
    assert {s["usefulness"]["answers"] for s in early} == {0}


def test_retention_deletes_answers_and_keeps_counts(api: Api) -> None:
    register(api, [{"url": PAGE}])
    key = ref()
    answer(api, False, key=key)
    follow_up(api, key, "Puuttui")
    with api.database.transaction() as session:
        report = run_retention(session, policy=RetentionPolicy(30), now=api.clock.now + dt.timedelta(days=31))
    assert report.page_answers_deleted == 1
    with api.database.session() as session:
        assert session.scalar(select(func.count()).select_from(PageAnswer)) == 0
        assert session.scalar(select(func.sum(PageAnswerHourly.no))) == 1


@pytest.mark.parametrize(("query", "code"), [
    ("{ pages(first: 0) { id } }", "PAGE_TOO_LARGE"),
    ("{ pages(first: 2000000000) { id } }", "PAGE_TOO_LARGE"),
    ("{ pages(after: \"99999999999999999999\") { id } }", "INVALID_ID"),
    ("{ pages(serviceId: \"not-a-guid\") { id } }", "INVALID_ID"),
    ("{ pageScores(lastDays: 2000000000) { page { id } } }", "WINDOW_TOO_LONG"),
    ("{ pageScores(from: \"9999-12-30T00:00:00Z\") { page { id } } }", "WINDOW_OUT_OF_RANGE"),
    ("{ pageScores(lastDays: 3, from: \"2026-01-01T00:00:00Z\") { page { id } } }", "AMBIGUOUS_WINDOW"),
    ("{ pageServiceScores(lastDays: 0) { serviceId } }", "EMPTY_WINDOW"),
    ("{ pageTexts(first: 101) { id } }", "PAGE_TOO_LARGE"),
    ("{ pageTexts(pageId: \"0\") { id } }", "INVALID_ID"),
    ("{ publicPageScore(serviceId: \"x\") { serviceId } }", "INVALID_ID"),
])
def test_argument_bounds(api: Api, query: str, code: str) -> None:
    token = None if "publicPageScore" in query else "org_a"
    assert codes(api.gql(query, token=token)) == [code]
