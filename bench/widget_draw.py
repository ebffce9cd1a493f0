"""Question draws: ``GET /widget/draw`` against a plain Starlette JSON endpoint, measured side by side in one run.

    .venv/bin/python bench/widget_draw.py [--requests 3000] [--exposure-commit durable]

Over HTTP (uvicorn on loopback, one keep-alive client): the plain endpoint returns a pre-built body of the same
size as a draw, with the two headers an embeddable draw needs (``Access-Control-Allow-Origin: *``, ``Cache-Control:
no-store``), as arvio's does; arvio's route parses the query, checks the rate limit, reads the cached draw config,
draws, signs the draw id (HMAC-SHA-256) and counts the exposure in memory. Target: ≥ 0.8 × the baseline's
requests/s. GraphQL ``drawQuestion`` is printed for comparison (not the widget's path). In process, the cost
of one draw without HTTP is printed too.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import socket
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import results
from bench.common import CHANNEL, SERVICE, fresh_database
from federation.db import utcnow
from federation.settings import EXPOSURE_COMMITS
from schema.wiring import build_app
from tests.live import serve

QUERY = "query($s: ID!, $c: ID) { drawQuestion(serviceId: $s, channelId: $c) { drawId text question { id } } }"


class RawClient:
    """A minimal keep-alive HTTP/1.1 client on one socket: far less overhead than httpx, so the servers'
    difference shows instead of the client's cost."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def get(self, target: str) -> bytes:
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        while len(rest) < length:
            rest += self.sock.recv(65536)
        self.buffer = rest[length:]
        assert head.startswith(b"HTTP/1.1 200"), head
        return rest[:length]

    def close(self) -> None:
        self.sock.close()


def per_second(function: object, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        function()  # type: ignore[operator]
    return count / (time.perf_counter() - start)


def measure(urls: tuple[str, str], target: str, requests: int, rounds: int) -> tuple[list[float], list[float]]:
    """Requests/s of (baseline, arvio) in interleaved rounds, from a client process of its own (so the client
    does not share the servers' interpreter lock)."""
    baseline, arvio = RawClient(urls[0]), RawClient(urls[1])
    theirs, ours = [], []
    for _ in range(rounds):  # interleaved: changes in machine load hit both alike
        theirs.append(per_second(lambda: baseline.get(target), requests))
        ours.append(per_second(lambda: arvio.get(target), requests))
    baseline.close()
    arvio.close()
    return theirs, ours


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--exposure-commit", choices=EXPOSURE_COMMITS, default="batched",
                        help="ARVIO_EXPOSURE_COMMIT: durable makes each draw wait for its count's commit")
    args = parser.parse_args()
    settings, database = fresh_database()
    settings = dataclasses.replace(settings, exposure_commit=args.exposure_commit)
    app = build_app(settings, database=database, run_migrations=False)
    target = f"/widget/draw?service={SERVICE}&channel={CHANNEL}&locale=fi"

    kit = app.state.arvio.services.citizen
    with database.transaction(write=False) as session:
        config = kit.drawer.config(session, SERVICE, CHANNEL)
    now = utcnow()
    inner = per_second(lambda: kit.draw(config, now=now), args.requests * 10)
    print(f"one draw in process (cached config, sign, count): {1e6 / inner:6.1f} µs")

    with serve(app) as arvio_base:
        warm = RawClient(arvio_base)
        body = warm.get(target)
        warm.close()

        async def plain(_request: Request) -> Response:  # the headers any embeddable draw needs, as arvio's
            return Response(body, media_type="application/json",
                            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"})

        with serve(Starlette(routes=[Route("/widget/draw", plain)])) as plain_base, \
                ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as client:
            client.submit(measure, (plain_base, arvio_base), target, 200, 1).result()  # warm-up
            theirs, ours = client.submit(measure, (plain_base, arvio_base), target, args.requests,
                                         args.rounds).result()
        with httpx.Client(base_url=arvio_base) as http:
            payload = orjson.dumps({"query": QUERY, "variables": {"s": SERVICE, "c": CHANNEL}})
            gql_rps = per_second(lambda: http.post("/graphql", content=payload,
                                                   headers={"Content-Type": "application/json"}), args.requests // 4)
    ratios = sorted(o / t for o, t in zip(ours, theirs, strict=True))
    print(f"plain Starlette JSON (HTTP, {len(body)} bytes): best {max(theirs):7,.0f}  median "
          f"{statistics.median(theirs):7,.0f} requests/s")
    print(f"arvio GET /widget/draw (HTTP)         : best {max(ours):7,.0f}  median {statistics.median(ours):7,.0f} "
          f"requests/s")
    print(f"  ratio best/best {max(ours) / max(theirs):.2f}, median of {args.rounds} interleaved rounds "
          f"{statistics.median(ratios):.2f} (range {ratios[0]:.2f}-{ratios[-1]:.2f}); target ≥ 0.8")
    print(f"arvio GraphQL drawQuestion (httpx)    : {gql_rps:9,.0f} requests/s  (for comparison; not the "
          "widget's path)")
    print(f"exposures counted in memory, not yet flushed: {kit.exposures.pending():,}")
    results.record("widget-draw", order=35, what="`GET /widget/draw` over HTTP (client in its own process; both "
                   "servers in this one)", arvio=f"median {statistics.median(ours):,.0f} requests/s",
                   baseline="plain Starlette JSON, identical body, CORS and no-store headers: "
                            f"median {statistics.median(theirs):,.0f}/s",
                   ratios=ratios, unit="", target="≥ 0.8", met=statistics.median(ratios) >= 0.8)


if __name__ == "__main__":
    main()
