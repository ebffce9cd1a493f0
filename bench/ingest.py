"""Ingest on SQLite, measured fairly: arvio over HTTP against raw executemany of the same rows into an identical table.

    .venv/bin/python bench/ingest.py [--ratings 20000] [--rounds 5]

Each round makes a fresh SQLite file, migrates it, registers one organisation, service and channel, copies the
``rating`` table's definition and indexes to ``rating_raw``, and starts arvio in **its own process** (uvicorn, one
worker, production settings; the rate limit raised and said so). In the same round, in an order that rotates from
round to round: the NDJSON upload of N ratings, ``submitRatings`` of another N in batches of 1 000, and the
baseline — Python's ``sqlite3`` ``executemany`` of N rows with the same columns into ``rating_raw`` with arvio's
settings (WAL, ``synchronous=FULL``), one ``BEGIN IMMEDIATE … COMMIT`` per 1 000 rows, run twice so that its table
grows as arvio's does (``bench/common.py:ingest_rounds``). Every round uses new UUID client references, so nothing is
a duplicate. The client is this process. Prints rows per second of each and min / median / max over the rounds of
the ratios arvio / raw (each arvio rate against the mean of its round's two baseline runs).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BATCH, ORG, Baseline, IngestTable, fresh_database, ingest_rounds, org_token
from federation.db import utcnow

COLUMNS = ("organisation_id", "client_ref", "service_id", "channel_id", "question_id", "wording_version", "value",
           "skipped", "answered_at", "received_at", "locale")


def prepare(path: Path) -> tuple[str, str]:
    """A migrated SQLite file with the bench registry and ``rating_raw`` (same definition and indexes as
    ``rating``); returns its URL and an ORGANISATION token."""
    url = f"sqlite:///{path}"
    _, database = fresh_database(url)
    token = org_token(database)
    database.dispose()
    conn = sqlite3.connect(path)
    for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'rating' AND sql IS NOT NULL"):
        conn.execute(sql.replace('"rating"', '"rating_raw"').replace(" rating ", " rating_raw ")
                     .replace("ix_rating_", "ix_rating_raw_").replace("uq_rating_", "uq_rating_raw_"))
    conn.commit()
    conn.close()
    return url, token


def raw_executemany(path: Path, rows: list[dict[str, object]]) -> float:
    """Rows per second of executemany into ``rating_raw``, one transaction per BATCH rows."""
    received = utcnow().isoformat()
    tuples = [(ORG, r["clientRef"], r["serviceId"], r["channelId"], r["questionId"], 1, r["value"], r["skipped"],
               r["answeredAt"], received, r["locale"]) for r in rows]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # as arvio (federation/db.py)
    sql = f"INSERT INTO rating_raw ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    start = time.perf_counter()
    for i in range(0, len(tuples), BATCH):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, tuples[i:i + BATCH])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return len(tuples) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    def prepare_round(number: int) -> tuple[str, str, Baseline]:
        path = Path(tempfile.mkdtemp(prefix="arvio-bench-ingest-")) / "bench.db"
        url, token = prepare(path)
        return url, token, lambda rows: raw_executemany(path, rows)

    ingest_rounds(args.rounds, args.ratings, "raw executemany", prepare_round, IngestTable(
        "SQLite", 10, "raw `sqlite3` `executemany` of the same rows into a table with `rating`'s definition and "
        "indexes, WAL + `synchronous=FULL`, committed per 1000", {"NDJSON": 0.4, "submitRatings": 0.25}))

if __name__ == "__main__":
    main()
