"""Ingest on PostgreSQL, measured fairly: arvio over HTTP against raw COPY of the same rows into an identical table.

    ARVIO_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/ingest_pg.py [--ratings 20000] [--rounds 5]

(``ARVIO_TEST_POSTGRES_URL`` works too.) Each round makes a fresh database, migrates it, registers one
organisation, service and channel, and starts arvio in **its own process** (uvicorn, one worker, production
settings, the rate limit raised and said so). In the same round, interleaved: the NDJSON upload of N ratings,
``submitRatings`` of another N in batches of 1 000, and the baseline — psycopg's ``COPY … FROM STDIN`` of N
rows with the same columns into ``rating_raw``, created ``LIKE rating INCLUDING ALL`` (same types, defaults,
unique index and indexes), committed per 1 000 rows. Every round uses new UUID client references, so nothing is a
duplicate. The client is this process. Prints rows per second of each and min / median / max over the rounds of
the ratios arvio / raw.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BATCH,
    CHANNEL,
    KEYS,
    ORG,
    SERVICE,
    ndjson,
    org_token,
    spread,
    start_server,
    submit,
    uuid_items,
)
from federation.db import Database, utcnow
from federation.migrate import migrate
from federation.registry.models import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.settings import Settings

COLUMNS = ("organisation_id", "client_ref", "service_id", "channel_id", "question_id", "wording_version", "value",
           "skipped", "answered_at", "received_at", "locale")


def fresh_database(admin_url: str, name: str) -> str:
    """Create database ``name`` (dropping an old one), migrate it and register the bench registry; its URL."""
    admin = make_url(admin_url)
    with psycopg.connect(admin.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name).render_as_string(hide_password=False)
    database = Database(Settings(database_url=url, environment="production", master_key=KEYS))
    migrate(database)
    now = utcnow()
    with database.transaction() as session:
        upsert_organisation(session, ORG, Names("Bench"), now=now)
        session.flush()
        upsert_service(session, SERVICE, Names("Bench service"), now=now, organisation_ids=(ORG,))
        session.flush()
        upsert_channel(session, CHANNEL, ChannelType.ECHANNEL, Names("Bench channel"), now=now,
                       service_ids=(SERVICE,))
    with database.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE rating_raw (LIKE rating INCLUDING ALL)")
    database.dispose()
    return url


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
    rates: dict[str, list[float]] = {"raw COPY": [], "NDJSON": [], "submitRatings": []}
    for number in range(args.rounds):
        url = fresh_database(admin, f"arvio_bench_ingest_{number}")
        database = Database(Settings(database_url=url, environment="production", master_key=KEYS))
        token = org_token(database)
        database.dispose()
        server, base = start_server(url)
        try:
            now = utcnow() - dt.timedelta(minutes=1)
            ndjson(base, token, uuid_items(BATCH, now))  # warm-up: new refs, not counted
            order = ["raw COPY", "NDJSON", "submitRatings"]
            for name in order[number % 3:] + order[:number % 3]:
                rows = uuid_items(args.ratings, now)
                if name == "raw COPY":
                    rates[name].append(raw_copy(url, rows))
                elif name == "NDJSON":
                    rates[name].append(ndjson(base, token, rows))
                else:
                    rates[name].append(submit(base, token, rows))
        finally:
            server.terminate()
            server.wait(timeout=30)
    for name, values in rates.items():
        print(f"{name:<14} rows/s min / median / max: {min(values):9,.0f} / {statistics.median(values):9,.0f} / "
              f"{max(values):9,.0f}")
    for name in ("NDJSON", "submitRatings"):
        ratios = [a / b for a, b in zip(rates[name], rates["raw COPY"], strict=True)]
        print(f"{name} / raw COPY ratio (min / median / max over {args.rounds} rounds): {spread(ratios)}")


if __name__ == "__main__":
    main()
