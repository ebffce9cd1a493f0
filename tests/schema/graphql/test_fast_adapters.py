"""The adapters that keep strawberry off the hot paths (schema/graphql/fast.py, schema/graphql/ratings/ingest.py,
schema/http/bulk.py), tested directly: the GraphQL mutation's coerced items and NDJSON lines become the same
submissions, ``DateTime`` parsing accepts what ISO 8601 allows and says how to fix the rest, and plain fields
resolved by ``getattr`` answer what strawberry's own resolvers answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
import strawberry
from graphql import GraphQLInputObjectType
from graphql.utilities import coerce_input_value
from hypothesis import given, settings
from hypothesis import strategies as st

from federation.auth.tokens import authenticate
from federation.settings import Settings
from schema.graphql.api import build_schema
from schema.graphql.context import Context
from schema.graphql.fast import parse_datetime, use_plain_attribute_resolvers
from schema.graphql.ratings.ingest import submission_from_mapping
from schema.graphql.ratings.items import Malformed
from schema.http.bulk import parse_line
from tests.conftest import NOW, Api
from tests.schema.graphql.test_ratings import rating

SCHEMA = build_schema(Settings())
RATING_INPUT = SCHEMA._schema.type_map["RatingInput"]
assert isinstance(RATING_INPUT, GraphQLInputObjectType)

_IDS = st.sampled_from(["2B3F1A52-8F43-4F4E-9A41-0C5B3E1F7D20 ", "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"])
_TIMES = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1),
                      timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=3))]))
ITEMS = st.fixed_dictionaries(
    {"clientRef": st.text(min_size=1, max_size=20), "serviceId": _IDS, "questionId": st.just(" national.nps"),
     "answeredAt": _TIMES.map(dt.datetime.isoformat)},
    optional={"channelId": st.one_of(st.none(), _IDS), "value": st.one_of(st.none(), st.integers(-3, 12)),
              "skipped": st.booleans(), "locale": st.one_of(st.none(), st.just("sv")),
              "followUp": st.one_of(st.none(), st.fixed_dictionaries(
                  {"drivers": st.lists(st.sampled_from(["ease", "staff"]), max_size=2),
                   "text": st.one_of(st.none(), st.text(max_size=20))}))})


@settings(max_examples=200, deadline=None)
@given(item=ITEMS)
def test_a_graphql_item_and_an_ndjson_line_become_the_same_submission(item: dict[str, Any]) -> None:
    coerced = coerce_input_value(item, RATING_INPUT)
    assert isinstance(coerced, dict), "the strategy must give valid RatingInput values"
    from_graphql = submission_from_mapping(coerced)
    from_ndjson = parse_line(orjson.dumps(item))
    assert from_graphql == from_ndjson
    assert from_graphql.service_id == item["serviceId"].strip().lower()  # ids as the registry stores them
    assert from_graphql.question_id == "national.nps"


@pytest.mark.parametrize(("line", "start"), [
    (b"{", "the line is not valid JSON"),
    (b"[1]", "the line must be a JSON object"),
    (b'{"clientRef": "a"}', "missing required field(s) serviceId, questionId, answeredAt."),
    (b'{"clientRef": "a", "serviceId": "s", "questionId": "q", "answeredAt": "2026-01-01T00:00:00Z", "x": 1}',
     "unknown field(s) x;"),
    (b'{"clientRef": "a", "serviceId": "s", "questionId": "q", "answeredAt": "2026-01-01T00:00:00Z", "value": true}',
     "field value has the wrong type;"),
    (b'{"clientRef": "a", "serviceId": "s", "questionId": "q", "answeredAt": "soon"}', "answeredAt: \"soon\" is not"),
])
def test_ndjson_lines_that_are_no_rating_input_say_why(line: bytes, start: str) -> None:
    with pytest.raises(Malformed) as caught:
        parse_line(line)
    assert str(caught.value).startswith(start)


@pytest.mark.parametrize("text", ["2026-03-01T09:30:00+02:00", "2026-03-01T07:30:00Z",
                                  "2026-03-01 07:30:00.123456+00:00"])
def test_iso_date_times_parse_as_python_reads_them(text: str) -> None:
    assert parse_datetime(text) == dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(("value", "start"), [
    (12, 'DateTime must be an ISO 8601 string such as "2026-03-01T09:30:00+02:00"'),
    ("1.3.2026", '"1.3.2026" is not an ISO 8601 date-time; use e.g. "2026-03-01T09:30:00+02:00".'),
])
def test_bad_date_times_say_how_to_fix_them(value: object, start: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_datetime(value)
    assert str(caught.value).startswith(start)


@strawberry.type
class Thing:
    name: str
    size: int

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [Thing(name="a", size=1), Thing(name="b", size=2)]


def test_plain_fields_resolved_by_getattr_answer_as_strawberry_does() -> None:
    query = "{ things { name size shout } }"
    before = strawberry.Schema(query=Query).execute_sync(query)
    switched = strawberry.Schema(query=Query)
    assert use_plain_attribute_resolvers(switched) == 2  # name and size; shout keeps its resolver
    after = switched.execute_sync(query)
    assert before.errors is None and after.errors is None
    assert after.data == before.data == {"things": [{"name": "a", "size": 1, "shout": "A"},
                                                     {"name": "b", "size": 2, "shout": "B"}]}


REFERENCE = build_schema(Settings(), fast=False)
SUBMIT = """mutation($input: SubmitRatingsInput!) {
  submitRatings(input: $input) { accepted duplicates rejected results { index status code message } } }"""


def test_the_fast_submit_ratings_answers_as_the_typed_resolver(api: Api) -> None:
    """Both resolvers of ``submitRatings`` on the same mixed batch (new clientRefs for each): the same payload."""
    state = api.client.app.state.arvio  # type: ignore[attr-defined]
    answers = []
    for name, schema in (("fast", state.schema), ("typed", REFERENCE)):
        items = [rating(f"{name}-{i}", v) for i, v in enumerate([5, 4, None, 9, 3])]
        items[2]["skipped"] = True
        items.append(rating(f"{name}-0", 2))  # a duplicate in the batch
        items.append(rating(f"{name}-x", 4, followUp={"drivers": ["ease"], "text": "Jonotin liian kauan"},
                            demographics={"legalBasis": "CONSENT", "birthYear": 1980, "municipalityCode": "091"}))
        with api.database.transaction() as session:
            principal = authenticate(session, api.tokens["org_a"], now=NOW)
            ctx = Context(session, principal, services=state.services, now=NOW)
            result = schema.execute_sync(SUBMIT, variable_values={"input": {"ratings": items}}, context_value=ctx)
        assert result.errors is None, result.errors
        answers.append(orjson.loads(orjson.dumps(result.data).replace(name.encode() + b"-", b"ref-")))
    assert answers[0] == answers[1]
    assert answers[0] is not None and answers[0]["submitRatings"]["accepted"] == 5
