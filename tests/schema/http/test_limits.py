"""Limits and error shaping at the edge: depth, aliases, body size, bad JSON, masking, GraphiQL, health."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from federation.db import Database
from federation.settings import Settings
from schema.graphql.errors import MASKED_MESSAGE
from schema.wiring import build_app
from tests.conftest import SERVICE_A, Api, Clock


def test_health(api: Api) -> None:
    response = api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_alias_limit(api: Api) -> None:
    aliases = " ".join(f"a{i}: viewer {{ label }}" for i in range(31))
    body = api.gql("{ " + aliases + " }")
    assert "aliases" in body["errors"][0]["message"]


def test_body_size_limit(api: Api) -> None:
    response = api.client.post("/graphql", content=b"{" + b" " * 2_000_001 + b"}",
                               headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BODY_TOO_LARGE"


@pytest.mark.parametrize(("body", "message"), [
    (b"not json", "The body is not valid JSON"),
    (b"[]", "The body must be a JSON object with a `query` string."),
    (b'{"query": "{ viewer { label } }", "variables": [1]}', "`variables` must be a JSON object."),
])
def test_malformed_requests(api: Api, body: bytes, message: str) -> None:
    response = api.client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(message)


def test_mutation_over_get_is_refused(api: Api) -> None:
    response = api.client.get("/graphql", params={"query": "mutation { revokeToken(id: 1) }"})
    assert response.status_code == 405


def test_query_over_get(api: Api) -> None:
    response = api.client.get("/graphql", params={"query": '{ publicScore(serviceId: "%s") { published } }'
                                                  % SERVICE_A})
    assert response.json() == {"data": {"publicScore": {"published": False}}}


def test_no_field_suggestions_outside_development(api: Api) -> None:
    body = api.gql("{ publicScor { published } }")
    assert body["errors"][0]["message"] == "Cannot query field 'publicScor' on type 'Query'."
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_unexpected_errors_are_masked_and_logged(api: Api, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("schema.graphql.auth.Viewer.__init__", boom)
    with caplog.at_level(logging.ERROR, logger="arvio.errors"):
        body = api.gql("{ viewer { label } }", token="org_a")
    assert body["errors"][0]["message"] == MASKED_MESSAGE
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_ERROR", "classification": "INTERNAL_SERVER_ERROR"}
    assert "secret internals" not in str(body)
    # The log names the exception class and our frames, never its message (it can echo caller input).
    assert "RuntimeError" in caplog.text and "boom" in caplog.text
    assert "secret internals" not in caplog.text


def test_viewer(api: Api) -> None:
    assert api.gql("{ viewer { role organisationId } }", token="org_a")["data"]["viewer"] == {
        "role": "ORGANISATION", "organisationId": "1000001-2"}
    assert api.gql("{ viewer { role } }")["data"]["viewer"] is None


@pytest.fixture
def limited_client(database: Database, app_settings: Settings, clock: Clock) -> Iterator[TestClient]:
    settings = Settings(database_url=app_settings.database_url, environment="development",
                        master_key=app_settings.master_key, rate_limit_per_minute=4, max_query_depth=2)
    with TestClient(build_app(settings, database=database, run_migrations=False, clock=clock)) as client:
        yield client


def test_rate_limit_and_development_mode(limited_client: TestClient) -> None:
    page = limited_client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    suggestions = limited_client.post("/graphql", json={"query": "{ publicScor { published } }"})
    assert "Did you mean 'publicScore'" in suggestions.json()["errors"][0]["message"]
    deep = limited_client.post("/graphql", json={
        "query": '{ service(id: "%s") { score { interval { low } } } }' % SERVICE_A})
    assert deep.json()["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 2"
    statuses = [limited_client.post("/graphql", json={"query": "{ viewer { label } }"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_query_text_is_bounded(api: Api) -> None:
    padded = "{ viewer { label } }" + " " * 20_001
    response = api.client.post("/graphql", json={"query": padded})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"
