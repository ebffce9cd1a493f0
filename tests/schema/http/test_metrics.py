"""``/metrics`` (schema/http/metrics.py): request counts by route, root field, status and code; latency; ingest
items by status on both paths; pool gauges; only for allowed addresses; bounded label values.

The process registry is shared by every test of the session, so each test compares a scrape after its requests
with one before them.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from tests.conftest import SERVICE_A, Api
from tests.federation.research.cubes import Answer, cube_rows, insert_cube
from tests.schema.graphql.test_ratings import SUBMIT, rating
from tests.schema.graphql.test_research import BREAKDOWN, breakdown_input

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def local(api: Api) -> Iterator[TestClient]:
    """The same app as a client on 127.0.0.1 (the default ARVIO_METRICS_ALLOW is loopback)."""
    with TestClient(api.client.app, client=("127.0.0.1", 50000)) as client:
        yield client


def test_scrape_counts_requests_ingest_and_latency(api: Api, local: TestClient) -> None:
    before = scrape(local)
    for _ in range(3):
        api.gql("{ __typename }")
    api.gql("query CallerTypedName { services(first: 1) { id } }")
    api.gql(SUBMIT, {"input": {"ratings": [rating("m1"), rating("m2"), rating("m3", value=99)]}}, token="org_a")
    api.gql(SUBMIT, {"input": {"ratings": [rating("m1")]}}, token="org_a")  # a duplicate
    lines = b"\n".join(orjson.dumps(rating(f"n{i}")) for i in range(4)) + b"\nnot json\n"
    upload = api.client.post("/ingest/ratings", content=lines,
                             headers={"Authorization": f"Bearer {api.tokens['org_a']}"})
    assert upload.json()["accepted"] == 4
    assert api.client.post("/graphql", content=b"{", headers={"content-type": "application/json"}).status_code == 400
    after = scrape(local)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "arvio_http_requests_total"
    assert delta(requests, route="/graphql", operation="other", status="200", code="none") == 3
    assert delta(requests, route="/graphql", operation="services", status="200", code="none") == 1
    assert delta(requests, route="/graphql", operation="submitRatings", status="200", code="none") == 2
    assert delta(requests, route="/ingest/ratings", operation="none", status="200", code="none") == 1
    assert delta(requests, route="/graphql", operation="none", status="400", code="BAD_REQUEST") == 1
    ingest = "arvio_ingest_items_total"
    assert delta(ingest, path="graphql", status="ACCEPTED") == 2
    assert delta(ingest, path="graphql", status="DUPLICATE") == 1
    assert delta(ingest, path="graphql", status="REJECTED") == 1
    assert delta(ingest, path="ndjson", status="ACCEPTED") == 4
    assert delta(ingest, path="ndjson", status="REJECTED") == 1
    assert delta("arvio_http_request_duration_seconds_count", route="/graphql", operation="submitRatings") == 2
    assert delta("arvio_http_request_duration_seconds_bucket", route="/graphql", operation="submitRatings",
                 le="+Inf") == 2
    assert value(after, "arvio_db_pool_size") >= value(after, "arvio_db_pool_checked_out") >= 0
    assert "CallerTypedName" not in local.get("/metrics").text


def test_error_codes_and_unmatched_routes_are_bounded(api: Api, local: TestClient) -> None:
    before = scrape(local)
    api.gql("{ nope }")  # validation failed
    assert api.client.get("/no/such/path/1234567").status_code == 404
    after = scrape(local)
    requests = "arvio_http_requests_total"
    assert (value(after, requests, route="/graphql", operation="other", status="200",
                  code="GRAPHQL_VALIDATION_FAILED")
            - value(before, requests, route="/graphql", operation="other", status="200",
                    code="GRAPHQL_VALIDATION_FAILED")) == 1
    assert (value(after, requests, route="unmatched", operation="none", status="404", code="none")
            - value(before, requests, route="unmatched", operation="none", status="404", code="none")) == 1
    assert "1234567" not in local.get("/metrics").text


def test_metrics_refused_outside_the_allowed_addresses(api: Api) -> None:
    response = api.client.get("/metrics")  # the test client's address is "testclient", not loopback
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with TestClient(api.client.app, client=("10.1.2.3", 4000)) as other:
        assert other.get("/metrics").status_code == 403


def test_privacy_budget_spent_is_counted_once(api: Api, local: TestClient) -> None:
    answers = [Answer(f"p{i}", SERVICE_A, ("2025Q3", "2025Q4")[i % 2], 0, 1 + i % 5, "40-44", "01", "fi",
                      ("female", "male", "other")[min(i % 7, 2)]) for i in range(160)]
    insert_cube(api.database, cube_rows(answers))  # as tests/schema/graphql/test_research.py's cube
    before = value(scrape(local), "arvio_research_privacy_budget_spent_epsilon_total")
    dp = breakdown_input(mode="DIFFERENTIAL_PRIVACY", epsilon=0.75)
    for _ in range(2):  # the repeat is answered from the cache, free
        assert api.gql(BREAKDOWN, {"input": dp}, token="researcher")["data"]["breakdown"]["epsilon"] == 0.75
    after = value(scrape(local), "arvio_research_privacy_budget_spent_epsilon_total")
    assert after - before == pytest.approx(0.75)
