"""Flat reads: score and time-series reads at ~10 k against ~10 M ratings' worth of rollups, side by side.

    .venv/bin/python bench/flat.py [--repeat 30] [--postgres ADMIN_URL]

Two databases are filled by inserting rollup rows directly (the ingest path is benchmarked in bench/ingest.py), hour
by hour, oldest first, every service's rows of an hour together — the order live ingest writes them in, so one
service's window is spread through the table as it would be in production:

- *10 k*: the measured service answers about once an hour over the year (its e-service channel, the national
  question: one rollup row per hour, ~8.8 k answers) and nine other services share ~1.2 k answers at random hours;
- *10 M*: the measured service answers 100 times an hour on three questions over three years of history, and 150
  other services answer twice in every hour of the year: ~10.5 M answers in ~2.1 M rollup rows.

The reads ask for the measured service's last 365 days of ``national.transaction-smooth`` through the real GraphQL
execution (parser and validation caches, the request's session), as an organisation would: the score, the weekly,
daily and monthly series, and the rush heatmap. The target (docs/DESIGN.md "Performance") is time at 10 M ≤ 1.5 × time
at 10 k. What a read touches is the rollup rows of its window: hours × the service's channels (one here on both
sides — a channel more doubles the rows of a busy service, whatever the volume); more answers per row, more history,
more questions and more services must not slow it down, and the local-day grouping in SQL keeps what reaches
Python at one row per day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import results
from bench.common import SERVICE, fresh_database, fresh_postgres, org_token
from federation.db import Database, utcnow
from federation.rollups.models import RollupHourly
from federation.rollups.slots import slot_values
from schema.http.graphql_endpoint import execute_in_process
from schema.wiring import build_app

CHANNEL = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"
OTHER_CHANNEL = "b4d6f8a0-1c2e-4a4b-8d6f-8a0b2c4e6f8a"
QUESTION = "national.transaction-smooth"
READS = {
    "score": 'query($id: ID!) { service(id: $id) { score(lastDays: 365) { count mean interval { low high } } } }',
    "series WEEK": ('query($id: ID!) { serviceAnalytics(serviceId: $id, lastDays: 365) { '
                    'series(granularity: WEEK) { label count value interval { low high } } } }'),
    "series DAY": ('query($id: ID!) { serviceAnalytics(serviceId: $id, lastDays: 365) { '
                   'series(granularity: DAY) { label count value } } }'),
    "series MONTH": ('query($id: ID!) { serviceAnalytics(serviceId: $id, lastDays: 365) { '
                     'series(granularity: MONTH) { label count value interval { low high } } } }'),
    "heatmap": ('query($id: ID!) { serviceAnalytics(serviceId: $id, lastDays: 365) { '
                'heatmap { cells { weekday hour count value } } } }'),
}


def row(service: str, channel: str, question: str, hour: dt.datetime, answers: int, rng: random.Random,
        ) -> dict[str, Any]:
    values = rng.choices(range(1, 6), weights=(1, 1, 2, 4, 4), k=answers) if answers <= 20 else []
    counts = [0] * 11
    if values:
        for value in values:
            counts[value] += 1
    else:
        share = answers // 12
        counts[1:6] = [share, share, 2 * share, 4 * share, answers - 8 * share]
    result: dict[str, Any] = {"service_id": service, "channel_id": channel, "question_id": question,
                              "wording_version": 1, "hour": hour, "skipped": answers // 3, "offered": 0}
    result.update(slot_values(counts))
    return result


def hours_back(now: dt.datetime, days: int) -> list[dt.datetime]:
    end = now.replace(minute=0, second=0, microsecond=0)
    return [end - dt.timedelta(hours=h) for h in range(1, days * 24 + 1)]


def put(database: Database, rows: list[dict[str, Any]]) -> None:
    with database.transaction() as session:
        for start in range(0, len(rows), 20_000):
            session.execute(insert(RollupHourly), rows[start:start + 20_000])


def fill_small(database: Database, now: dt.datetime) -> int:
    rng = random.Random(1)
    year = hours_back(now, 365)
    others = {f"00000000-0000-4000-8000-{n:012d}": set(rng.sample(year, 130)) for n in range(9)}
    rows = []
    for hour in reversed(year):
        rows.append(row(SERVICE, CHANNEL, QUESTION, hour, 1, rng))
        rows += [row(service, CHANNEL, QUESTION, hour, 1, rng) for service, hours in others.items() if hour in hours]
    put(database, rows)
    return len(rows)


def fill_large(database: Database, now: dt.datetime) -> int:
    rng = random.Random(2)
    history, year = hours_back(now, 3 * 365), set(hours_back(now, 365))
    others = [f"00000000-0000-4000-8000-{n:012d}" for n in range(150)]
    total = 0
    rows: list[dict[str, Any]] = []
    for hour in reversed(history):
        for question in (QUESTION, "national.easy-to-use", "national.language-clear"):
            rows.append(row(SERVICE, CHANNEL, question, hour, 100, rng))
            total += 100
        if hour in year:
            rows += [row(service, OTHER_CHANNEL, QUESTION, hour, 2, rng) for service in others]
            total += 2 * len(others)
        if len(rows) >= 200_000:
            put(database, rows)
            rows = []
    put(database, rows)
    return total


def timed_ms(state: Any, token: str, query: str) -> float:
    start = time.perf_counter()
    response = execute_in_process(state, query, {"id": SERVICE}, token)
    elapsed = (time.perf_counter() - start) * 1000
    assert b'"errors"' not in response.body, response.body
    return elapsed


def prepare(fill: Any, url: str | None) -> tuple[int, Any, str]:
    settings, database = fresh_database(url)
    started = time.perf_counter()
    ratings = fill(database, utcnow())
    print(f"  filled {ratings:,} ratings' worth in {time.perf_counter() - started:.1f} s", flush=True)
    return ratings, build_app(settings, database=database, run_migrations=False).state.arvio, org_token(database)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--postgres", metavar="ADMIN_URL",
                        help="measure on PostgreSQL: a URL whose user may create databases (two are made)")
    args = parser.parse_args()
    small_url = large_url = None
    if args.postgres:
        small_url, large_url = (fresh_postgres(args.postgres, name) for name in ("arvio_flat_10k", "arvio_flat_10m"))
    print("10 k side:")
    small_n, small_state, small_token = prepare(fill_small, small_url)
    print("10 M side:")
    large_n, large_state, large_token = prepare(fill_large, large_url)
    if args.postgres:
        for state in (small_state, large_state):  # as autovacuum would have by then: statistics, visibility map
            with state.database.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    print(f"\n{'read':14} {f'{small_n:,} ratings':>18} {f'{large_n:,} ratings':>20}  ratio min / median / max "
          "(target ≤ 1.3)")
    measured: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for name, query in READS.items():
        small: list[float] = []
        large: list[float] = []
        for _ in range(args.repeat + 2):  # alternate the sides so drift on a shared machine hits both alike
            small.append(timed_ms(small_state, small_token, query))
            large.append(timed_ms(large_state, large_token, query))
        small, large = small[2:], large[2:]
        ratios = sorted(m / s for s, m in zip(small, large, strict=True))
        measured[name] = (small, large, ratios)
        print(f"{name:14} {statistics.median(small):15.2f} ms {statistics.median(large):17.2f} ms  "
              f"{ratios[0]:.2f} / {statistics.median(ratios):.2f} / {ratios[-1]:.2f}×")
    _record(measured, "PostgreSQL" if args.postgres else "SQLite")


def _record(measured: dict[str, tuple[list[float], list[float], list[float]]], backend: str) -> None:
    first, *others = measured
    small, large, ratios = measured[first]
    worst = max(statistics.median(r) for _, _, r in measured.values())
    results.record(
        f"flat-{backend.lower()}", order=40 if backend == "SQLite" else 41,
        what=f"{backend}: {first} read at 10 M vs 10 k ratings' worth of rollups, written hour by hour as live "
             "ingest does", arvio=f"10 M: median {statistics.median(large):.2f} ms",
        baseline=f"10 k: median {statistics.median(small):.2f} ms", ratios=ratios, unit="×",
        target="≤ 1.3 × (every read)", met=worst <= 1.3,
        note=", ".join(f"{name} {statistics.median(measured[name][2]):.2f}" for name in others) + " (medians)")


if __name__ == "__main__":
    main()
