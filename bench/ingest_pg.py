"""Ingest on PostgreSQL, measured fairly: arvio over HTTP against raw COPY of the same rows into an identical table.

    ARVIO_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/ingest_pg.py [--ratings 20000] [--rounds 5]

(``ARVIO_TEST_POSTGRES_URL`` works too.) Each round makes a fresh database, migrates it, registers one
organisation, service and channel, and starts arvio in **its own process** (uvicorn, one worker, production
settings, the rate limit raised and said so). In the same round, interleaved: the NDJSON upload of N ratings,
``submitRatings`` of another N in batches of 1 000, and the baseline — psycopg's ``COPY … FROM STDIN`` of N
rows with the same columns into ``rating_raw``, created ``LIKE rating INCLUDING ALL`` (same types, defaults,
unique index and indexes), committed per 1 000 rows, run twice so that its table grows as arvio's does
(``bench/common.py:ingest_rounds``). Every round uses new UUID client references, so nothing is a duplicate. The
client is this process. Prints rows per second of each and min / median / max over the rounds of the ratios
arvio / raw (each arvio rate against the mean of its round's two baseline runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BATCH,
    ORG,
    Baseline,
    IngestTable,
    fresh_database,
    fresh_postgres,
    ingest_rounds,
    org_token,
)
from federation.db import utcnow

COLUMNS = ("organisation_id", "client_ref", "service_id", "channel_id", "question_id", "wording_version", "value",
           "skipped", "answered_at", "received_at", "locale")


def prepare(admin_url: str, name: str) -> tuple[str, str]:
    """A fresh database ``name``, migrated, with the bench registry and ``rating_raw``; its URL and an ORGANISATION
    token."""
    url = fresh_postgres(admin_url, name)
    _, database = fresh_database(url)
    token = org_token(database)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE rating_raw (LIKE rating INCLUDING ALL)")
    database.dispose()
    return url, token


def raw_copy(url: str, rows: list[dict[str, object]]) -> float:
    """Rows per second of COPY into ``rating_raw``, committed per BATCH rows."""
    received = utcnow()
    tuples = [(ORG, r["clientRef"], r["serviceId"], r["channelId"], r["questionId"], 1, r["value"], r["skipped"],
               dt.datetime.fromisoformat(str(r["answeredAt"])), received, r["locale"]) for r in rows]
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        start = time.perf_counter()
        for i in range(0, len(tuples), BATCH):
            with conn.cursor() as cursor, cursor.copy(f"COPY rating_raw ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in tuples[i:i + BATCH]:
                    copy.write_row(row)
            conn.commit()
        return len(tuples) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    admin = os.environ.get("ARVIO_BENCH_POSTGRES_URL") or os.environ.get("ARVIO_TEST_POSTGRES_URL")
    if not admin:
        raise SystemExit("set ARVIO_BENCH_POSTGRES_URL to a PostgreSQL URL whose user may create databases")

    def prepare_round(number: int) -> tuple[str, str, Baseline]:
        url, token = prepare(admin, f"arvio_bench_ingest_{number}")
        return url, token, lambda rows: raw_copy(url, rows)

    ingest_rounds(args.rounds, args.ratings, "raw COPY", prepare_round, IngestTable(
        "PostgreSQL", 20, "raw `COPY` of the same rows into a `LIKE rating INCLUDING ALL` table, committed per 1000",
        {"NDJSON": 0.3, "submitRatings": 0.2}))

if __name__ == "__main__":
    main()
