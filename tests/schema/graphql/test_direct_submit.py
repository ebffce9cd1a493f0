"""``submitRatings`` executed directly (schema/graphql/ratings/direct.py, schema/graphql/ratings/items.py): it reads
items as graphql-core coerces them, takes only the plain operation shape, and answers exactly as graphql-core's path
— which still answers everything it does not take."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from graphql import GraphQLError, GraphQLInputObjectType
from graphql.utilities import coerce_input_value
from hypothesis import given, settings
from hypothesis import strategies as st

import schema.http.graphql_endpoint as endpoint
from federation.settings import Settings
from schema.graphql.api import build_schema
from schema.graphql.ratings.direct import submit_plan
from schema.graphql.ratings.ingest import submission_from_mapping
from schema.graphql.ratings.items import Malformed, read_item
from tests.conftest import NOW, Api
from tests.schema.graphql.test_ratings import rating

RATING_INPUT = build_schema(Settings())._schema.type_map["RatingInput"]
assert isinstance(RATING_INPUT, GraphQLInputObjectType)

_ANY = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=8),
                 st.lists(st.integers(0, 3), max_size=2), st.just({"x": 1}))
_TIMES = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1),
                      timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))]),
                      ).map(dt.datetime.isoformat)
_DEMOGRAPHICS = st.dictionaries(
    st.sampled_from(["legalBasis", "consent", "birthYear", "municipalityCode", "language", "gender",
                     "personalIdentifier", "dropInvalid", "shoeSize"]),
    st.one_of(_ANY, st.integers(1900, 2020), st.sampled_from(["CONSENT", "091", "fi"])), max_size=4)
_FOLLOW_UPS = st.one_of(st.none(), _ANY, st.dictionaries(
    st.sampled_from(["drivers", "text", "mood"]),
    st.one_of(_ANY, st.lists(st.sampled_from(["ease", "staff", 7]), max_size=2)), max_size=2))
ITEMS = st.fixed_dictionaries(
    {"clientRef": st.one_of(st.text(min_size=1, max_size=12), _ANY),
     "serviceId": st.one_of(st.just(" 2B3F1A52-8F43-4F4E-9A41-0C5B3E1F7D20"), _ANY),
     "questionId": st.just("national.nps"), "answeredAt": st.one_of(_TIMES, _ANY)},
    optional={"channelId": _ANY, "value": st.one_of(st.integers(-(2**33), 2**33), _ANY), "skipped": _ANY,
              "locale": _ANY, "followUp": _FOLLOW_UPS, "demographics": st.one_of(st.none(), _DEMOGRAPHICS, _ANY),
              "extra": _ANY})


@settings(max_examples=600, deadline=None)
@given(item=ITEMS)
def test_what_the_reader_takes_graphql_core_coerces_to_the_same_submission(item: dict[str, Any]) -> None:
    """The direct path never accepts an item GraphQL would refuse, and reads what it accepts identically."""
    try:
        direct = read_item(item, strict=True)
    except Malformed:
        return  # graphql-core's path answers it
    try:
        coerced = coerce_input_value(item, RATING_INPUT)
    except GraphQLError as error:
        pytest.fail(f"the reader took an item GraphQL refuses: {error.message}")
    assert submission_from_mapping(coerced) == direct


SUBMIT = """mutation($input: SubmitRatingsInput!) {
  submitRatings(input: $input) { accepted duplicates rejected results { index status code message } } }"""


@pytest.mark.parametrize("query", [
    SUBMIT,
    "mutation M($batch: SubmitRatingsInput!) { s: submitRatings(input: $batch) { n: accepted results { i: index } } }",
    "mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { rejected } }",
])
def test_plain_submit_operations_have_a_plan(query: str) -> None:
    assert submit_plan(query, None, 10_000) is not None


@pytest.mark.parametrize("query", [
    "mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { __typename accepted } }",
    "mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { ...P } } "
    "fragment P on SubmitRatingsPayload { accepted }",
    "mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { accepted @include(if: true) } }",
    "mutation($input: SubmitRatingsInput!, $x: Int) { submitRatings(input: $input) { accepted } }",
    "mutation($input: SubmitRatingsInput) { submitRatings(input: $input) { accepted } }",
    "mutation($input: SubmitRatingsInput!) { a: submitRatings(input: $input) { accepted } "
    "b: submitRatings(input: $input) { accepted } }",
    "mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { a: results { index } "
    "b: results { status } } }",
    "mutation { submitRatings(input: {ratings: []}) { accepted } }",
    "query { __typename }",
])
def test_other_shapes_take_graphql_cores_path(query: str) -> None:
    assert submit_plan(query, None, 10_000) is None


def _mixed_batch(prefix: str) -> list[dict[str, Any]]:
    items = [rating(f"{prefix}-{i}", v) for i, v in enumerate([5, 4, None, 9, 3])]
    items[2]["skipped"] = True
    items.append(rating(f"{prefix}-0", 2))  # a duplicate in the batch
    items.append(rating(f"{prefix}-x", 4, followUp={"drivers": ["ease"], "text": "Jonotin liian kauan"},
                        demographics={"legalBasis": "CONSENT", "birthYear": 1980, "municipalityCode": "091"}))
    items.append(rating(f"{prefix}-y", 4, demographics={"birthYear": 1980}))  # no legal basis: REJECTED
    items.append(rating(f"{prefix}-z", 3, answeredAt=(NOW + dt.timedelta(days=2)).isoformat()))
    return items


@pytest.mark.parametrize("query", [
    SUBMIT,
    "mutation M($b: SubmitRatingsInput!) { out: submitRatings(input: $b) { results { why: message code } n: accepted "
    "duplicates } }",
])
def test_the_direct_path_answers_as_graphql_core(api: Api, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = endpoint.ingest
    monkeypatch.setattr(endpoint, "ingest", lambda *a, **k: calls.append(1) or real(*a, **k))
    bodies = []
    for name in ("first", "again", "resend"):
        items = _mixed_batch("again" if name == "resend" else name)
        variables = {"input": {"ratings": items}} if query == SUBMIT else {"b": {"ratings": items}}
        body = api.gql(query, variables, token="org_a")
        bodies.append(orjson.loads(orjson.dumps(body).replace(name.encode() + b"-", b"ref-")))
    assert calls == [1, 1], "the first request validates the text; the next two run directly"
    assert bodies[0] == bodies[1]
    assert "errors" not in bodies[0]
    payload = next(iter(bodies[0]["data"].values()))
    assert payload.get("accepted", payload.get("n")) == 5
    resent = next(iter(bodies[2]["data"].values()))
    assert [r["code"] for r in resent["results"]].count("ALREADY_RECEIVED") == 5  # everything stored before


def test_what_the_direct_path_does_not_take_is_answered_as_before(api: Api) -> None:
    api.gql(SUBMIT, {"input": {"ratings": [rating("warm-up")]}}, token="org_a")  # the text is now known valid
    for bad in ({"value": 2**40}, {"skipped": None}, {"answeredAt": "soon"}, {"clientRef": 7}):
        body = api.gql(SUBMIT, {"input": {"ratings": [rating("bad", **{"value": 5, **bad})]}}, token="org_a")
        assert body["data"] is None and body["errors"][0]["message"].startswith("Variable '$input'"), bad
    one_driver = api.gql(SUBMIT, {"input": {"ratings": [rating("d", followUp={"drivers": "ease"})]}}, token="org_a")
    assert one_driver["data"]["submitRatings"]["accepted"] == 1  # GraphQL reads a lone value as a list of one
    as_number = api.gql(SUBMIT, {"input": {"ratings": [rating("n", serviceId=5)]}}, token="org_a")  # an ID may be
    assert as_number["data"]["submitRatings"]["results"][0]["code"] == "UNKNOWN_SERVICE"  # a number in GraphQL
    refused = api.gql(SUBMIT, {"input": {"ratings": [rating("r")]}}, token="publisher")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = api.client.post("/graphql", json={"query": SUBMIT, "variables": {"input": {"ratings": [rating("u")]}}},
                              headers={"Authorization": "Bearer arvio_nope"})
    assert unknown.status_code == 401
    too_many = api.gql(SUBMIT, {"input": {"ratings": [rating(f"m{i}") for i in range(1001)]}}, token="org_a")
    assert too_many["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"
