"""Other channels push the same shapes through submitRatings (docs/CHANNELS.md): kiosks, "Was this page
useful?", service-request resolution and SMS NPS after phone calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel
from tests.conftest import CHANNEL_PHONE, NOW, SERVICE_A, Api
from tests.schema.graphql.test_ratings import submit

KIOSK = "c0c0c0c0-0000-4000-8000-000000000001"
PAGE = "c0c0c0c0-0000-4000-8000-000000000002"
DESK = "c0c0c0c0-0000-4000-8000-000000000003"
DEFINE = """mutation($input: DefineQuestionInput!) { defineQuestion(input: $input) { id scale } }"""
SCORE = """query($q: ID!, $c: ID) { service(id: "%s") { score(questionId: $q, channelId: $c,
  from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") { count skipped mean yesShare nps responseRate
  distribution { value count } } drivers(questionId: $q, from: "2026-03-01T00:00:00Z",
  to: "2026-04-01T00:00:00Z") { wentWell { driver count } toImprove { driver count } } } }""" % SERVICE_A
AT = (NOW - dt.timedelta(hours=2)).isoformat()


def setup(api: Api) -> None:
    with api.database.transaction() as session:
        for channel, kind, name in ((KIOSK, ChannelType.KIOSK, "Palautekioski"),
                                    (PAGE, ChannelType.WEB_PAGE, "Kirjaston verkkosivu"),
                                    (DESK, ChannelType.ECHANNEL, "Palvelupyyntöportaali")):
            upsert_channel(session, channel, kind, Names(name), now=NOW, service_ids=(SERVICE_A,))
    for question_id, scale, fi, sv, en in (
            ("city.kiosk-faces", "FACES_4", "Miten asiointi sujui?", "Hur gick ärendet?", "How did it go?"),
            ("city.page-useful", "YES_NO", "Oliko sivusta hyötyä?", "Var sidan till nytta?",
             "Was this page useful?"),
            ("city.request-resolved", "STARS_5", "Miten palvelupyyntösi ratkaistiin?",
             "Hur löstes din serviceförfrågan?", "How well was your service request resolved?")):
        body = api.gql(DEFINE, {"input": {"questionId": question_id, "scale": scale, "weight": 0,
                                          "wording": {"fi": fi, "sv": sv, "en": en}}}, token="org_a")
        assert "errors" not in body, body


def item(ref: str, question: str, channel: str, value: int | None, **extra: Any) -> dict[str, Any]:
    return {"clientRef": ref, "serviceId": SERVICE_A, "channelId": channel, "questionId": question,
            "value": value, "answeredAt": AT, **extra}


def score(api: Api, question: str, channel: str | None = None) -> dict[str, Any]:
    body = api.gql(SCORE, {"q": question, "c": channel}, token="org_a")
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["service"]
    return result


def test_kiosk_batches_of_four_faces(api: Api) -> None:
    setup(api)
    faces = [4, 4, 3, 4, 2, 1, 4, 3, 3, 4, 4, 2]
    result = submit(api, [item(f"kiosk-7:{n}", "city.kiosk-faces", KIOSK, v) for n, v in enumerate(faces)])
    assert (result["accepted"], result["rejected"]) == (12, 0)
    again = submit(api, [item("kiosk-7:0", "city.kiosk-faces", KIOSK, 4), item("kiosk-7:99", "city.kiosk-faces",
                                                                                KIOSK, 5)])
    assert [r["code"] for r in again["results"]] == ["ALREADY_RECEIVED", "VALUE_OUT_OF_RANGE"]
    got = score(api, "city.kiosk-faces", KIOSK)["score"]
    assert got["count"] == 12 and got["distribution"] == [
        {"value": 1, "count": 1}, {"value": 2, "count": 2}, {"value": 3, "count": 3}, {"value": 4, "count": 6}]


def test_was_this_page_useful_with_an_improvement_text(api: Api) -> None:
    setup(api)
    items = [item(f"page:{n}", "city.page-useful", PAGE, 1) for n in range(7)]
    items += [item("page:no-1", "city.page-useful", PAGE, 0,
                   followUp={"drivers": ["transparency"], "text": "Aukioloajat puuttuvat."}),
              item("page:no-2", "city.page-useful", PAGE, 0, followUp={"text": "Liian pitkä sivu."}),
              item("page:skip", "city.page-useful", PAGE, None, skipped=True)]
    assert submit(api, items)["accepted"] == 10
    got = score(api, "city.page-useful", PAGE)
    assert (got["score"]["count"], got["score"]["yesShare"], got["score"]["skipped"]) == (9, 7 / 9, 1)
    assert got["drivers"]["toImprove"] == [{"driver": "transparency", "count": 1}]
    texts = api.gql('{ freeTexts(from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") { items { text } } }',
                    token="org_a")["data"]["freeTexts"]["items"]
    assert [t["text"] for t in texts] == ["Aukioloajat puuttuvat.", "Liian pitkä sivu."]


def test_service_request_resolution_ratings(api: Api) -> None:
    setup(api)
    values = [5, 4, 5, 2, 5, 4, 3, 5, 5, 4]
    items = [item(f"INC-{1000 + n}", "city.request-resolved", DESK, v,
                  followUp={"drivers": ["staff", "efficiency"] if v >= 4 else ["efficiency"]})
             for n, v in enumerate(values)]
    assert submit(api, items)["accepted"] == 10
    got = score(api, "city.request-resolved", DESK)
    assert got["score"]["mean"] == 4.2
    assert got["drivers"]["wentWell"] == [{"driver": "efficiency", "count": 8}, {"driver": "staff", "count": 8}]
    assert got["drivers"]["toImprove"] == [{"driver": "efficiency", "count": 1}]


def test_sms_nps_after_phone_calls(api: Api) -> None:
    replies = [10, 9, 9, 10, 8, 7, 6, 3, 10, 9]
    items = [item(f"sms:{4000 + n}", "national.nps", CHANNEL_PHONE, v) for n, v in enumerate(replies)]
    items += [item(f"sms:{5000 + n}", "national.nps", CHANNEL_PHONE, None, skipped=True) for n in range(5)]
    assert submit(api, items)["accepted"] == 15
    got = score(api, "national.nps", CHANNEL_PHONE)["score"]
    assert (got["count"], got["nps"], got["responseRate"]) == (10, 40.0, 10 / 15)
