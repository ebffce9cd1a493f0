"""Organisation questions and rotation weights through GraphQL, and what the draw then shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from federation.ratings.models import Rating
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, SERVICE_A, SERVICE_B, Api
from tests.schema.widget_support import SET_WEIGHT, answer, draw, mint, pin_question, ticket_key

DEFINE = """mutation($input: DefineQuestionInput!) { defineQuestion(input: $input) {
  id scale wordingVersion owner retired fi: text(locale: FI) sv: text(locale: SV) } }"""
REWORD = """mutation($input: RewordQuestionInput!) { rewordQuestion(input: $input) {
  id wordingVersion en: text(locale: EN) } }"""
RETIRE = "mutation($id: ID!) { retireQuestion(questionId: $id) { id retired } }"
CHANCES = """query($s: ID!, $c: ID) { drawChances(serviceId: $s, channelId: $c) {
  questionId wordingVersion weight probability } }"""
WEIGHTS = "{ questionWeights { questionId weight serviceId channelId } }"
WORDING = {"fi": "Saitko apua?", "sv": "Fick du hjälp?", "en": "Did you get help?"}


def ok(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def define(api: Api, question_id: str = "city.help", scale: str = "LIKERT_5", weight: float = 1.0,
           token: str = "org_a") -> dict[str, Any]:
    return api.gql(DEFINE, {"input": {"questionId": question_id, "scale": scale, "wording": WORDING,
                                      "weight": weight}}, token=token)


def test_an_organisation_defines_weights_rewords_and_retires_its_own_question(api: Api) -> None:
    assert ok(define(api))["defineQuestion"] == {"id": "city.help", "scale": "LIKERT_5", "wordingVersion": 1,
                                                 "owner": "1000001-2", "retired": False, "fi": "Saitko apua?",
                                                 "sv": "Fick du hjälp?"}
    pin_question(api, "national.transaction-smooth")
    ok(api.gql(SET_WEIGHT, {"input": {"questionId": "city.help", "weight": 3, "serviceId": SERVICE_A,
                                      "channelId": CHANNEL_A}}, token="org_a"))
    chances = {c["questionId"]: c["probability"]
               for c in ok(api.gql(CHANCES, {"s": SERVICE_A, "c": CHANNEL_A}, token="org_a"))["drawChances"]}
    assert chances == {"city.help": 0.75, "national.transaction-smooth": 0.25}
    ok(api.gql(SET_WEIGHT, {"input": {"questionId": "national.transaction-smooth", "weight": 0,
                                      "serviceId": SERVICE_A}}, token="org_a"))
    drawn = draw(api)
    assert (drawn["question"]["id"], drawn["question"]["scale"], drawn["question"]["text"]) == (
        "city.help", "LIKERT_5", "Saitko apua?")
    reworded = ok(api.gql(REWORD, {"input": {"questionId": "city.help", "wording": {
        **WORDING, "en": "Did you get the help you needed?"}}}, token="org_a"))["rewordQuestion"]
    assert reworded == {"id": "city.help", "wordingVersion": 2, "en": "Did you get the help you needed?"}
    key = ticket_key(api)
    assert answer(api, drawn, mint(api, key), 4)["status"] == "ACCEPTED"  # drawn under version 1
    again = draw(api, locale="en")
    assert (again["question"]["wordingVersion"], again["question"]["text"]) == (2, "Did you get the help you "
                                                                                  "needed?")
    with api.database.transaction(write=False) as session:
        assert session.scalars(select(Rating.wording_version)).all() == [1]
    assert ok(api.gql(RETIRE, {"id": "city.help"}, token="org_a"))["retireQuestion"] == {
        "id": "city.help", "retired": True}
    assert draw(api)["question"]["id"] == "national.transaction-smooth"  # everything else weighs 0: fallback
    late = answer(api, again, mint(api, key), 4, status=400)
    assert (late["code"], late["itemCode"]) == ("RATING_REJECTED", "QUESTION_RETIRED")


def test_weights_are_listed_and_removed(api: Api) -> None:
    ok(api.gql(SET_WEIGHT, {"input": {"questionId": "national.recommend", "weight": 0.5}}, token="org_a"))
    ok(api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 2, "channelId": CHANNEL_A}},
               token="org_a"))
    assert ok(api.gql(WEIGHTS, token="org_a"))["questionWeights"] == [
        {"questionId": "national.nps", "weight": 2.0, "serviceId": None, "channelId": CHANNEL_A},
        {"questionId": "national.recommend", "weight": 0.5, "serviceId": None, "channelId": None}]
    removed = ok(api.gql(SET_WEIGHT, {"input": {"questionId": "national.recommend", "weight": None}},
                         token="org_a"))
    assert removed["setQuestionWeight"] is None
    assert len(ok(api.gql(WEIGHTS, token="org_a"))["questionWeights"]) == 1
    assert ok(api.gql(WEIGHTS, token="org_b"))["questionWeights"] == []


def test_phone_draws_follow_the_weights_too(api: Api) -> None:
    ok(api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 0, "channelId": CHANNEL_PHONE}},
               token="org_a"))
    ok(api.gql(SET_WEIGHT, {"input": {"questionId": "national.transaction-smooth", "weight": 1,
                                      "channelId": CHANNEL_PHONE}}, token="org_a"))
    assert draw(api, channel=CHANNEL_PHONE)["question"]["id"] == "national.transaction-smooth"


def test_national_questions_change_only_through_an_admin(api: Api) -> None:
    wording = {"questionId": "national.transaction-smooth", "wording": WORDING}
    refused = api.gql(REWORD, {"input": wording}, token="org_a")
    assert code(refused) == "NATIONAL_QUESTION"
    assert "only be reworded by an admin, as a new wording version" in refused["errors"][0]["message"]
    assert code(api.gql(RETIRE, {"id": "national.recommend"}, token="org_a")) == "NATIONAL_QUESTION"
    assert code(api.gql(RETIRE, {"id": "national.recommend"}, token="admin")) == "NATIONAL_QUESTION"
    assert ok(api.gql(REWORD, {"input": wording}, token="admin"))["rewordQuestion"]["wordingVersion"] == 2
    assert code(api.gql(REWORD, {"input": wording}, token="publisher")) == "FORBIDDEN"


def test_organisations_cannot_touch_each_others_questions(api: Api) -> None:
    ok(define(api))
    assert code(api.gql(REWORD, {"input": {"questionId": "city.help", "wording": WORDING}},
                        token="org_b")) == "NOT_YOUR_QUESTION"
    assert code(api.gql(RETIRE, {"id": "city.help"}, token="org_b")) == "NOT_YOUR_QUESTION"
    assert code(api.gql(SET_WEIGHT, {"input": {"questionId": "city.help", "weight": 1}},
                        token="org_b")) == "NOT_YOUR_QUESTION"
    assert code(api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 1,
                                               "serviceId": SERVICE_B}}, token="org_a")) == "NOT_YOUR_SERVICE"
    assert code(api.gql(CHANCES, {"s": SERVICE_B}, token="org_a")) == "FORBIDDEN"
    assert code(define(api, question_id="city.help", token="org_b")) == "QUESTION_EXISTS"


def test_question_input_is_checked(api: Api) -> None:
    assert code(define(api, question_id="national.mine")) == "INVALID_QUESTION_ID"
    assert code(define(api, weight=-1)) == "INVALID_WEIGHT"
    missing = api.gql(DEFINE, {"input": {"questionId": "city.x", "scale": "YES_NO",
                                         "wording": {**WORDING, "sv": " "}}}, token="org_a")
    assert code(missing) == "INVALID_WORDING"
    assert code(api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 5000}},
                        token="org_a")) == "INVALID_WEIGHT"
    assert code(api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 1}},
                        token="admin")) == "ORGANISATION_REQUIRED"
    admin = api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 1,
                                           "organisationId": "1000001-2"}}, token="admin")
    assert ok(admin)["setQuestionWeight"]["organisationId"] == "1000001-2"
