"""The cost of the shared rate limit: one ``admit`` of schema/http/limits.py's limiters, in process.

    export PG_PORT=55442; source .ci/postgres.sh; pg_start; \\
        .venv/bin/python bench/rate_limit.py --postgres "$ARVIO_TEST_POSTGRES_URL" [--requests 5000]; pg_stop

Per call (one key, as one caller's requests): the per-process bucket (SQLite's, and each worker's before the buckets
moved to PostgreSQL); the shared bucket with a lease of 1 (every call one ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` round trip, autocommitted, through a worker thread); the shared bucket at the production default of
600/min (a lease of 20: one round trip per 20 calls); and a refused call (an empty bucket's cached denial).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database, fresh_postgres
from schema.http.limits import RateLimiter, SharedRateLimiter


async def per_call(limiter: RateLimiter, key: str, requests: int) -> tuple[float, int]:
    """Microseconds per ``admit`` over ``requests`` calls, and how many were allowed."""
    allowed = 0
    start = time.perf_counter()
    for _ in range(requests):
        allowed += await limiter.admit(key)
    return (time.perf_counter() - start) / requests * 1e6, allowed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="admin URL of a PostgreSQL server")
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    _, database = fresh_database(fresh_postgres(args.postgres, "arvio_bench_rate_limit"))
    n = args.requests
    exact = SharedRateLimiter(10_000_000, database.engine)
    exact.lease = 1  # never empty during the run, and one round trip per call
    cases: list[tuple[str, RateLimiter, str, int]] = [
        ("per-process bucket", RateLimiter(10_000_000), "a", n),
        ("shared, lease 1 (a round trip per call)", exact, "b", n),
        ("shared, 600/min (lease 20), its whole minute", SharedRateLimiter(600, database.engine), "c", 600)]
    try:
        for name, limiter, key, calls in cases:
            micros, allowed = asyncio.run(per_call(limiter, key, calls))
            print(f"  {name:<46} {micros:8.1f} µs per call ({allowed} allowed)", flush=True)
        denied = SharedRateLimiter(600, database.engine)
        asyncio.run(per_call(denied, "d", 700))
        micros, allowed = asyncio.run(per_call(denied, "d", n))
        print(f"  {'shared, refused (cached denial)':<46} {micros:8.1f} µs per call ({allowed} allowed)")
    finally:
        database.dispose()


if __name__ == "__main__":
    main()
