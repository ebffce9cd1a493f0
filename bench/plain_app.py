"""The plain baselines of bench/read.py: async Starlette endpoints doing the least the same answer needs.

``GET /score?service=…`` reads the query string as arvio's route does and returns the bytes in
``BENCH_GET_BODY``; ``POST /graphql`` reads and parses the JSON body, as any
GraphQL endpoint must, and returns the bytes in ``BENCH_POST_BODY``. Run by bench/read.py under uvicorn in its own
process: ``uvicorn bench.plain_app:app``.
"""

from __future__ import annotations

import os

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

GET_BODY = os.environ.get("BENCH_GET_BODY", "{}").encode()
POST_BODY = os.environ.get("BENCH_POST_BODY", "{}").encode()


async def score(request: Request) -> Response:
    if not request.query_params.get("service", "").strip():  # the same query parsing as arvio's route
        return Response(b'{"errors":[{"message":"give service"}]}', status_code=400, media_type="application/json")
    return Response(GET_BODY, media_type="application/json")


async def graphql(request: Request) -> Response:
    payload = orjson.loads(await request.body())
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return Response(b'{"errors":[{"message":"bad request"}]}', status_code=400, media_type="application/json")
    return Response(POST_BODY, media_type="application/json")


app = Starlette(routes=[Route("/score", score, methods=["GET"]), Route("/graphql", graphql, methods=["POST"])])
