"""Two arvio hosts on a PostgreSQL primary and its hot standby (tests/pgcluster.py), then a failover drill.

Each host is its own uvicorn process with ``ARVIO_DATABASE_URL`` = the primary and ``ARVIO_READ_DATABASE_URL`` = the
standby. Ratings pushed through both are read back through both once the standby has replayed them; a score one
host cached is invalidated when the other commits a change (federation/shared/stamps.py); a token's rate allowance
is spent across both hosts (federation/shared/buckets.py). Then the primary crashes while ratings are being
pushed, the standby is promoted, new hosts are pointed at it, and every rating acknowledged ACCEPTED is there (the
primary required a synchronous standby, so an acknowledged commit was already on the standby's disk).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.db import Database
from federation.migrate import migrate
from federation.ratings.models import Rating
from federation.registry.service import Names, upsert_organisation, upsert_service
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from tests import pgcluster
from tests.conftest import ORG_A, SERVICE_A, TEST_KEY
from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "national.transaction-smooth"
SUBMIT = ("mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { results { index status } } }")
PER_MINUTE = 120

if not pgcluster.available() and os.environ.get("ARVIO_TEST_REQUIRE_POSTGRES") == "1":
    pytest.fail("PostgreSQL server binaries are required (ci) but initdb/pg_basebackup/pg_ctl are missing",
                pytrace=False)
pytestmark = [pytest.mark.replication,
              pytest.mark.skipif(not pgcluster.available(), reason="PostgreSQL 15 server binaries not installed")]


def _seed(url: str) -> dict[str, str]:
    """Migrate the primary, register one organisation and service, and issue the tokens the test uses."""
    database = Database(Settings(database_url=url, environment="test"))
    try:
        migrate(database)
        now = dt.datetime.now(dt.UTC)
        with database.transaction() as session:
            upsert_organisation(session, ORG_A, Names("Esimerkkilän kaupunki"), now=now)
            session.flush()
            upsert_service(session, SERVICE_A, Names("Kirjastokortti"), now=now, organisation_ids=(ORG_A,))
            return {name: issue_token(session, role=role, label=name, now=now, organisation_id=org)[0]
                    for name, role, org in (("org", Role.ORGANISATION, ORG_A), ("limited", Role.ADMIN, None))}
    finally:
        database.dispose()


@contextmanager
def _hosts(tmp_path: Path, primary: str, replica: str | None, count: int = 2) -> Iterator[list[str]]:
    """``count`` arvio processes (uvicorn factory) on their own ports; yields their base URLs."""
    env = {**os.environ, "ARVIO_DATABASE_URL": primary, "ARVIO_ENV": "test", "ARVIO_PUBLICATION_THRESHOLD": "1",
           "ARVIO_MASTER_KEY": KeyRing((TEST_KEY,)).to_json(), "ARVIO_RATE_LIMIT_PER_MINUTE": str(PER_MINUTE),
           "ARVIO_SIGNING_KEY_FILE": str(tmp_path / "signing.json")}
    env.pop("ARVIO_READ_DATABASE_URL", None)
    if replica is not None:
        env["ARVIO_READ_DATABASE_URL"] = replica
    ports = [free_port() for _ in range(count)]
    log = (tmp_path / "hosts.log").open("ab")  # the drill's connection errors land here, not in the test output
    processes = [subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "schema.wiring:asgi", "--host",
                                   "127.0.0.1", "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env,
                                  stdout=log, stderr=log)
                 for port in ports]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            pgcluster.wait_for(f"{base} healthy", lambda b=base: _healthy(b), seconds=90)
        yield bases
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _push(base: str, token: str, refs: list[str]) -> list[str]:
    """Push ratings with these clientRefs through ``base``; the refs acknowledged ACCEPTED."""
    answered = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    items = [{"clientRef": ref, "serviceId": SERVICE_A, "questionId": QUESTION, "value": 4, "answeredAt": answered}
             for ref in refs]
    response = httpx.post(f"{base}/graphql", json={"query": SUBMIT, "variables": {"input": {"ratings": items}}},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    if response.status_code != 200 or not (response.json().get("data") or {}).get("submitRatings"):
        return []
    results = response.json()["data"]["submitRatings"]["results"]
    return [refs[r["index"]] for r in results if r["status"] == "ACCEPTED"]


def _public_count(base: str) -> int | None:
    response = httpx.get(f"{base}/public/score", params={"service": SERVICE_A}, timeout=5)
    if response.status_code != 200:
        return None
    count: int | None = response.json()["count"]
    return count


def _reads_agree(bases: list[str], expected: int) -> bool:
    return all(_public_count(base) == expected for base in bases)


def _cache_is_invalidated_across_hosts(bases: list[str], token: str, accepted: list[str]) -> None:
    """Host B caches the score; a rating pushed through host A reaches B's readers well before the cache's 30 s."""
    before = _public_count(bases[1])
    assert before == len(accepted)
    assert _public_count(bases[1]) == before  # now served from B's cache
    pushed = _push(bases[0], token, ["cache-1"])
    assert pushed == ["cache-1"]
    accepted += pushed
    started = time.monotonic()
    pgcluster.wait_for("host B to show host A's rating", lambda: _public_count(bases[1]) == len(accepted),
                       seconds=20, every=0.5)
    assert time.monotonic() - started < 25  # not the TTL (30 s): the announcement invalidated B's entry


def _rate_limit_is_shared(bases: list[str], token: str) -> None:
    """One token's allowance (PER_MINUTE) is spent across both hosts: together they allow it once, not twice."""
    allowed, refused = [0, 0], [0, 0]
    started = time.monotonic()
    with httpx.Client(timeout=10) as client:
        for i in range(2 * PER_MINUTE):
            host = i % 2
            response = client.post(f"{bases[host]}/graphql", json={"query": "{ viewer { label } }"},
                                   headers={"Authorization": f"Bearer {token}"})
            assert response.status_code in (200, 429), response.text
            (allowed if response.status_code == 200 else refused)[host] += 1
    refill = (time.monotonic() - started) * PER_MINUTE / 60
    assert all(refused), (allowed, refused)  # both hosts refused once the shared bucket was empty
    # A token draws from its own bucket once it authenticated on that host: each host's first request drew from the
    # address's bucket (schema/http/limits.py, CallerKeys).
    assert sum(allowed) <= PER_MINUTE + refill + len(bases), (allowed, refill)
    lease = max(1, min(20, PER_MINUTE // 30))
    assert sum(allowed) >= PER_MINUTE - 2 * (lease - 1), allowed  # at most a lease's rest unspent per host


def _push_until(stop: threading.Event, bases: list[str], token: str, accepted: list[str]) -> None:
    for i in itertools.count():
        if stop.is_set():
            return
        with contextlib.suppress(httpx.HTTPError):  # the primary is gone: not acknowledged, so not expected
            accepted += _push(bases[i % 2], token, [f"drill-{i}"])
        time.sleep(0.05)


def _stored_refs(url: str) -> set[str]:
    database = Database(Settings(database_url=url, environment="test"))
    try:
        with database.transaction(write=False) as session:
            return set(session.scalars(select(Rating.client_ref).where(Rating.organisation_id == ORG_A)))
    finally:
        database.dispose()


def test_two_hosts_share_state_and_survive_a_failover(tmp_path: Path) -> None:
    cluster = pgcluster.start_cluster()
    try:
        primary, standby = cluster.url(cluster.primary_port), cluster.url(cluster.standby_port)
        tokens = _seed(primary)
        accepted: list[str] = []
        with _hosts(tmp_path, primary, standby) as bases:
            for batch in range(6):
                accepted += _push(bases[batch % 2], tokens["org"], [f"r{batch}-{i}" for i in range(5)])
            assert len(accepted) == 30
            pgcluster.wait_for("both hosts to read every rating from the standby",
                               lambda: _reads_agree(bases, len(accepted)), every=0.5)
            _cache_is_invalidated_across_hosts(bases, tokens["org"], accepted)
            _rate_limit_is_shared(bases, tokens["limited"])
            stop = threading.Event()
            pusher = threading.Thread(target=_push_until, args=(stop, bases, tokens["org"], accepted))
            pusher.start()
            pgcluster.wait_for("ratings acknowledged during the drill", lambda: len(accepted) > 40)
            cluster.crash_primary()
            time.sleep(1)
            stop.set()
            pusher.join(30)
        cluster.promote_standby()
        with _hosts(tmp_path, standby, None) as bases:
            assert set(accepted) <= _stored_refs(standby)  # every acknowledged rating survived the failover
            pgcluster.wait_for("the new hosts to read the promoted standby",
                               lambda: _reads_agree(bases, len(_stored_refs(standby))), every=0.5)
            assert _push(bases[0], tokens["org"], ["after-failover"]) == ["after-failover"]
    finally:
        cluster.stop()
