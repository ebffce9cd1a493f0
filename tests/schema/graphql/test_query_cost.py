"""The query cost model at the edge: per-field weights × list sizes against a ceiling per role (so thirty aliases
of an expensive field are refused before any work), and introspection kept for callers with a token in production.
"""

from __future__ import annotations

import dataclasses

from starlette.testclient import TestClient

from federation.auth.models import Role
from federation.settings import Settings
from schema.graphql.validation import ANONYMOUS_CEILING, CEILINGS, EXPENSIVE, operation_facts
from schema.wiring import build_app
from tests.conftest import SERVICE_A, Api
from tests.schema.http.test_edge_errors import refusal


def analytics_aliases(count: int) -> str:
    fields = " ".join(f'a{i}: publicServiceAnalytics(serviceId: "{SERVICE_A}") {{ serviceId }}'
                      for i in range(count))
    return f"{{ {fields} }}"


def cost(api: Api, query: str) -> int:
    schema = api.client.app.state.arvio.schema._schema  # type: ignore[attr-defined]
    return operation_facts(schema, query, None, 50_000).cost


def test_thirty_anonymous_analytics_are_refused_before_any_work(api: Api) -> None:
    response = api.client.post("/graphql", json={"query": analytics_aliases(30)})
    message = refusal(response, 400, "QUERY_TOO_COSTLY")
    assert message.startswith(f"The query costs {30 * EXPENSIVE}, above the ceiling of {ANONYMOUS_CEILING} "
                              "for anonymous callers")


def test_a_few_anonymous_analytics_fit_under_the_ceiling(api: Api) -> None:
    body = api.gql(analytics_aliases(ANONYMOUS_CEILING // EXPENSIVE))
    assert "errors" not in body, body


def test_a_token_gets_more_room_than_an_anonymous_caller(api: Api) -> None:
    query = analytics_aliases(10)
    assert CEILINGS["PUBLISHER"] >= 10 * EXPENSIVE
    refusal(api.client.post("/graphql", json={"query": query}), 400, "QUERY_TOO_COSTLY")
    body = api.gql(query, token=api.token(Role.PUBLISHER))
    assert "errors" not in body, body


def test_list_sizes_multiply_what_each_item_holds(api: Api) -> None:
    events = 'publicServiceEvents(serviceId: "%s"%s) { id title }'
    assert cost(api, "{ %s }" % (events % (SERVICE_A, ""))) == EXPENSIVE  # scalars weigh nothing
    # Object items of a list without a size argument count DEFAULT_LIST_SIZE times.
    assert cost(api, "{ serviceComparison { entries { serviceId } } }") == EXPENSIVE + 1
    assert cost(api, "{ serviceComparison { focus { serviceId } entries { serviceId } } }") == EXPENSIVE + 2
    # Unknown fields cost nothing here; validation refuses them with its own code.
    assert cost(api, "{ noSuchField { a b } }") == 0
    # A fragment cycle does not hang the walk.
    assert cost(api, "query Q { ...A } fragment A on Query { ...B } fragment B on Query { ...A }") == 0


def test_introspection_needs_a_token_in_production(api: Api, app_settings: Settings) -> None:
    settings = dataclasses.replace(app_settings, environment="production")
    with TestClient(build_app(settings, database=api.database, run_migrations=False, clock=api.clock)) as client:
        query = {"query": "{ __schema { queryType { name } } }"}
        assert "needs a token in production" in refusal(client.post("/graphql", json=query), 403,
                                                         "INTROSPECTION_DISABLED")
        refusal(client.post("/graphql", json={"query": '{ __type(name: "Query") { name } }'}), 403,
                "INTROSPECTION_DISABLED")
        token = {"Authorization": f"Bearer {api.token(Role.PUBLISHER)}"}
        allowed = client.post("/graphql", json=query, headers=token)
        assert allowed.json()["data"]["__schema"]["queryType"]["name"] == "Query"
        assert client.post("/graphql", json={"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}


def test_introspection_is_open_outside_production(api: Api) -> None:
    assert "errors" not in api.gql("{ __schema { queryType { name } } }")
