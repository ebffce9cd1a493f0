"""arvio through PgBouncer in transaction mode (``ARVIO_DATABASE_POOLER=pgbouncer-transaction``): each transaction may
get another server connection, so psycopg must prepare no statement (federation/db.py), and LISTEN goes to the
primary directly (``ARVIO_LISTEN_DATABASE_URL``). PgBouncer is Debian's package, installed by .ci/run."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.db import Database
from federation.registry.service import Names, upsert_organisation, upsert_service
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.wiring import build_app
from tests.conftest import ORG_A, SERVICE_A, TEST_KEY, _truncate_postgres
from tests.live import free_port

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
SUBMIT = "mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { accepted } }"
PUBLIC = "query($id: ID!) { publicScore(serviceId: $id) { count } }"

pytestmark = pytest.mark.skipif(not Path(PGBOUNCER).exists(), reason="pgbouncer not installed (.ci/run installs it)")


@pytest.fixture
def bouncer(postgres_database: Database) -> Iterator[str]:
    """PgBouncer in transaction mode in front of the test server; yields its URL of the test database."""
    direct = postgres_database.engine.url
    folder = Path(tempfile.mkdtemp(prefix="arvio-pgbouncer."))
    port = free_port()
    (folder / "users.txt").write_text(f'"{direct.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"[databases]\n{direct.database} = host={direct.host} port={direct.port} dbname={direct.database}\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\nauth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\npool_mode = transaction\ndefault_pool_size = 4\n"
        # Round robin over the server connections: consecutive transactions of one client land on different ones,
        # as under load, so a statement prepared on one is missing on the next.
        "server_round_robin = 1\n"
        "max_client_conn = 200\nignore_startup_parameters = extra_float_digits,options\n")
    prefix: list[str] = []
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        shutil.chown(folder, "postgres")
        for name in ("users.txt", "pgbouncer.ini"):
            shutil.chown(folder / name, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    process = subprocess.Popen([*prefix, PGBOUNCER, str(folder / "pgbouncer.ini")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process)
        url = direct.set(host="127.0.0.1", port=port)
        _three_server_connections(url.set(drivername="postgresql").render_as_string(hide_password=False))
        yield url.render_as_string(hide_password=False)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _three_server_connections(conninfo: str) -> None:
    """Three transactions at once make PgBouncer open three server connections; with round robin, one client's
    transactions then move between them (three, not two: the pool's pre-ping before each transaction would make
    every transaction land on the same one of two)."""
    with psycopg.connect(conninfo) as a, psycopg.connect(conninfo) as b, psycopg.connect(conninfo) as c:
        for connection in (a, b, c):
            connection.execute("SELECT 1")


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "pgbouncer exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("pgbouncer did not listen")


def test_arvio_through_pgbouncer_in_transaction_mode(postgres_database: Database, bouncer: str) -> None:
    _truncate_postgres(postgres_database)
    now = dt.datetime.now(dt.UTC)
    with postgres_database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("Esimerkkilän kaupunki"), now=now)
        session.flush()
        upsert_service(session, SERVICE_A, Names("Kirjastokortti"), now=now, organisation_ids=(ORG_A,))
        token, _ = issue_token(session, role=Role.ORGANISATION, label="pooled", now=now, organisation_id=ORG_A)
    settings = Settings(database_url=bouncer, database_pooler="pgbouncer-transaction", environment="test",
                        listen_database_url=postgres_database.engine.url.render_as_string(hide_password=False),
                        master_key=KeyRing((TEST_KEY,)).to_json(), publication_threshold=1,
                        rate_limit_per_minute=100_000)
    database = Database(settings)
    assert make_url(bouncer).port != postgres_database.engine.url.port
    with database.engine.connect() as connection:  # psycopg prepares nothing (it would after 5 runs by default)
        assert connection.connection.driver_connection.prepare_threshold is None  # type: ignore[union-attr]
    try:
        with TestClient(build_app(settings, database=database, run_migrations=False)) as client:
            headers = {"Authorization": f"Bearer {token}"}
            answered = (now - dt.timedelta(minutes=5)).isoformat()
            for batch in range(12):
                items = [{"clientRef": f"p{batch}-{i}", "serviceId": SERVICE_A, "value": 4, "answeredAt": answered,
                          "questionId": "national.transaction-smooth"} for i in range(3)]
                body = client.post("/graphql", json={"query": SUBMIT, "variables": {"input": {"ratings": items}}},
                                   headers=headers).json()
                assert body == {"data": {"submitRatings": {"accepted": 3}}}, body
                read = client.post("/graphql", json={"query": PUBLIC, "variables": {"id": SERVICE_A}}).json()
                assert read == {"data": {"publicScore": {"count": 3 * (batch + 1)}}}, read
            lines = "\n".join(f'{{"clientRef": "n{i}", "serviceId": "{SERVICE_A}", "value": 5, "answeredAt": '
                              f'"{answered}", "questionId": "national.transaction-smooth"}}' for i in range(50))
            upload = client.post("/ingest/ratings", content=lines.encode(), headers=headers).json()
            assert upload["accepted"] == 50, upload
            assert client.get("/public/score", params={"service": SERVICE_A}).json()["count"] == 86
    finally:
        database.dispose()
