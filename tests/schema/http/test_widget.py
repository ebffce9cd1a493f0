"""The citizen flow over HTTP: draw, answer or skip, follow-up, receipt — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from federation.battery.national import NATIONAL_BATTERY
from federation.battery.wording_rules import wording_problems
from federation.ratings.models import Rating, TicketUse
from federation.ratings.tickets import TicketKey, parse_ticket
from federation.rollups.models import RollupDriverHourly, RollupHourly
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, SERVICE_A, SERVICE_B, Api
from tests.schema.widget_support import (
    STAR_QUESTIONS,
    answer,
    draw,
    flush,
    follow_up,
    mint,
    pin_question,
    ticket_key,
)

CURRENT = {q.id: q for q in NATIONAL_BATTERY}
WINDOW = 'from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z"'
SCORE = """query($id: ID!, $q: ID!) { service(id: $id) { score(questionId: $q, %s) {
  count skipped wordingVersion published } } }""" % WINDOW
DRIVERS = """query($id: ID!, $q: ID!) { service(id: $id) { drivers(questionId: $q, %s) {
  questionId published answers wentWell { driver count } couldBeBetter { driver count }
  toImprove { driver count } } } }""" % WINDOW


def score(api: Api, question: str, token: str = "org_a") -> dict[str, Any]:
    body = api.gql(SCORE, {"id": SERVICE_A, "q": question}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["service"]["score"]
    return result


def count(api: Api, statement: Any) -> int:
    with api.database.transaction(write=False) as session:
        return int(session.scalar(statement) or 0)


def test_a_draw_is_a_signed_question_and_writes_nothing(api: Api) -> None:
    drawn = draw(api)
    assert set(drawn) == {"drawId", "clientRef", "serviceId", "channelId", "organisationId", "locale", "question",
                          "followUps"}
    assert (drawn["serviceId"], drawn["channelId"], drawn["organisationId"], drawn["locale"]) == (
        SERVICE_A, CHANNEL_A, "1000001-2", "fi")
    question = drawn["question"]
    assert question["id"] in STAR_QUESTIONS
    assert (question["scale"], question["min"], question["max"], question["wordingVersion"]) == (
        "STARS_5", 1, 5, CURRENT[question["id"]].current_version)
    assert drawn["clientRef"].startswith("draw:")
    assert drawn["followUps"]["bands"] == [
        {"band": "NEGATIVE", "from": 1, "to": 2, "question": "Mitä meidän pitäisi parantaa?", "lang": "fi"},
        {"band": "NEUTRAL", "from": 3, "to": 3, "question": "Mitä olisi voinut tehdä paremmin?", "lang": "fi"},
        {"band": "POSITIVE", "from": 4, "to": 5, "question": "Missä onnistuimme erityisesti?", "lang": "fi"}]
    assert [d["code"] for d in drawn["followUps"]["drivers"]] == [
        "effectiveness", "ease", "efficiency", "transparency", "language", "staff", "other"]
    assert count(api, select(func.count()).select_from(RollupHourly)) == 0


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_a_star_question_is_drawn_in_its_current_wording_that_fits_the_stars(api: Api, locale: str) -> None:
    pin_question(api, "national.easy-to-use")
    question = draw(api, locale=locale)["question"]
    national = CURRENT["national.easy-to-use"]
    assert (question["id"], question["wordingVersion"]) == ("national.easy-to-use", 2)
    assert question["text"] == getattr(national.wording, locale)
    assert question["text"] != getattr(national.wordings[0], locale)
    assert wording_problems(national.scale, national.wording) == []
    key = ticket_key(api)
    assert answer(api, draw(api, locale=locale), mint(api, key), 4, locale=locale)["status"] == "ACCEPTED"
    with api.database.transaction(write=False) as session:
        assert session.scalars(select(Rating.wording_version)).all() == [2]
    assert score(api, "national.easy-to-use")["wordingVersion"] == 2


def test_cached_draws_never_touch_the_database(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    draw(api)
    state = api.client.app.state.arvio  # type: ignore[attr-defined]

    def no_database(*args: object, **kwargs: object) -> None:
        raise AssertionError("the draw path touched the database")

    monkeypatch.setattr(state.database, "session", no_database)
    monkeypatch.setattr(state.database, "transaction", no_database)
    ids = {draw(api)["drawId"] for _ in range(20)}
    assert len(ids) == 20
    assert state.services.citizen.exposures.pending() == 21


def test_draw_refusals_say_how_to_fix_them(api: Api) -> None:
    unknown = draw(api, service="00000000-0000-0000-0000-000000000001", channel=None, status=404)
    assert unknown["code"] == "UNKNOWN_SERVICE" and "PTV id" in unknown["message"]
    assert draw(api, service="nope", channel=None, status=400)["code"] == "INVALID_ID"
    assert draw(api, channel="11111111-1111-1111-1111-111111111111", status=404)["code"] == "UNKNOWN_CHANNEL"
    assert draw(api, locale="de", status=400)["code"] == "BAD_REQUEST"
    assert api.client.get("/widget/draw").status_code == 400


def test_phone_and_chat_channels_draw_nps(api: Api) -> None:
    for _ in range(10):
        drawn = draw(api, channel=CHANNEL_PHONE, locale="en")
        assert drawn["question"]["id"] == "national.nps"
        assert drawn["question"]["text"] == "How likely are you to recommend the service to someone close to you?"
        assert [b["band"] for b in drawn["followUps"]["bands"]] == ["NEGATIVE", "NEUTRAL", "POSITIVE"]
        assert drawn["followUps"]["bands"][0]["to"] == 6


def test_each_draw_is_counted_as_an_exposure_in_the_rollups(api: Api) -> None:
    shown = [draw(api)["question"]["id"] for _ in range(7)] + [draw(api, channel=CHANNEL_PHONE)["question"]["id"]]
    assert flush(api) == 8
    assert flush(api) == 0
    with api.database.transaction(write=False) as session:
        offered = dict(session.execute(select(RollupHourly.question_id, func.sum(RollupHourly.offered))
                                       .group_by(RollupHourly.question_id)).all())
        hours = set(session.scalars(select(RollupHourly.hour)))
    assert offered == {q: shown.count(q) for q in set(shown)}
    assert hours == {NOW}


def test_the_answer_is_stored_once_and_gets_the_follow_up_of_its_band(api: Api) -> None:
    key = ticket_key(api)
    drawn = draw(api)
    ticket = mint(api, key)
    result = answer(api, drawn, ticket, 5)
    assert result["status"] == "ACCEPTED" and result["code"] is None
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", result["receipt"])
    assert result["followUp"]["band"] == "POSITIVE"
    assert result["followUp"]["question"] == "Missä onnistuimme erityisesti?"
    assert result["othersRating"] == {"questionId": drawn["question"]["id"], "scale": "STARS_5",
                                      "published": False, "count": None, "mean": None, "stars": None,
                                      "nps": None, "npsBand": None, "yesShare": None}
    got = score(api, drawn["question"]["id"])
    assert (got["count"], got["wordingVersion"]) == (1, CURRENT[drawn["question"]["id"]].current_version)
    with api.database.transaction(write=False) as session:
        row = session.scalars(select(Rating)).one()
        used = session.scalars(select(TicketUse.nonce)).all()
    nonce = parse_ticket(ticket).nonce
    assert (row.client_ref, row.organisation_id, row.channel_id, row.value, row.locale) == (
        "ticket:" + nonce, "1000001-2", CHANNEL_A, 5, "fi")
    assert used == [nonce]
    replay = answer(api, drawn, ticket, 1, status=409)
    assert (replay["status"], replay["code"]) == ("REJECTED", "TICKET_REPLAYED")
    assert "one ticket, one answer" in replay["message"]
    assert score(api, drawn["question"]["id"])["count"] == 1


def test_the_follow_up_counts_drivers_and_seals_the_text(api: Api) -> None:
    key = ticket_key(api)
    drawn, ticket = draw(api), mint(api, key)
    assert answer(api, drawn, ticket, 2)["followUp"]["band"] == "NEGATIVE"
    sent = follow_up(api, drawn, ticket, ["ease", "staff"], "Soita minulle 040 123 4567 tai maija@example.fi")
    assert sent["status"] == "ACCEPTED"
    again = follow_up(api, drawn, ticket, ["other"])
    assert (again["status"], again["code"]) == ("DUPLICATE", "FOLLOW_UP_ALREADY_RECEIVED")
    question = drawn["question"]["id"]
    body = api.gql(DRIVERS, {"id": SERVICE_A, "q": question}, token="org_a")
    assert body["data"]["service"]["drivers"] == {
        "questionId": question, "published": False, "answers": 1, "wentWell": [], "couldBeBetter": [],
        "toImprove": [{"driver": "ease", "count": 1}, {"driver": "staff", "count": 1}]}
    hidden = api.gql(DRIVERS, {"id": SERVICE_A, "q": question}, token="org_b")["data"]["service"]["drivers"]
    assert (hidden["answers"], hidden["toImprove"]) == (None, [])
    with api.database.transaction(write=False) as session:
        blob = session.scalars(select(Rating.free_text)).one()
        rollup = session.execute(select(RollupDriverHourly.polarity, RollupDriverHourly.driver,
                                        RollupDriverHourly.count)).all()
    assert blob is not None and b"maija" not in blob and b"040" not in blob
    assert sorted(rollup) == [("NEGATIVE", "ease", 1), ("NEGATIVE", "staff", 1)]


def test_a_skip_is_stored_and_has_no_follow_up(api: Api) -> None:
    key = ticket_key(api)
    drawn, ticket = draw(api), mint(api, key)
    skipped = answer(api, drawn, ticket, skipped=True)
    assert (skipped["status"], skipped["followUp"], skipped["receipt"]) == ("ACCEPTED", None, None)
    got = score(api, drawn["question"]["id"])
    assert (got["count"], got["skipped"]) == (0, 1)
    after = follow_up(api, drawn, ticket, ["ease"], status=409)
    assert after["code"] == "FOLLOW_UP_AFTER_SKIP"


def test_forged_expired_mismatched_and_missing_tickets_are_refused(api: Api) -> None:
    key = ticket_key(api)
    drawn = draw(api)
    assert answer(api, drawn, None, 4, status=400)["code"] == "TICKET_REQUIRED"
    assert answer(api, drawn, "t1.garbage", 4, status=400)["code"] == "TICKET_MALFORMED"
    forged = mint(api, TicketKey(key.organisation_id, key.version, b"\x07" * 32))
    assert answer(api, drawn, forged, 4, status=403)["code"] == "TICKET_FORGED"
    other_channel = mint(api, key, channel=None)
    assert answer(api, drawn, other_channel, 4, status=403)["code"] == "TICKET_MISMATCH"
    other_org = mint(api, ticket_key(api, token="org_b"), service=SERVICE_B, channel=None)
    assert answer(api, drawn, other_org, 4, status=403)["code"] == "TICKET_MISMATCH"
    short = mint(api, key, lifetime=dt.timedelta(minutes=5))
    api.clock.now = NOW + dt.timedelta(minutes=6)
    expired = answer(api, drawn, short, 4, status=410)
    assert expired["code"] == "TICKET_EXPIRED" and "mint a new one" in expired["message"]
    assert count(api, select(func.count()).select_from(Rating)) == 0


def test_bad_draw_ids_are_refused(api: Api) -> None:
    key = ticket_key(api)
    drawn = draw(api)
    tampered = dict(drawn, drawId=drawn["drawId"][:-3] + ("AAA" if not drawn["drawId"].endswith("AAA") else "BBB"))
    assert answer(api, tampered, mint(api, key), 4, status=403)["code"] == "DRAW_FORGED"
    assert answer(api, dict(drawn, drawId="%%%"), mint(api, key), 4, status=400)["code"] == "DRAW_MALFORMED"
    api.clock.now = NOW + dt.timedelta(hours=13)
    assert answer(api, drawn, mint(api, key), 4, status=410)["code"] == "DRAW_EXPIRED"


def test_a_rejected_answer_leaves_the_ticket_unused(api: Api) -> None:
    key = ticket_key(api)
    drawn, ticket = draw(api), mint(api, key)
    bad = answer(api, drawn, ticket, 9, status=400)
    assert (bad["code"], bad["itemCode"]) == ("RATING_REJECTED", "VALUE_OUT_OF_RANGE")
    assert "send a whole number in 1–5" in bad["message"]
    assert answer(api, drawn, ticket, 4)["status"] == "ACCEPTED"


def test_the_widget_shows_other_users_published_rating(api: Api) -> None:
    pin_question(api, "national.transaction-smooth")
    key = ticket_key(api)
    for value in (5, 4, 4, 5, 3, 4, 5, 4, 4, 5):
        drawn = draw(api)
        assert drawn["question"]["id"] == "national.transaction-smooth"
        last = answer(api, drawn, mint(api, key), value)
    assert last["othersRating"] == {"questionId": "national.transaction-smooth", "scale": "STARS_5",
                                    "published": True, "count": 10, "mean": 4.3, "stars": 4.3, "nps": None,
                                    "npsBand": None, "yesShare": None}
    public = api.client.get("/public/score", params={"service": SERVICE_A}).json()
    assert (public["published"], public["count"], public["stars"], public["scale"]) == (True, 10, 4.3, "STARS_5")


def test_an_nps_answer_gets_the_published_nps_of_its_own_question(api: Api) -> None:
    key = ticket_key(api)
    for value in (10, 9, 9, 10, 9, 8, 7, 8, 3, 6):  # promoters 5, detractors 2 of 10: NPS +30
        drawn = draw(api, channel=CHANNEL_PHONE)
        assert drawn["question"]["id"] == "national.nps"
        last = answer(api, drawn, mint(api, key, channel=CHANNEL_PHONE), value)
    assert last["othersRating"] == {"questionId": "national.nps", "scale": "NPS_11", "published": True,
                                    "count": 10, "mean": 7.9, "stars": 4.2, "nps": 30, "npsBand": "GOOD",
                                    "yesShare": None}
    public = api.client.get("/public/score", params={"service": SERVICE_A, "question": "national.nps"}).json()
    assert (public["questionId"], public["scale"], public["nps"], public["npsBand"]) == (
        "national.nps", "NPS_11", 30, "GOOD")
    headline = api.client.get("/public/score", params={"service": SERVICE_A}).json()
    assert (headline["questionId"], headline["published"]) == ("national.transaction-smooth", False)


def test_json_bodies_are_checked(api: Api) -> None:
    response = api.client.post("/widget/answer", content=b"[1, 2]", headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"
    response = api.client.post("/widget/answer", json={"drawId": "x", "value": "five"})
    assert response.json()["message"] == "`value` has the wrong type; see docs/WIDGET.md for the request format."
    response = api.client.post("/widget/follow-up", json={"drawId": "x", "drivers": "ease"})
    assert response.status_code == 400
    response = api.client.post("/widget/answer", content=b"x" * 20_000, headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_cors_preflight_and_headers(api: Api) -> None:
    response = api.client.options("/widget/answer", headers={"Origin": "https://eservice.example",
                                                             "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    drawn = api.client.get("/widget/draw", params={"service": SERVICE_A})
    assert drawn.headers["access-control-allow-origin"] == "*" and drawn.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("locale", "title"), [("fi", "Mihin vastauksiasi käytetään?"),
                                               ("sv", "Vad används dina svar till?"),
                                               ("en", "What are your answers used for?")])
def test_the_transparency_notice_in_three_languages(api: Api, locale: str, title: str) -> None:
    body = api.client.get("/widget/notice", params={"locale": locale}).json()
    assert (body["locale"], body["title"]) == (locale, title)
    assert len(body["paragraphs"]) == 3 and "10" in body["paragraphs"][2]
    assert body["more"]["url"] == f"/privacy?locale={locale}"
    gql = api.gql("query($l: Locale!) { widgetNotice(locale: $l) { locale title paragraphs moreUrl } }",
                  {"l": locale.upper()})
    assert gql["data"]["widgetNotice"]["title"] == title


def test_the_transparency_notice_in_sami_is_finnish_and_links_the_sami_pages(api: Api) -> None:
    body = api.client.get("/widget/notice", params={"locale": "se"}).json()
    assert (body["locale"], body["title"]) == ("fi", "Mihin vastauksiasi käytetään?")
    assert body["more"] == {"label": "Tietosuojaseloste", "url": "/privacy?locale=se"}
    assert body["accessibility"] == {"label": "Saavutettavuusseloste", "url": "/accessibility?locale=se"}


def test_static_files_and_the_demo_page(api: Api) -> None:
    script = api.client.get("/widget/arvio-widget.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert api.client.get("/widget/arvio-widget.js", headers={"If-None-Match": script.headers["etag"]}
                          ).status_code == 304
    assert api.client.get("/widget/arvio-widget.css").headers["content-type"].startswith("text/css")
    page = api.client.get("/widget/demo", params={"locale": "sv"})
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert len(scripts) == 1 and 'src="/widget/arvio-widget.js"' in scripts[0]
    assert f'data-service="{SERVICE_A}"' in scripts[0] and 'data-locale="sv"' in scripts[0]
    ticket = re.search(r'data-ticket="([^"]+)"', scripts[0])
    assert ticket is not None and parse_ticket(ticket.group(1)).service_id == SERVICE_A
    assert 'lang="sv"' in page.text and "style=" not in page.text


DRAW_Q = """query($s: ID!, $c: ID, $l: Locale!) { drawQuestion(serviceId: $s, channelId: $c, locale: $l) {
  drawId clientRef serviceId channelId organisationId text question { id scale wordingVersion } } }"""
ANSWER_M = """mutation($input: AnswerQuestionInput!) { answerQuestion(input: $input) {
  status code message itemCode receipt followUp { band question drivers { code label } }
  othersRating { questionId scale published count } } }"""
FOLLOW_M = """mutation($input: SendFollowUpInput!) { sendFollowUp(input: $input) { status code receipt } }"""


def test_the_same_flow_through_graphql(api: Api) -> None:
    key = ticket_key(api)
    drawn = api.gql(DRAW_Q, {"s": SERVICE_A, "c": CHANNEL_A, "l": "SV"})["data"]["drawQuestion"]
    assert (drawn["serviceId"], drawn["channelId"], drawn["organisationId"]) == (SERVICE_A, CHANNEL_A, "1000001-2")
    assert drawn["question"]["id"] in STAR_QUESTIONS and drawn["clientRef"].startswith("draw:")
    ticket = mint(api, key)
    result = api.gql(ANSWER_M, {"input": {"drawId": drawn["drawId"], "ticket": ticket, "value": 3,
                                          "locale": "SV"}})["data"]["answerQuestion"]
    assert (result["status"], result["followUp"]["band"], result["followUp"]["question"]) == (
        "ACCEPTED", "NEUTRAL", "Vad kunde ha varit bättre?")
    assert result["followUp"]["drivers"][0] == {"code": "effectiveness", "label": "Utgången i mitt ärende"}
    assert result["othersRating"] == {"questionId": drawn["question"]["id"], "scale": "STARS_5",
                                      "published": False, "count": None}
    sent = api.gql(FOLLOW_M, {"input": {"drawId": drawn["drawId"], "ticket": ticket, "drivers": ["language"]}})
    assert sent["data"]["sendFollowUp"]["status"] == "ACCEPTED"
    replay = api.gql(ANSWER_M, {"input": {"drawId": drawn["drawId"], "ticket": ticket, "value": 3}})
    assert replay["data"]["answerQuestion"]["code"] == "TICKET_REPLAYED"
    forged = api.gql(ANSWER_M, {"input": {"drawId": "AAAA" + drawn["drawId"][4:], "ticket": ticket, "value": 3}})
    assert forged["data"]["answerQuestion"]["code"] in {"DRAW_FORGED", "DRAW_MALFORMED"}
    unknown = api.gql(DRAW_Q, {"s": "00000000-0000-0000-0000-000000000001", "c": None, "l": "FI"})
    assert unknown["errors"][0]["extensions"]["code"] == "UNKNOWN_SERVICE"


def test_ticket_keys_belong_to_their_organisation(api: Api) -> None:
    first, second = ticket_key(api), ticket_key(api)
    assert (first.version, second.version) == (1, 2)
    versions = api.gql("{ ticketKeys { version validUntil } }", token="org_a")["data"]["ticketKeys"]
    assert [v["version"] for v in versions] == [1, 2] and versions[1]["validUntil"] is None
    other = api.gql("mutation { rotateTicketKey(organisationId: \"1000001-2\") { version } }", token="org_b")
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for token, code in (("admin", "ORGANISATION_REQUIRED"), ("publisher", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        body = api.gql("mutation { rotateTicketKey { version } }", token=token)
        assert body["errors"][0]["extensions"]["code"] == code
    admin = api.gql("mutation { rotateTicketKey(organisationId: \"1000002-0\", revokePrevious: true) { "
                    "organisationId version } }", token="admin")
    assert admin["data"]["rotateTicketKey"] == {"organisationId": "1000002-0", "version": 1}
    stale = mint(api, first)
    assert answer(api, draw(api), stale, 4)["status"] == "ACCEPTED"  # v1 still verifies during the grace day
