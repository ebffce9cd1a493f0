"""Error classification, request ids and logs that never carry caller-typed values; fake tokens are rate-limited."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from federation.errors import CODES
from federation.settings import Settings
from schema.graphql.errors import kind_of
from schema.wiring import build_app
from tests.conftest import SERVICE_A, Api, Clock
from tests.schema.graphql.test_ratings import SUBMIT, rating

HETU = "131052-308T"
ERASE = "mutation($input: EraseRespondentInput!) { eraseRespondent(input: $input) { requestId } }"


def post(api: Api, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {api.tokens.get(token, token)}"} if token else {}
    body: dict[str, Any] = api.client.post("/graphql", json={"query": query, "variables": variables},
                                           headers=headers).json()
    return body


def _assert_no_identifier(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = " ".join([record.getMessage(), str(record.args), record.exc_text or ""])
        assert HETU not in text and HETU.replace("-", "") not in text, text
        assert record.levelno < logging.ERROR, text


def test_client_errors_are_logged_without_caller_values(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    literal = SUBMIT.replace("$input", "input").replace("(input: SubmitRatingsInput!)", "")
    with caplog.at_level(logging.DEBUG):
        answers = [
            # A wrong-typed field, inline and as a variable.
            post(api, literal.replace("input: input", 'input: {ratings: [{clientRef: "a", serviceId: "%s", '
                                      'questionId: "q", value: "%s", answeredAt: "x"}]}' % (SERVICE_A, HETU)),
                 token="org_a"),
            post(api, SUBMIT, {"input": {"ratings": [rating("a", HETU)]}}, token="org_a"),  # type: ignore[arg-type]
            # An unknown field carrying the identifier.
            post(api, SUBMIT, {"input": {"ratings": [rating("a", hetu=HETU)]}}, token="org_a"),
            post(api, '{ service(id: "%s") { x%s } }' % (SERVICE_A, HETU.replace("-", ""))),
            # A refused erasure: anonymous, and another organisation's service.
            post(api, ERASE, {"input": {"personalIdentifier": HETU}}),
            post(api, ERASE, {"input": {"personalIdentifier": HETU, "serviceId": SERVICE_A}}, token="org_b"),
            post(api, 'mutation { eraseRespondent(input: {personalIdentifier: "%s"}) { requestId } }' % HETU),
            # A syntax error.
            post(api, '{ service(id: "%s" { id } }' % HETU),
        ]
    assert all(answer["errors"][0]["extensions"]["classification"] for answer in answers)
    assert caplog.records, "client errors are logged (at INFO), one line per request"
    _assert_no_identifier(caplog)


def test_error_log_line_names_codes_operation_and_request_id(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="arvio.errors"):
        response = api.client.post("/graphql", json={"query": "query Mine { viewer { nope } }"},
                                   headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert [r.getMessage() for r in caplog.records] == [
        "request abc-123 operation Mine answered with GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize("incoming", [None, "x" * 65, "bad id", "a/b", ""])
def test_request_id_is_generated_when_missing_or_malformed(api: Api, incoming: str | None) -> None:
    headers = {} if incoming is None else {"X-Request-Id": incoming}
    request_id = api.client.get("/healthz", headers=headers).headers["x-request-id"]
    assert request_id != incoming and len(request_id) == 16


def test_every_error_has_a_classification(api: Api) -> None:
    cases = {
        "GRAPHQL_VALIDATION_FAILED": post(api, "{ nope }"),
        "GRAPHQL_PARSE_FAILED": post(api, "{ nope "),
        "UNAUTHENTICATED": post(api, ERASE, {"input": {"personalIdentifier": HETU}}),
        "FORBIDDEN": post(api, ERASE, {"input": {"personalIdentifier": HETU}}, token="researcher"),
        "UNKNOWN_SERVICE": post(api, '{ publicScore(serviceId: "00000000-0000-4000-8000-000000000000") { count } }',
                                token="org_a"),
    }
    classifications = {code: body["errors"][0]["extensions"] for code, body in cases.items()}
    assert {code: e["code"] for code, e in classifications.items()} == {c: c for c in cases}
    assert {code: e["classification"] for code, e in classifications.items()} == {
        "GRAPHQL_VALIDATION_FAILED": "BAD_REQUEST", "GRAPHQL_PARSE_FAILED": "BAD_REQUEST",
        "UNAUTHENTICATED": "UNAUTHENTICATED", "FORBIDDEN": "FORBIDDEN", "UNKNOWN_SERVICE": "BAD_USER_INPUT"}
    # A refusal of who is asking is a refusal of the request: no partial data, no field path.
    assert cases["FORBIDDEN"]["data"] is None and "path" not in cases["FORBIDDEN"]["errors"][0]
    assert "path" not in cases["UNAUTHENTICATED"]["errors"][0]


def test_one_table_for_status_and_classification() -> None:
    assert kind_of("SOME_NEW_DOMAIN_CODE") == kind_of("INVALID_PERIOD")
    assert (kind_of("INVALID_PERIOD").status, kind_of("INVALID_PERIOD").classification) == (400, "BAD_USER_INPUT")
    assert (kind_of("INTERNAL_ERROR").status, kind_of("INTERNAL_ERROR").classification) == (
        500, "INTERNAL_SERVER_ERROR")
    assert {k.classification for k in CODES.values()} <= {
        "BAD_REQUEST", "BAD_USER_INPUT", "UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "INTERNAL_SERVER_ERROR"}


@pytest.fixture
def five_a_minute(api: Api, app_settings: Settings, clock: Clock) -> Iterator[TestClient]:
    settings = dataclasses.replace(app_settings, rate_limit_per_minute=5)
    with TestClient(build_app(settings, database=api.database, run_migrations=False, clock=clock)) as client:
        yield client


def test_made_up_tokens_share_the_address_allowance(api: Api, five_a_minute: TestClient) -> None:
    def call(token: str) -> int:
        return five_a_minute.post("/graphql", json={"query": "{ viewer { role } }"},
                                  headers={"Authorization": f"Bearer {token}"}).status_code

    assert call(api.tokens["org_a"]) == 200  # authenticated: from now on its own bucket
    statuses = [call(f"arvio_fake{i:040d}") for i in range(8)]
    assert statuses[:4] == [401] * 4 and set(statuses[4:]) == {429}
    assert [call(api.tokens["org_a"]) for _ in range(4)] == [200] * 4
    upload = five_a_minute.post("/ingest/ratings", content=b"", headers={"Authorization": "Bearer arvio_fake"})
    assert upload.status_code == 429
