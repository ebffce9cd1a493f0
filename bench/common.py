"""Shared set-up for the benchmarks: a migrated SQLite database with one organisation and one service."""

from __future__ import annotations

import datetime as dt
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import psycopg
from sqlalchemy.engine import make_url

from bench import results
from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.db import Database, utcnow
from federation.migrate import migrate
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.settings import Settings
from pseudonymize.keys import KeyRing, MasterKey
from tests.live import free_port

ORG = "1000001-2"
SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
CHANNEL = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"
KEYS = KeyRing((MasterKey(1, bytes(range(32))),)).to_json()
ROOT = Path(__file__).resolve().parent.parent
BATCH = 1000
MUTATION = ("mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) "
            "{ accepted duplicates rejected } }")


def fresh_database(url: str | None = None) -> tuple[Settings, Database]:
    """A migrated database (a temporary SQLite file unless ``url`` is given) with the registry filled in."""
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='arvio-bench-')) / 'bench.db'}"
    settings = Settings(database_url=url, environment="production", master_key=KEYS,
                        rate_limit_per_minute=10_000_000, max_answer_age_days=365)
    database = Database(settings)
    migrate(database)
    now = utcnow()
    with database.transaction() as session:
        upsert_organisation(session, ORG, Names("Bench"), now=now)
        session.flush()
        upsert_service(session, SERVICE, Names("Bench service"), now=now, organisation_ids=(ORG,))
        session.flush()
        upsert_channel(session, CHANNEL, ChannelType.ECHANNEL, Names("Bench channel"), now=now,
                       service_ids=(SERVICE,))
    return settings, database


def org_token(database: Database) -> str:
    """A fresh ORGANISATION token for the bench organisation."""
    with database.transaction() as session:
        token, _ = issue_token(session, role=Role.ORGANISATION, label="bench", now=utcnow(), organisation_id=ORG)
    return token


def rating_items(count: int, *, prefix: str, now: dt.datetime) -> list[dict[str, object]]:
    """``count`` API-shaped rating items spread over the last 30 days, about one in four skipped."""
    items: list[dict[str, object]] = []
    for i in range(count):
        skipped = i % 4 == 3
        items.append({
            "clientRef": f"{prefix}-{i}", "serviceId": SERVICE, "channelId": CHANNEL,
            "questionId": "national.transaction-smooth", "value": None if skipped else 1 + (i * 7) % 5,
            "skipped": skipped, "locale": "fi",
            "answeredAt": (now - dt.timedelta(minutes=(i * 13) % (30 * 24 * 60))).isoformat(),
        })
    return items


def uuid_items(count: int, now: dt.datetime) -> list[dict[str, object]]:
    """API-shaped ratings with UUID client references over the last 30 days, one in four skipped."""
    out: list[dict[str, object]] = []
    for i in range(count):
        skipped = i % 4 == 3
        out.append({"clientRef": str(uuid.uuid4()), "serviceId": SERVICE, "channelId": CHANNEL,
                    "questionId": "national.transaction-smooth", "value": None if skipped else 1 + (i * 7) % 5,
                    "skipped": skipped, "locale": "fi",
                    "answeredAt": (now - dt.timedelta(minutes=(i * 13) % (30 * 24 * 60))).isoformat()})
    return out


def start_server(url: str) -> tuple[subprocess.Popen[bytes], str]:
    """arvio under uvicorn in its own process (one worker); its base URL once it answers."""
    port = free_port()
    env = {**os.environ, "ARVIO_DATABASE_URL": url, "ARVIO_ENV": "production", "ARVIO_MASTER_KEY": KEYS,
           "ARVIO_RATE_LIMIT_PER_MINUTE": "1000000"}  # the default limit is off here: one client sends it all
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "schema.wiring:asgi", "--host",
                               "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
                              cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("arvio did not start")


def ndjson(base: str, token: str, rows: list[dict[str, object]]) -> float:
    body = b"\n".join(orjson.dumps(r) for r in rows)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    start = time.perf_counter()
    result = httpx.post(f"{base}/ingest/ratings", content=body, headers=headers, timeout=600).json()
    elapsed = time.perf_counter() - start
    assert result["accepted"] == len(rows), result
    return len(rows) / elapsed


