"""Scale-out: two arvio hosts on one PostgreSQL against one host, requests/s and rows/s side by side in one run.

    apt-get install -y wrk      # the load generator (Debian's wrk 4.1)
    export PG_PORT=55442; source .ci/postgres.sh; pg_start; \\
        .venv/bin/python bench/hosts.py --postgres "$ARVIO_TEST_POSTGRES_URL" [--ratings 20000] [--rounds 3] \\
        [--seconds 10] [--connections 8] [--clients 4] [--batches 10] [--rate-limit 1000000]; pg_stop

A host is arvio under uvicorn in its own process (one worker, production settings as bench/workers.py starts it:
``ARVIO_ENV=production``, the rate limit ``--rate-limit`` per minute), all on one fresh PostgreSQL database
(``arvio_bench_hosts``) that first gets ``--ratings`` ratings through the NDJSON upload. "2 hosts" are two such
processes on two ports, sharing the rate-limit buckets and score stamps in the database (federation/shared/); "1
host" is one. The clients are the same shape for both, each in its own process: two wrk processes (one thread,
``--connections``/2 keep-alive connections each) both at the one host, or one at each of the two hosts, with the
requests/s of the 200 answers without ``"errors"`` added up; and for ingest ``--clients`` Python processes each
posting ``--batches`` NDJSON uploads of 1 000 new ratings, to the hosts in turn (rows/s = all rows / wall time).

Measured: (a) ``publicScore`` anonymously over POST /graphql (the shared rate limit is consulted once per lease of
tokens), (b) ``GET /public/score`` (a cached score: no database at all), (c) NDJSON ingest. After a warm-up run of
each, ``--rounds`` interleaved rounds in a rotating order; min / median / max of each rate and of the ratio
2 hosts / 1 host. On a 2-core machine with PostgreSQL on the same cores, the ratio says how much of the cores a
single host leaves unused, not how far more machines would go.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BATCH,
    SERVICE,
    fresh_database,
    fresh_postgres,
    ndjson,
    org_token,
    rating_items,
    spread,
    uuid_items,
)
from bench.workers import LUA, PUBLIC_QUERY, Server, start_workers
from federation.db import utcnow

Measure = Callable[[list[Server]], float]


def lua(method: str, body: bytes | None) -> str:
    """A wrk script counting 200 answers without ``"errors"`` (bench/workers.py's, for GET or POST)."""
    text = LUA.replace("HEADERS", "")
    text = text.replace("wrk.body = [==[BODY]==]", "" if body is None else f"wrk.body = [==[{body.decode()}]==]")
    handle, path = tempfile.mkstemp(prefix="arvio-wrk-", suffix=".lua")
    with os.fdopen(handle, "w") as file:
        file.write(text.replace('wrk.method = "POST"', f'wrk.method = "{method}"'))
    return path


def run_wrks(targets: list[str], script: str, *, seconds: float, connections: int) -> float:
    """One wrk process per target URL at once (``connections`` split between them); the 200s per second summed."""
    each = max(1, connections // len(targets))
    with contextlib.ExitStack() as stack:
        outs = [stack.enter_context(tempfile.TemporaryFile()) for _ in targets]
        processes = [subprocess.Popen(["wrk", "-t1", f"-c{each}", f"-d{seconds:g}s", "-s", script, url],
                                      stdout=out, stderr=subprocess.STDOUT)
                     for url, out in zip(targets, outs, strict=True)]
        texts = []
        for process, out in zip(processes, outs, strict=True):
            process.wait()
            out.seek(0)
            texts.append((process.returncode, out.read().decode()))
    rate = 0.0
    for returncode, text in texts:
        match = re.search(r"STATUS ok=(\d+) limited=(\d+) other=(\d+) gqlerrors=(\d+) us=(\d+)", text)
        if returncode != 0 or match is None:
            raise RuntimeError(f"wrk failed ({returncode}):\n{text}")
        ok, limited, other, errors, micros = (int(g) for g in match.groups())
        if limited or other or errors:
            print(f"    (wrk on {url_of(text)}: 429={limited} other={other} gql-errors={errors})", flush=True)
        rate += ok / (micros / 1e6)
    return rate


def url_of(text: str) -> str:
    found = re.search(r"Running .* test @ (\S+)", text)
    return found.group(1) if found else "?"


def _client(bases: list[str], token: str, bodies: list[bytes], go: Any, ready: Any, results: Any) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    with httpx.Client(timeout=600) as client:
        for base in bases:
            client.get(f"{base}/healthz")  # connections open before the clock starts
        ready.put(os.getpid())
        go.wait()
        accepted = 0
        for number, body in enumerate(bodies):
            response = client.post(f"{bases[number % len(bases)]}/ingest/ratings", content=body, headers=headers)
            if response.status_code == 200:
                accepted += response.json()["accepted"]
        results.put((time.time(), accepted))


def run_ingest(servers: list[Server], token: str, *, clients: int, batches: int) -> float:
    """``clients`` processes each posting ``batches`` uploads of BATCH new ratings, to the hosts in turn; rows/s."""
    context = multiprocessing.get_context("spawn")
    go, ready, results = context.Event(), context.Queue(), context.Queue()
    now = utcnow() - dt.timedelta(minutes=1)
    bases = [s.base for s in servers]
    processes = []
    for number in range(clients):
        bodies = [b"\n".join(orjson.dumps(r) for r in uuid_items(BATCH, now)) for _ in range(batches)]
        rotated = bases[number % len(bases):] + bases[:number % len(bases)]
        processes.append(context.Process(target=_client, args=(rotated, token, bodies, go, ready, results)))
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=120)
    start = time.time()
    go.set()
    finished = [results.get(timeout=900) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    accepted = sum(f[1] for f in finished)
    assert accepted == clients * batches * BATCH, accepted
    return accepted / (max(f[0] for f in finished) - start)


def rounds(title: str, setups: dict[str, list[Server]], count: int, measure: Measure) -> None:
    """``count`` interleaved rounds over the setups in a rotating order; prints each rate and the spreads."""
    print(f"\n{title}", flush=True)
    names = list(setups)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for number in range(count):
        for name in names[number % 2:] + names[:number % 2]:
            rate = measure(setups[name])
            rates[name].append(rate)
            print(f"  round {number + 1}  {name:<8} {rate:10,.0f}/s", flush=True)
    for name, values in rates.items():
        print(f"  {name:<8} min / median / max: {min(values):,.0f} / {statistics.median(values):,.0f} / "
              f"{max(values):,.0f}")
    ratios = [b / a for a, b in zip(rates[names[0]], rates[names[1]], strict=True)]
    print(f"  {names[1]} / {names[0]} (min / median / max over {count} rounds): {spread(ratios)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("ARVIO_BENCH_POSTGRES_URL"),
                        help="admin URL of a PostgreSQL server")
    parser.add_argument("--ratings", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--rate-limit", type=int, default=1_000_000, help="ARVIO_RATE_LIMIT_PER_MINUTE")
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("give --postgres ADMIN_URL (or ARVIO_BENCH_POSTGRES_URL)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    url = fresh_postgres(args.postgres, "arvio_bench_hosts")
    _, database = fresh_database(url)
    token = org_token(database)
    database.dispose()
    hosts = [start_workers(url, 1, rate_limit=args.rate_limit) for _ in range(2)]
    try:
        now = utcnow() - dt.timedelta(minutes=1)
        for i in range(0, args.ratings, 10_000):
            ndjson(hosts[0].base, token, rating_items(min(10_000, args.ratings - i), prefix=f"h{i}", now=now))
        measure_all(args, {"1 host": hosts[:1], "2 hosts": hosts}, token)
    finally:
        for host in hosts:
            host.stop()


def measure_all(args: argparse.Namespace, setups: dict[str, list[Server]], token: str) -> None:
    """(a), (b) and (c) over ``setups``."""
    print(f"CPU cores: {os.cpu_count()}; rate limit {args.rate_limit:,}/min shared by the hosts; "
          f"{args.ratings:,} ratings", flush=True)
    post = lua("POST", orjson.dumps({"query": PUBLIC_QUERY, "variables": {"id": SERVICE}}))
    get = lua("GET", None)
    try:
        for title, script, path in (("(a) publicScore, POST /graphql, anonymous", post, "/graphql"),
                                    ("(b) GET /public/score", get, f"/public/score?service={SERVICE}")):
            def measure(servers: list[Server], script: str = script, path: str = path) -> float:
                targets = [f"{servers[i % len(servers)].base}{path}" for i in range(2)]
                return run_wrks(targets, script, seconds=args.seconds, connections=args.connections)
            for setup in setups.values():
                run_wrks([f"{s.base}{path}" for s in setup] * (2 // len(setup)), script, seconds=3,
                         connections=args.connections)  # warm-up, not counted
            rounds(f"{title}; 2 wrk processes, {args.connections} connections in all, {args.seconds:g} s",
                   setups, args.rounds, measure)
    finally:
        os.unlink(post)
        os.unlink(get)
    for setup in setups.values():
        run_ingest(setup, token, clients=args.clients, batches=1)  # warm-up
    rounds(f"(c) NDJSON ingest: {args.clients} client processes x {args.batches} uploads of {BATCH:,} new ratings",
           setups, args.rounds, lambda servers: run_ingest(servers, token, clients=args.clients,
                                                           batches=args.batches))


if __name__ == "__main__":
    main()
