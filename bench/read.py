"""Public score reads: arvio against baselines doing the same work, measured side by side in one run.

    .venv/bin/python bench/read.py [--requests 2000] [--rounds 5]

1. In process: the app's GraphQL execution of `publicScore` (strawberry, parser/validation caches, the cached
   published score) against graphql-core executing a pre-parsed document of the same shape on a plain schema whose
   resolver returns the same values from memory. Reported as a time ratio (arvio / baseline; target ≤ 1.5 ×).
2. Over HTTP: arvio under uvicorn in its own process (SQLite, one worker; the rate limit raised, said here) and the
   plain **async** Starlette endpoints of bench/plain_app.py in another, returning byte-identical answers: POST
   /graphql (the baseline parses the same JSON body) and GET /public/score?service=… against GET /score?service=…
   (the same query string, built once and read by both). One keep-alive client in this process. Reported as
   requests/s ratios (arvio / baseline; targets ≥ 0.6 and ≥ 0.9).

Every part runs ``--rounds`` interleaved rounds in a rotating order and prints min / median / max of each ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import results
from bench.common import ROOT, SERVICE, fresh_database, org_token, rating_items, spread, start_server
from federation.db import utcnow
from schema.http.graphql_endpoint import execute_in_process
from schema.wiring import build_app
from tests.live import free_port

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


def start_plain(get_body: bytes, post_body: bytes) -> tuple[subprocess.Popen[bytes], str]:
    """bench/plain_app.py under uvicorn in its own process; its base URL once it answers."""
    port = free_port()
    env = {**os.environ, "BENCH_GET_BODY": get_body.decode(), "BENCH_POST_BODY": post_body.decode()}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench.plain_app:app", "--host", "127.0.0.1",
                               "--port", str(port), "--log-level", "warning", "--no-access-log"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/score", timeout=1)
            return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the plain baseline did not start")


def in_process(rounds: int, requests: int) -> list[float]:
    """Time ratios arvio / pre-parsed graphql-core of executing publicScore in this process."""
    settings, database = fresh_database()
    token = org_token(database)
    app = build_app(settings, database=database, run_migrations=False)
    state = app.state.arvio
    items = rating_items(500, prefix="read", now=utcnow() - dt.timedelta(minutes=1))
    execute_in_process(state, MUTATION, {"input": {"ratings": items}}, token)
    variables = {"id": SERVICE}
    answer = orjson.loads(execute_in_process(state, QUERY, variables, None).body)["data"]["publicScore"]
    assert answer["published"] is True, answer
    document = parse(QUERY)
    plain = baseline_schema(answer)
    runs = {"core": lambda: execute_sync(plain, document, variable_values=variables),
            "ours": lambda: execute_in_process(state, QUERY, variables, None)}
    for run in runs.values():  # warm-up: caches, first-call costs
        per_second(run, max(1, requests // 10))
    ratios = []
    for number in range(rounds):
        rates = {}
        for name in (["core", "ours"] if number % 2 == 0 else ["ours", "core"]):
            rates[name] = per_second(runs[name], requests)
        ratios.append(rates["core"] / rates["ours"])
    return ratios


def over_http(rounds: int, requests: int) -> dict[str, list[float]]:
    """Requests/s ratios arvio / plain async endpoint, POST /graphql and GET /public/score."""
    path = Path(tempfile.mkdtemp(prefix="arvio-bench-read-")) / "read.db"
    url = f"sqlite:///{path}"
    _, database = fresh_database(url)
    token = org_token(database)
    database.dispose()
    arvio, base = start_server(url)
    plain = None
    try:
        payload = orjson.dumps({"query": QUERY, "variables": {"id": SERVICE}})
        headers = {"Content-Type": "application/json"}
        items = rating_items(500, prefix="read", now=utcnow() - dt.timedelta(minutes=1))
        httpx.post(f"{base}/graphql", content=orjson.dumps({"query": MUTATION, "variables": {"input": {
            "ratings": items}}}), headers={**headers, "Authorization": f"Bearer {token}"}, timeout=60)
        post_body = httpx.post(f"{base}/graphql", content=payload, headers=headers).content
        # Both GETs send the same query string, built once: the client's work is the same on both sides.
        arvio_get, plain_get_path = f"{base}/public/score?service={SERVICE}", f"/score?service={SERVICE}"
        get_body = httpx.get(arvio_get).content
        assert b'"published":true' in post_body.replace(b" ", b""), post_body
        plain, plain_base = start_plain(get_body, post_body)
        with httpx.Client(timeout=30) as http:
            assert http.post(f"{plain_base}/graphql", content=payload, headers=headers).content == post_body
            assert http.get(f"{plain_base}{plain_get_path}").content == get_body
            runs = {
                "arvio POST": lambda: http.post(f"{base}/graphql", content=payload, headers=headers),
                "plain POST": lambda: http.post(f"{plain_base}/graphql", content=payload, headers=headers),
                "arvio GET": lambda: http.get(arvio_get),
                "plain GET": lambda: http.get(f"{plain_base}{plain_get_path}"),
            }
            for run in runs.values():  # warm-up: connections, caches
                per_second(run, max(1, requests // 10))
            rates: dict[str, list[float]] = {name: [] for name in runs}
            names = list(runs)
            for number in range(rounds):
                for name in names[number % 4:] + names[:number % 4]:
                    rates[name].append(per_second(runs[name], requests))
    finally:
        for server in (arvio, plain):
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    return {"POST /graphql publicScore / plain async POST": [a / b for a, b in zip(
                rates["arvio POST"], rates["plain POST"], strict=True)],
            "GET /public/score / plain async GET": [a / b for a, b in zip(
                rates["arvio GET"], rates["plain GET"], strict=True)],
            "arvio POST requests/s": rates["arvio POST"], "arvio GET requests/s": rates["arvio GET"],
            "plain POST requests/s": rates["plain POST"], "plain GET requests/s": rates["plain GET"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    inside = in_process(args.rounds, args.requests)
    print(f"publicScore in process, time / pre-parsed graphql-core (min / median / max over {args.rounds} rounds): "
          f"{spread(inside)} ×")
    results.record("read-in-process", order=30, what="`publicScore` executed in process", arvio="—",
                   baseline="graphql-core executing a pre-parsed document of the same shape on a plain schema",
                   ratios=inside, unit="× the time", target="≤ 1.5 ×", met=statistics.median(inside) <= 1.5)
    http = over_http(args.rounds, args.requests)
    for name, values in http.items():
        if name.endswith("requests/s"):
            print(f"{name:<44} min / median / max: {min(values):7,.0f} / {statistics.median(values):7,.0f} / "
                  f"{max(values):7,.0f}")
        else:
            print(f"{name} (min / median / max over {args.rounds} rounds): {spread(values)}")
    for key, order, what, side, baseline, target in (
            ("read-post-graphql", 31, "`publicScore` over HTTP (POST /graphql), arvio in its own process", "POST",
             "plain **async** Starlette endpoint in its own process parsing the same JSON body and returning "
             "identical bytes", 0.6),
            ("read-get-public-score", 32, "`GET /public/score` over HTTP", "GET",
             "plain async endpoint reading the same query string and returning identical bytes", 0.9)):
        ratios = [a / b for a, b in zip(http[f"arvio {side} requests/s"], http[f"plain {side} requests/s"],
                                        strict=True)]
        results.record(key, order=order, what=what,
                       arvio=f"median {statistics.median(http[f'arvio {side} requests/s']):,.0f} requests/s",
                       baseline=f"{baseline}: median {statistics.median(http[f'plain {side} requests/s']):,.0f}/s",
                       ratios=ratios, unit="", target=f"≥ {target}", met=statistics.median(ratios) >= target)


if __name__ == "__main__":
    main()
