"""Question draws: ``GET /widget/draw`` against a plain Starlette JSON endpoint, measured side by side in one run.

    .venv/bin/python bench/widget_draw.py [--requests 3000]

Over HTTP (uvicorn on loopback, one keep-alive client): the plain endpoint returns a pre-built body of the same
size as a draw; arvio's route parses the query, checks the rate limit, reads the cached draw config, draws,
signs the draw id (HMAC-SHA-256) and counts the exposure in memory. Target: ≥ 0.8 × the baseline's
requests/s. GraphQL ``drawQuestion`` is printed for comparison (not the widget's path). In process, the cost
of one draw without HTTP is printed too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CHANNEL, SERVICE, fresh_database  # noqa: E402
from federation.db import utcnow  # noqa: E402
from schema.wiring import build_app  # noqa: E402
from tests.live import serve  # noqa: E402

QUERY = "query($s: ID!, $c: ID) { drawQuestion(serviceId: $s, channelId: $c) { drawId text question { id } } }"


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
    app = build_app(settings, database=database, run_migrations=False)
    params = {"service": SERVICE, "channel": CHANNEL, "locale": "fi"}

    kit = app.state.arvio.services.citizen
    with database.transaction(write=False) as session:
        config = kit.drawer.config(session, SERVICE, CHANNEL)
    now = utcnow()
    inner = per_second(lambda: kit.draw(config, now=now), args.requests * 10)
    print(f"one draw in process (cached config, sign, count): {1e6 / inner:6.1f} µs")

    with serve(app) as base, httpx.Client(base_url=base) as http:
        sample = http.get("/widget/draw", params=params)
        assert sample.status_code == 200, sample.text
        body = sample.content
        for _ in range(200):
            http.get("/widget/draw", params=params)
        arvio_rps = per_second(lambda: http.get("/widget/draw", params=params), args.requests)
        payload = orjson.dumps({"query": QUERY, "variables": {"s": SERVICE, "c": CHANNEL}})
        gql_rps = per_second(lambda: http.post("/graphql", content=payload,
                                               headers={"Content-Type": "application/json"}), args.requests // 3)

    async def plain(_request: Request) -> Response:
        return Response(body, media_type="application/json")

    plain_app = Starlette(routes=[Route("/draw", plain)])
    with serve(plain_app) as base, httpx.Client(base_url=base) as http:
        for _ in range(200):
            http.get("/draw", params=params)
        starlette_rps = per_second(lambda: http.get("/draw", params=params), args.requests)
    print(f"plain Starlette JSON (HTTP, {len(body)} bytes): {starlette_rps:9,.0f} requests/s")
    print(f"arvio GET /widget/draw (HTTP)        : {arvio_rps:9,.0f} requests/s  "
          f"(ratio {arvio_rps / starlette_rps:.2f}, target ≥ 0.8)")
    print(f"arvio GraphQL drawQuestion (HTTP)    : {gql_rps:9,.0f} requests/s  "
          f"(ratio {gql_rps / starlette_rps:.2f}, for comparison)")
    pending = kit.exposures.pending()
    print(f"exposures counted in memory, not yet flushed: {pending:,}")


if __name__ == "__main__":
    main()
