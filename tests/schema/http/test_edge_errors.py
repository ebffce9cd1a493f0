"""The HTTP edge of /graphql and /subgraph: every malformed request is a coded 4xx, never a 500 or a silent drop."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from federation.settings import Settings
from schema.wiring import build_app
from tests.conftest import Api, Clock
from tests.schema.graphql.test_ratings import SUBMIT, rating, score


def refusal(response: Any, status: int, code: str) -> str:
    """The message of a coded refusal, after checking its status, code and classification."""
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["classification"]
    message: str = error["message"]
    return message


@pytest.mark.parametrize("path", ["/graphql", "/subgraph"])
def test_unknown_operation_name_is_a_400(api: Api, path: str) -> None:
    response = api.client.post(path, json={"query": "query A { __typename }", "operationName": "B"})
    assert refusal(response, 400, "UNKNOWN_OPERATION") == (
        "The query has no operation named 'B' (its operations: A); set `operationName` to one of them, or leave "
        "it out when the query has one operation.")


@pytest.mark.parametrize("path", ["/graphql", "/subgraph"])
@pytest.mark.parametrize("operation_name", [[], {}, 1, True])
def test_operation_name_must_be_a_string(api: Api, path: str, operation_name: object) -> None:
    response = api.client.post(path, json={"query": "query A { __typename }", "operationName": operation_name})
    assert refusal(response, 400, "BAD_REQUEST").startswith("`operationName` must be a string")


@pytest.mark.parametrize(("query", "start"), [
    ("query A { __typename } query B { __typename }", "The query has 2 operations (A, B); set `operationName`"),
    ("fragment F on Query { __typename }", "The query has no operation;"),
])
def test_operation_must_be_chosen(api: Api, query: str, start: str) -> None:
    response = api.client.post("/graphql", json={"query": query})
    assert refusal(response, 400, "UNKNOWN_OPERATION").startswith(start)


def test_operation_name_picks_the_operation(api: Api) -> None:
    body = {"query": "query A { a: __typename } query B { b: __typename }", "operationName": "B"}
    assert api.client.post("/graphql", json=body).json() == {"data": {"b": "Query"}}
    assert api.client.post("/graphql", json={**body, "operationName": ""}).status_code == 400


@pytest.mark.parametrize(("params", "start"), [
    ({"variables": "[1]"}, "`variables` must be a JSON object."),
    ({"variables": '"x"'}, "`variables` must be a JSON object."),
    ({"variables": "{nope"}, "`variables` is not valid JSON"),
])
def test_malformed_get_requests(api: Api, params: dict[str, str], start: str) -> None:
    response = api.client.get("/graphql", params={"query": "{ __typename }", **params})
    assert refusal(response, 400, "BAD_REQUEST").startswith(start)


@pytest.mark.parametrize(("body", "start"), [
    ({"query": 1}, "The body must be a JSON object with a `query` string."),
    ({"variables": {}}, "The body must be a JSON object with a `query` string."),
    ([{"query": "{ __typename }"}], "The body must be a JSON object with a `query` string."),
    ({"query": "{ __typename }", "variables": "{}"}, "`variables` must be a JSON object."),
    ({"query": "{ __typename }", "variables": 3}, "`variables` must be a JSON object."),
])
def test_malformed_post_bodies(api: Api, body: object, start: str) -> None:
    response = api.client.post("/graphql", content=orjson.dumps(body), headers={"content-type": "application/json"})
    assert refusal(response, 400, "BAD_REQUEST").startswith(start)


def test_get_mutation_is_refused_from_the_parsed_operation(api: Api) -> None:
    query = "query A { __typename } mutation B { revokeToken(id: 1) }"
    response = api.client.get("/graphql", params={"query": query, "operationName": "B"})
    assert refusal(response, 405, "METHOD_NOT_ALLOWED").startswith("Mutations must be sent with POST")
    ok = api.client.get("/graphql", params={"query": query, "operationName": "A"})
    assert ok.json() == {"data": {"__typename": "Query"}}


def _submit_body(ref: str) -> bytes:
    return orjson.dumps({"query": SUBMIT, "variables": {"input": {"ratings": [rating(ref)]}}})


@pytest.mark.parametrize("content_type", [
    "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    None,
])
def test_only_json_bodies_are_executed(api: Api, content_type: str | None) -> None:
    headers = {"Authorization": f"Bearer {api.tokens['org_a']}"}
    if content_type is not None:
        headers["content-type"] = content_type
    response = api.client.post("/graphql", content=_submit_body("csrf"), headers=headers)
    assert refusal(response, 415, "UNSUPPORTED_MEDIA_TYPE") == (
        "Send the request body as JSON with Content-Type: application/json ({\"query\": …, \"variables\": …}).")
    assert score(api)["count"] == 0


def test_json_with_charset_is_accepted(api: Api) -> None:
    headers = {"Authorization": f"Bearer {api.tokens['org_a']}", "content-type": "Application/JSON; charset=utf-8"}
    response = api.client.post("/graphql", content=_submit_body("ok"), headers=headers)
    assert response.json()["data"]["submitRatings"]["accepted"] == 1
    assert score(api)["count"] == 1


def test_subgraph_wants_json_too(api: Api) -> None:
    response = api.client.post("/subgraph", content=b'{"query": "{ __typename }"}',
                               headers={"content-type": "text/plain"})
    refusal(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.fixture
def many_tokens(api: Api, app_settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch,
                ) -> Iterator[TestClient]:
    """The app with ARVIO_MAX_QUERY_TOKENS raised well above 5 000 (and room for a long query text)."""
    monkeypatch.setattr("schema.http.requests.MAX_QUERY_CHARS", 200_000)
    settings = dataclasses.replace(app_settings, max_query_tokens=50_000)
    with TestClient(build_app(settings, database=api.database, run_migrations=False, clock=clock)) as client:
        yield client


def test_a_mutation_over_5000_tokens_is_stored(api: Api, many_tokens: TestClient) -> None:
    items = ", ".join(
        '{clientRef: "t%d", serviceId: "%s", questionId: "%s", value: 4, answeredAt: "%s"}'
        % (i, r["serviceId"], r["questionId"], r["answeredAt"]) for i, r in enumerate(rating("x") for _ in range(300)))
    query = "mutation Big { submitRatings(input: {ratings: [%s]}) { accepted } }" % items
    assert query.count(":") > 1500  # well over 5 000 tokens
    response = many_tokens.post("/graphql", json={"query": query},
                                headers={"Authorization": f"Bearer {api.tokens['org_a']}"})
    assert response.json() == {"data": {"submitRatings": {"accepted": 300}}}
    assert score(api)["count"] == 300


@pytest.mark.parametrize("body", [
    {"query": '{ services(after: "a\\u0000b") { id } }'},
    {"query": "query($a: ID) { services(after: $a) { id } }", "variables": {"a": "a\x00b"}},
    {"query": "query($a: ID) { services(after: $a) { id } }", "variables": {"a\x00": "x"}},
])
def test_nul_characters_are_refused_before_the_database_sees_them(api: Api, body: dict[str, Any]) -> None:
    assert "NUL" in refusal(api.client.post("/graphql", json=body), 400, "BAD_REQUEST")