def submit(base: str, token: str, rows: list[dict[str, object]]) -> float:
    bodies = [orjson.dumps({"query": MUTATION, "variables": {"input": {"ratings": rows[i:i + BATCH]}}})
              for i in range(0, len(rows), BATCH)]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    accepted = 0
    with httpx.Client(timeout=600) as client:
        start = time.perf_counter()
        for body in bodies:
            accepted += client.post(f"{base}/graphql", content=body, headers=headers).json()[
                "data"]["submitRatings"]["accepted"]
        elapsed = time.perf_counter() - start
    assert accepted == len(rows), accepted
    return len(rows) / elapsed


def spread(values: list[float]) -> str:
    """min / median / max of ratios, as text."""
    return " / ".join(f"{value:.3f}" for value in results.spread(values))




def fresh_postgres(admin_url: str, name: str) -> str:
    """An empty PostgreSQL database ``name`` (dropped first if it exists); its URL."""
    admin = make_url(admin_url)
    with psycopg.connect(admin.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


Baseline = Callable[[list[dict[str, object]]], float]
"""Rows per second of the raw baseline writing the given API-shaped rows."""


@dataclass(frozen=True)
class IngestTable:
    """How an ingest bench's two rows read in the README table (bench/results.py)."""

    backend: str
    order: int
    baseline: str
    targets: dict[str, float]


def ingest_rounds(rounds: int, ratings: int, baseline_name: str,
                  prepare_round: Callable[[int], tuple[str, str, Baseline]], rows: IngestTable) -> None:
    """Run the ingest comparison and print it: per round, ``prepare_round(number)`` gives a fresh database's URL,
    an ORGANISATION token and the baseline; arvio is started on it in its own process and warmed up (1 000 rows,
    and the baseline's table as many). Then, in an order that rotates from round to round, the NDJSON upload and
    ``submitRatings`` each write ``ratings`` new UUID-referenced rows and the baseline runs twice, so its table
    grows as arvio's does (an index costs more as its table grows; comparing a table twice the size of the other
    would flatter the baseline). Each arvio rate is compared with the mean of the round's two baseline runs.
    Prints rows/s and min / median / max of the ratios to the baseline."""
    rates: dict[str, list[float]] = {baseline_name: [], "NDJSON": [], "submitRatings": []}
    ratios: dict[str, list[float]] = {"NDJSON": [], "submitRatings": []}
    for number in range(rounds):
        url, token, baseline = prepare_round(number)
        server, base = start_server(url)
        try:
            now = utcnow() - dt.timedelta(minutes=1)
            ndjson(base, token, uuid_items(BATCH, now))  # warm-up: new refs, not counted
            baseline(uuid_items(BATCH, now))
            runs: dict[str, Baseline] = {"NDJSON": functools.partial(ndjson, base, token),
                                         "submitRatings": functools.partial(submit, base, token)}
            order = [baseline_name, "NDJSON", baseline_name, "submitRatings"]
            got: dict[str, list[float]] = {name: [] for name in rates}
            for name in order[number % 4:] + order[:number % 4]:
                got[name].append((runs.get(name) or baseline)(uuid_items(ratings, now)))
            reference = statistics.mean(got[baseline_name])
            for name, values in got.items():
                rates[name] += values
                if name in ratios:
                    ratios[name].append(values[0] / reference)
        finally:
            server.terminate()
            server.wait(timeout=30)
    width = len(baseline_name) + 1
    for name, values in rates.items():
        print(f"{name:<{width}} rows/s min / median / max: {min(values):9,.0f} / "
              f"{statistics.median(values):9,.0f} / {max(values):9,.0f}")
    for name, values in ratios.items():
        print(f"{name} / {baseline_name} ratio (min / median / max over {rounds} rounds): {spread(values)}")
    _record_ingest(rows, rates, ratios, baseline_name)


def _record_ingest(rows: IngestTable, rates: dict[str, list[float]], ratios: dict[str, list[float]],
                   baseline_name: str) -> None:
    baseline = f"{rows.baseline}: median {statistics.median(rates[baseline_name]):,.0f} rows/s"
    for offset, (name, what) in enumerate((("NDJSON", "NDJSON upload, server in its own process, UUID refs"),
                                            ("submitRatings", "`submitRatings`, batches of 1000"))):
        target = rows.targets[name]
        results.record(f"ingest-{rows.backend.lower()}-{name.lower()}", order=rows.order + offset,
                       what=f"{rows.backend} ingest: {what}",
                       arvio=f"median {statistics.median(rates[name]):,.0f} ratings/s", baseline=baseline,
                       ratios=ratios[name], unit="", target=f"≥ {target}",
                       met=statistics.median(ratios[name]) >= target)
