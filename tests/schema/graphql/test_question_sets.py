"""Question sets per channel type through the real app (federation/battery/question_sets.py): the ``questionSets``
query, kiosk draws in the kiosk wording, and the refusal of a question outside its channel's set on every ingest
path — submitRatings through graphql-core and directly, NDJSON bulk and the widget's own answer."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import select

import schema.http.graphql_endpoint as endpoint
from federation.battery.national import NATIONAL_BATTERY, RECOMMEND, TRANSACTION_SMOOTH
from federation.battery.question_sets import KIOSK_WORDINGS
from federation.ratings.models import Rating
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel
from schema.graphql.ratings.widget import runtime
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, SERVICE_A, Api
from tests.schema.graphql.test_ratings import SUBMIT, rating
from tests.schema.http.test_bulk import line, upload
from tests.schema.widget_support import SET_WEIGHT, answer, draw, mint, ticket_key

KIOSK = "c0c0c0c0-0000-4000-8000-00000000000a"
KIOSK_TEXTS = {w.question_id: w.wording for w in KIOSK_WORDINGS}
NATIONAL = {q.id: q for q in NATIONAL_BATTERY}
SETS = """query($t: ChannelType) { questionSets(channelType: $t) { channelType description
  questions { questionId wordingVersion wordingVariant fi: text(locale: FI) sv: text(locale: SV) en: text(locale: EN) }
} }"""
DEFINE = """mutation($input: DefineQuestionInput!) { defineQuestion(input: $input) { id channelTypes } }"""
REFUSED = ("question 'national.easy-to-use' is not asked on Kiosk channels: Kiosk channels take "
           "national.transaction-smooth, national.recommend and the organisations' own questions defined for "
           "Kiosk; send the answer with a question of that set.")


@pytest.fixture
def kiosk(api: Api) -> Api:
    """The app with a kiosk channel of service A."""
    with api.database.transaction() as session:
        upsert_channel(session, KIOSK, ChannelType.KIOSK, Names("Palautekioski"), now=NOW, service_ids=(SERVICE_A,))
    return api


def stored(api: Api) -> dict[str, tuple[str | None, str, int, str | None]]:
    with api.database.transaction(write=False) as session:
        return {r.client_ref: (r.channel_id, r.question_id, r.wording_version, r.wording_variant)
                for r in session.scalars(select(Rating))}


def test_the_question_sets_are_public(api: Api) -> None:
    body = api.gql(SETS)
    assert "errors" not in body, body
    sets = {s["channelType"]: s for s in body["data"]["questionSets"]}
    assert set(sets) == {t.name for t in ChannelType}
    kiosk = api.gql(SETS, {"t": "KIOSK"})["data"]["questionSets"]
    assert kiosk == [sets["KIOSK"]]
    assert [(q["questionId"], q["wordingVariant"]) for q in kiosk[0]["questions"]] == [
        (TRANSACTION_SMOOTH, "Kiosk.1"), (RECOMMEND, "Kiosk.1")]
    recommend = kiosk[0]["questions"][1]
    assert (recommend["fi"], recommend["sv"], recommend["en"]) == (
        KIOSK_TEXTS[RECOMMEND].fi, KIOSK_TEXTS[RECOMMEND].sv, KIOSK_TEXTS[RECOMMEND].en)
    assert recommend["wordingVersion"] == NATIONAL[RECOMMEND].current_version
    online = {q["questionId"]: q for q in sets["ECHANNEL"]["questions"]}
    assert online[RECOMMEND]["fi"] == NATIONAL[RECOMMEND].wording.fi and online[RECOMMEND]["wordingVariant"] is None
    assert "national.nps" in {q["questionId"] for q in sets["PHONE"]["questions"]}


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_a_kiosk_draws_only_its_questions_in_the_kiosk_wording(kiosk: Api, locale: str) -> None:
    seen = set()
    for _ in range(60):
        question = draw(kiosk, channel=KIOSK, locale=locale)["question"]
        seen.add(question["id"])
        assert question["wordingVariant"] == "Kiosk.1"
        assert question["text"] == getattr(KIOSK_TEXTS[question["id"]], locale)
        assert question["wordingVersion"] == NATIONAL[question["id"]].current_version
    assert seen == {TRANSACTION_SMOOTH, RECOMMEND}
    web = draw(kiosk, channel=CHANNEL_A, locale=locale)["question"]
    assert web["wordingVariant"] is None and web["text"] == getattr(NATIONAL[web["id"]].wording, locale)


def _kiosk_batch(prefix: str) -> list[dict[str, Any]]:
    return [rating(f"{prefix}-1", 5, channelId=KIOSK, questionId=RECOMMEND),
            rating(f"{prefix}-2", 4, channelId=KIOSK, questionId="national.easy-to-use"),
            rating(f"{prefix}-3", 3, channelId=KIOSK),
            rating(f"{prefix}-4", 5, channelId=CHANNEL_A, questionId=RECOMMEND),
            rating(f"{prefix}-5", 8, channelId=CHANNEL_PHONE, questionId="national.nps"),
            rating(f"{prefix}-6", 4, channelId=CHANNEL_PHONE, questionId=RECOMMEND),
            rating(f"{prefix}-7", 9, channelId=KIOSK, questionId="national.nps")]


def test_submit_ratings_refuses_questions_outside_the_set_on_both_paths(kiosk: Api,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = endpoint.ingest
    monkeypatch.setattr(endpoint, "ingest", lambda *a, **k: calls.append(1) or real(*a, **k))
    bodies = []
    for name in ("core", "direct"):
        body = kiosk.gql(SUBMIT, {"input": {"ratings": _kiosk_batch(name)}}, token="org_a")
        bodies.append(orjson.loads(orjson.dumps(body).replace(name.encode() + b"-", b"ref-")))
    assert calls == [1], "graphql-core answers the first request, the direct path the second"
    assert bodies[0] == bodies[1]
    payload = bodies[0]["data"]["submitRatings"]
    assert (payload["accepted"], payload["rejected"]) == (4, 3)
    refused = [(r["index"], r["code"]) for r in payload["results"] if r["status"] == "REJECTED"]
    assert refused == [(1, "QUESTION_NOT_FOR_CHANNEL"), (5, "QUESTION_NOT_FOR_CHANNEL"),
                       (6, "QUESTION_NOT_FOR_CHANNEL")]
    assert payload["results"][1]["message"] == REFUSED
    assert "Phone channels" in payload["results"][5]["message"] and payload["results"][6]["message"].startswith(
        "question 'national.nps' is not asked on Kiosk channels")
    rows = stored(kiosk)
    assert rows["direct-1"] == (KIOSK, RECOMMEND, NATIONAL[RECOMMEND].current_version, "Kiosk.1")
    assert rows["direct-3"][3] == "Kiosk.1" and rows["direct-4"][3] is None and rows["direct-5"][3] is None
    assert "direct-2" not in rows


def test_answers_pool_across_channels_in_one_score(kiosk: Api) -> None:
    body = kiosk.gql(SUBMIT, {"input": {"ratings": [rating("k", 5, channelId=KIOSK, questionId=RECOMMEND),
                                                    rating("w", 3, channelId=CHANNEL_A, questionId=RECOMMEND)]}},
                     token="org_a")
    assert body["data"]["submitRatings"]["accepted"] == 2
    score = kiosk.gql("""query($id: ID!) { service(id: $id) { score(questionId: "national.recommend",
      from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") { count mean } } }""", {"id": SERVICE_A},
                      token="org_a")["data"]["service"]["score"]
    assert score == {"count": 2, "mean": 4.0}


def test_ndjson_bulk_refuses_questions_outside_the_set(kiosk: Api) -> None:
    lines = [line("b1", 4, channelId=KIOSK), line("b2", 4, channelId=KIOSK, questionId="national.easy-to-use"),
             line("b3", 4, channelId=KIOSK, questionId=RECOMMEND)]
    status, body = upload(kiosk, b"\n".join(lines))
    assert status == 200 and (body["accepted"], body["rejected"]) == (2, 1)
    assert body["problems"] == [{"line": 2, "status": "REJECTED", "code": "QUESTION_NOT_FOR_CHANNEL",
                                 "message": REFUSED}]
    assert stored(kiosk)["b3"][3] == "Kiosk.1"


def test_the_widget_answer_is_refused_for_a_question_outside_the_set(kiosk: Api) -> None:
    key = ticket_key(kiosk)
    signer = runtime(kiosk.client.app.state.arvio.services).drawer.signer  # type: ignore[attr-defined]
    draw_id, _ = signer.sign(service_id=SERVICE_A, channel_id=KIOSK, question_id="national.easy-to-use",
                             wording_version=2, now=kiosk.clock.now)  # as an older arvio might have drawn
    ticket = mint(kiosk, key, channel=KIOSK)
    refused = answer(kiosk, {"drawId": draw_id}, ticket, 4, status=400)
    assert (refused["code"], refused["itemCode"], refused["message"]) == (
        "RATING_REJECTED", "QUESTION_NOT_FOR_CHANNEL", REFUSED)
    drawn = draw(kiosk, channel=KIOSK)
    assert answer(kiosk, drawn, ticket, 4)["status"] == "ACCEPTED"  # the refusal left the ticket unused
    assert [row[3] for row in stored(kiosk).values()] == ["Kiosk.1"]


def test_own_questions_are_taken_on_the_channel_types_they_were_defined_for(kiosk: Api) -> None:
    wording = {"fi": "Miten asiointi sujui?", "sv": "Hur gick ärendet?", "en": "How did it go?"}
    defined = kiosk.gql(DEFINE, {"input": {"questionId": "city.kiosk-faces", "scale": "FACES_4", "weight": 0,
                                           "wording": wording, "channelTypes": ["KIOSK"]}}, token="org_a")
    assert defined["data"]["defineQuestion"] == {"id": "city.kiosk-faces", "channelTypes": ["KIOSK"]}
    anywhere = kiosk.gql(DEFINE, {"input": {"questionId": "city.any", "scale": "STARS_5", "wording": wording}},
                         token="org_a")
    assert anywhere["data"]["defineQuestion"]["channelTypes"] is None
    empty = kiosk.gql(DEFINE, {"input": {"questionId": "city.none", "scale": "STARS_5", "wording": wording,
                                         "channelTypes": []}}, token="org_a")
    assert empty["errors"][0]["extensions"]["code"] == "INVALID_CHANNEL_TYPES"
    faces = [rating("f1", 4, channelId=KIOSK, questionId="city.kiosk-faces"),
             rating("f2", 4, channelId=CHANNEL_A, questionId="city.kiosk-faces"),
             rating("f3", 4, questionId="city.kiosk-faces"),  # no channel: not limited
             rating("f4", 4, channelId=KIOSK, questionId="city.any")]
    result = kiosk.gql(SUBMIT, {"input": {"ratings": faces}}, token="org_a")["data"]["submitRatings"]
    assert [r["code"] for r in result["results"]] == [None, "QUESTION_NOT_FOR_CHANNEL", None, None]
    assert result["results"][1]["message"].startswith("question 'city.kiosk-faces' is not asked on EChannel")


def test_a_weight_where_the_question_is_never_drawn_is_refused(kiosk: Api) -> None:
    for channel in (KIOSK, CHANNEL_PHONE):
        body = kiosk.gql(SET_WEIGHT, {"input": {"questionId": "national.easy-to-use" if channel == KIOSK
                                                else RECOMMEND, "weight": 2, "channelId": channel}}, token="org_a")
        assert body["errors"][0]["extensions"]["code"] == "QUESTION_NOT_FOR_CHANNEL", body
    ok = kiosk.gql(SET_WEIGHT, {"input": {"questionId": RECOMMEND, "weight": 3, "channelId": KIOSK}}, token="org_a")
    assert ok["data"]["setQuestionWeight"]["weight"] == 3
    chances = kiosk.gql("""query($s: ID!, $c: ID) { drawChances(serviceId: $s, channelId: $c) { questionId
      wordingVariant probability } }""", {"s": SERVICE_A, "c": KIOSK}, token="org_a")["data"]["drawChances"]
    assert chances == [{"questionId": RECOMMEND, "wordingVariant": "Kiosk.1", "probability": 0.75},
                       {"questionId": TRANSACTION_SMOOTH, "wordingVariant": "Kiosk.1", "probability": 0.25}]

