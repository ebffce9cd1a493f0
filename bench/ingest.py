"""Ingest throughput: submitRatings and the NDJSON upload over real HTTP against raw executemany of the same rows.

    .venv/bin/python bench/ingest.py [--ratings 50000]

Both write the same rows into the same `rating` table of a SQLite file on this machine, in one run; the ratio is
what matters (machines are shared and noisy). The raw baseline commits per 1000 rows and does nothing else: no
validation, no idempotency check, no rollups.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ORG, fresh_database, org_token, rating_items
from federation.db import utcnow
from schema.wiring import build_app
from tests.live import serve

MUTATION = ("mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) "
            "{ accepted duplicates rejected results { index status code } } }")
BATCH = 1000


def raw_executemany(items: list[dict[str, object]]) -> float:
    """Rows per second for plain sqlite3 executemany of the same columns into a fresh copy of the table."""
    _, database = fresh_database()
    path = database.engine.url.database
    database.dispose()
    now = utcnow().isoformat()
    rows = [(ORG, it["clientRef"], it["serviceId"], it["channelId"], it["questionId"], 1, it["value"],
             it["skipped"], it["answeredAt"], now, it["locale"]) for it in items]
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # as arvio (federation/db.py)
    sql = ("INSERT INTO rating (organisation_id, client_ref, service_id, channel_id, question_id, wording_version, "
           "value, skipped, answered_at, received_at, locale) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
    start = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        conn.executemany(sql, rows[i:i + BATCH])
        conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


def through_http(items: list[dict[str, object]]) -> float:
    """Ratings per second through POST /graphql submitRatings, one client, batches of 1000."""
    settings, database = fresh_database()
    token = org_token(database)
    app = build_app(settings, database=database, run_migrations=False)
    bodies = [orjson.dumps({"query": MUTATION, "variables": {"input": {"ratings": items[i:i + BATCH]}}})
              for i in range(0, len(items), BATCH)]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with serve(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        http.post("/graphql", content=bodies[0], headers=headers)  # warm-up batch (counted as duplicates later)
        start = time.perf_counter()
        accepted = 0
        for body in bodies:
            result = http.post("/graphql", content=body, headers=headers).json()["data"]["submitRatings"]
            accepted += result["accepted"] + result["duplicates"]
        elapsed = time.perf_counter() - start
    assert accepted == len(items), accepted
    return len(items) / elapsed


def through_ndjson(items: list[dict[str, object]]) -> float:
    """Ratings per second through POST /ingest/ratings (NDJSON), one upload of every item."""
    settings, database = fresh_database()
    token = org_token(database)
    app = build_app(settings, database=database, run_migrations=False)
    body = b"\n".join(orjson.dumps(item) for item in items)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    with serve(app) as base, httpx.Client(base_url=base, timeout=300) as http:
        http.post("/ingest/ratings", content=body[:body.index(b"\n")], headers=headers)  # warm-up line
        start = time.perf_counter()
        result = http.post("/ingest/ratings", content=body, headers=headers).json()
        elapsed = time.perf_counter() - start
    assert result["accepted"] + result["duplicates"] == len(items), result
    return len(items) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ratings", type=int, default=50_000)
    args = parser.parse_args()
    items = rating_items(args.ratings, prefix="bench", now=utcnow() - dt.timedelta(minutes=1))
    raw = raw_executemany(items)
    api = through_http(items)
    bulk = through_ndjson(items)
    print(f"raw sqlite executemany : {raw:10,.0f} rows/s")
    print(f"submitRatings over HTTP: {api:10,.0f} ratings/s  (batches of {BATCH}, validation, idempotency, "
          "rollups, one transaction per batch)")
    print(f"NDJSON bulk upload     : {bulk:10,.0f} ratings/s  (same work, chunks of 1000, no GraphQL layer)")
    print(f"ratio submitRatings/raw: {api / raw:10.3f}")
    print(f"ratio NDJSON/raw       : {bulk / raw:10.3f}")


if __name__ == "__main__":
    main()
