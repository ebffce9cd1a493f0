"""Public score reads: arvio against baselines of the same shape, measured side by side in one run.

    .venv/bin/python bench/read.py [--requests 3000]

1. In process: the app's GraphQL execution of `publicScore` (strawberry, parser/validation caches, the cached
   published score) against graphql-core executing a pre-parsed document of the same shape on a plain schema
   whose resolver returns the same values from memory. Target: ≤ 2 × the baseline's time.
2. Over HTTP (uvicorn on loopback, one keep-alive client): POST /graphql `publicScore` and GET /public/score
   against a plain Starlette endpoint returning the same JSON. Target: ≥ 0.8 × the baseline's requests/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import httpx
import orjson
from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    execute_sync,
    parse,
)
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SERVICE, fresh_database, org_token, rating_items
from federation.db import utcnow
from schema.app import _execute
from schema.wiring import build_app
from tests.live import serve

QUERY = ('query($id: ID!) { publicScore(serviceId: $id) { published count mean stars } }')
MUTATION = "mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { accepted } }"


def baseline_schema(answer: dict[str, object]) -> GraphQLSchema:
    score = GraphQLObjectType("PublicScore", {
        "published": GraphQLField(GraphQLNonNull(GraphQLBoolean)), "count": GraphQLField(GraphQLInt),
        "mean": GraphQLField(GraphQLFloat), "stars": GraphQLField(GraphQLFloat)})
    query = GraphQLObjectType("Query", {"publicScore": GraphQLField(
        GraphQLNonNull(score), args={"serviceId": GraphQLArgument(GraphQLNonNull(GraphQLID))},
        resolve=lambda _root, _info, **_arguments: answer)})
    return GraphQLSchema(query)


def per_second(function: object, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        function()  # type: ignore[operator]
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    settings, database = fresh_database()
    token = org_token(database)
    app = build_app(settings, database=database, run_migrations=False)
    state = app.state.arvio
    items = rating_items(500, prefix="read", now=utcnow() - dt.timedelta(minutes=1))
    _execute(state, token, MUTATION, {"input": {"ratings": items}}, None, True)
    variables = {"id": SERVICE}
    answer = orjson.loads(_execute(state, None, QUERY, variables, None, False).body)["data"]["publicScore"]
    assert answer["published"] is True, answer

    document = parse(QUERY)
    plain = baseline_schema(answer)
    core = per_second(lambda: execute_sync(plain, document, variable_values=variables), args.requests)
    ours = per_second(lambda: _execute(state, None, QUERY, variables, None, False), args.requests)
    print(f"graphql-core, pre-parsed  : {core:10,.0f} queries/s")
    print(f"arvio publicScore (exec)  : {ours:10,.0f} queries/s  (time ratio {core / ours:.2f}×, target ≤ 2)")

    body = orjson.dumps(answer)
    plain_app = Starlette(routes=[Route("/score", lambda _r: Response(body, media_type="application/json"))])
    payload = orjson.dumps({"query": QUERY, "variables": variables})
    headers = {"Content-Type": "application/json"}
    with serve(plain_app) as base, httpx.Client(base_url=base) as http:
        starlette_rps = per_second(lambda: http.get("/score"), args.requests)
    with serve(app) as base, httpx.Client(base_url=base) as http:
        arvio_rps = per_second(lambda: http.post("/graphql", content=payload, headers=headers), args.requests)
        rest_rps = per_second(lambda: http.get("/public/score", params={"service": SERVICE}), args.requests)
    print(f"plain Starlette JSON (HTTP): {starlette_rps:9,.0f} requests/s")
    print(f"arvio publicScore (HTTP)   : {arvio_rps:9,.0f} requests/s  (ratio {arvio_rps / starlette_rps:.2f}, "
          "target ≥ 0.8)")
    print(f"arvio GET /public/score    : {rest_rps:9,.0f} requests/s  (ratio {rest_rps / starlette_rps:.2f}, "
          "target ≥ 0.8)")




if __name__ == "__main__":
    main()
