"""Automatic persisted queries and the direct execution of the public score (schema/graphql/persisted.py): the same
answers, errors and logs as the strawberry path, a bounded store, and coded refusals of bad extensions."""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

import orjson
import pytest
from graphql import OperationType

from schema.graphql import persisted
from schema.graphql.persisted import PersistedQueries, PersistedQueryError, runs_directly
from schema.graphql.validation import select_operation
from tests.conftest import SERVICE_A, Api
from tests.schema.graphql.test_ratings import PUBLIC, rating, submit
from tests.schema.http.test_edge_errors import refusal


def digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def apq(query_hash: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": query_hash}}


def test_a_persisted_query_round_trip_over_post_and_get(api: Api) -> None:
    submit(api, [rating(f"r{i}", 1 + i % 5) for i in range(12)])
    variables = {"id": SERVICE_A}
    missing = api.client.post("/graphql", json={"variables": variables, "extensions": apq(digest(PUBLIC))})
    assert refusal(missing, 200, "PERSISTED_QUERY_NOT_FOUND").startswith("PersistedQueryNotFound")
    plain = api.client.post("/graphql", json={"query": PUBLIC, "variables": variables}).json()
    assert plain["data"]["publicScore"]["count"] == 12
    registered = api.client.post("/graphql", json={"query": PUBLIC, "variables": variables,
                                                   "extensions": apq(digest(PUBLIC))})
    assert registered.json() == plain
    by_hash = api.client.post("/graphql", json={"variables": variables, "extensions": apq(digest(PUBLIC))})
    assert by_hash.json() == plain
    got = api.client.get("/graphql", params={"variables": orjson.dumps(variables).decode(),
                                             "extensions": orjson.dumps(apq(digest(PUBLIC))).decode()})
    assert got.status_code == 200 and got.json() == plain


@pytest.mark.parametrize(("extensions", "code", "start"), [
    ([], "BAD_REQUEST", "`extensions` must be a JSON object."),
    ({"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}}, "BAD_REQUEST", "extensions.persistedQuery must"),
    ({"persistedQuery": {"version": 1, "sha256Hash": "XYZ"}}, "BAD_REQUEST", "extensions.persistedQuery.sha256"),
    ({"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}, "PERSISTED_QUERY_HASH_MISMATCH",
     "persistedQuery.sha256Hash is not"),
])
def test_bad_persisted_query_extensions_are_coded(api: Api, extensions: object, code: str, start: str) -> None:
    response = api.client.post("/graphql", json={"query": PUBLIC, "variables": {"id": SERVICE_A},
                                                 "extensions": extensions})
    assert refusal(response, 400, code).startswith(start)


def test_the_store_is_bounded_and_keeps_no_overlong_text() -> None:
    store = PersistedQueries(max_chars=40, max_entries=2)
    texts = ["{ a }", "{ b }", "{ c }"]
    for text in texts:
        assert store.resolve(text, apq(digest(text))) == text
    assert store.resolve(None, apq(digest("{ c }"))) == "{ c }"
    with pytest.raises(PersistedQueryError):
        store.resolve(None, apq(digest("{ a }")))  # the least recently used went first
    long = "{ " + "x " * 30 + "}"
    assert store.resolve(long, apq(digest(long))) == long
    with pytest.raises(PersistedQueryError):
        store.resolve(None, apq(digest(long)))


def test_direct_execution_answers_and_logs_exactly_as_strawberry(api: Api, caplog: pytest.LogCaptureFixture,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    submit(api, [rating(f"r{i}", 1 + i % 5) for i in range(12)])
    direct: list[str] = []
    original = persisted.execute_directly

    def spy(*args: Any, **kwargs: Any) -> Any:
        direct.append("direct")
        return original(*args, **kwargs)

    monkeypatch.setattr("schema.http.graphql_endpoint.execute_directly", spy)
    cases = [{"id": SERVICE_A}, {"id": "00000000-0000-4000-8000-000000000000"}, {"id": "not a guid"}, {},
             {"id": 12}]
    for variables in cases:
        with caplog.at_level(logging.INFO):
            caplog.clear()
            first = api.client.post("/graphql", json={"query": PUBLIC, "variables": variables})
            first_logs = sorted(r.getMessage() for r in caplog.records if r.name.startswith("arvio"))
            caplog.clear()
            again = api.client.post("/graphql", json={"query": PUBLIC, "variables": variables})
            again_logs = sorted(r.getMessage() for r in caplog.records if r.name.startswith("arvio"))
        assert (again.status_code, again.json()) == (first.status_code, first.json())
        assert _without_ids(again_logs) == _without_ids(first_logs)
    assert len(direct) == 2 * len(cases) - 1  # the text's first request validated it on the strawberry path


def _without_ids(lines: list[str]) -> list[str]:
    """The lines without what differs between two identical requests: request ids and durations (access log)."""
    return [re.sub(r"\b\d+(\.\d+)?ms\b", "…ms", re.sub(r"request [0-9a-f]+", "request …", line)) for line in lines]


@pytest.mark.parametrize(("query", "direct"), [
    (PUBLIC, True),
    ('{ publicScore(serviceId: "x") { count } __typename }', True),
    ('mutation { __typename }', False),
    ('{ publicScore(serviceId: "x") { count } service(id: "x") { id } }', False),
    ('{ ...F } fragment F on Query { publicScore(serviceId: "x") { count } }', False),
    ('{ publicScore(serviceId: "x") @include(if: true) { count } }', False),
])
def test_only_plain_public_reads_run_directly(query: str, direct: bool) -> None:
    operation = select_operation(query, None, 5000)
    assert not isinstance(operation, (str, Exception))

    class Known:
        def known_valid(self, _query: str) -> bool:
            return True

    assert runs_directly(operation, query, Known()) is direct  # type: ignore[arg-type]
    assert operation.is_mutation is (operation.definition.operation is OperationType.MUTATION)
