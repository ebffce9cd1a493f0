"""The backup and restore drill of README.md "Operations" on PostgreSQL: ``pg_dump`` a database holding the demo
federation's ratings, ``pg_restore`` it into a fresh database on the same server, and the restored service answers
every service's public score, and holds every table's rows, exactly as the original.

Needs ``ARVIO_TEST_POSTGRES_URL`` (``.ci/run`` starts a server) and PostgreSQL's client programs.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from federation.db import Database
from federation.migrate import migrate
from federation.models import Base
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.cli.demo import load_demo
from schema.wiring import build_app
from tests.conftest import TEST_KEY

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
URL = os.environ.get("ARVIO_TEST_POSTGRES_URL")

pytestmark = pytest.mark.skipif(not URL or not (PG_BIN / "pg_dump").exists(),
                                reason="needs ARVIO_TEST_POSTGRES_URL and PostgreSQL 15's pg_dump/pg_restore")


def _libpq(sqlalchemy_url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no ``+psycopg`` driver part)."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two new databases on the test server: the original and the one restored into."""
    assert URL is not None
    admin = create_engine(URL, isolation_level="AUTOCOMMIT")
    names = [f"arvio_drill_{os.getpid()}_{role}" for role in ("original", "restored")]
    with admin.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    urls = [make_url(URL).set(database=name).render_as_string(hide_password=False) for name in names]
    try:
        yield urls[0], urls[1]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _settings(url: str) -> Settings:
    return Settings(database_url=url, environment="test", master_key=KeyRing((TEST_KEY,)).to_json())


def _observed(url: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Every service's public score as the API answers it, and every table's row count."""
    database = Database(_settings(url))
    try:
        with TestClient(build_app(_settings(url), database=database, run_migrations=False)) as client:
            def gql(query: str, variables: dict[str, Any] | None = None) -> Any:
                body = client.post("/graphql", json={"query": query, "variables": variables}).json()
                assert "errors" not in body, body
                return body["data"]

            ids = [s["id"] for s in gql("{ services(first: 500) { id } }")["services"]]
            scores = {i: gql("query($id: ID!) { publicScore(serviceId: $id) { published count mean stars nps "
                             "yesShare wordingVersion } }", {"id": i})["publicScore"] for i in ids}
        with database.transaction(write=False) as session:
            counts = {t.name: session.scalar(select(func.count()).select_from(t)) or 0
                      for t in Base.metadata.sorted_tables}
        return scores, counts
    finally:
        database.dispose()


def test_dump_and_restore_keep_every_score(databases: tuple[str, str], tmp_path: Path) -> None:
    original, restored = databases
    database = Database(_settings(original))
    migrate(database)
    assert load_demo(database, _settings(original), scale=0.02) > 500
    database.dispose()
    dump = tmp_path / "arvio.dump"
    subprocess.run([str(PG_BIN / "pg_dump"), "--format=custom", "--no-owner", f"--file={dump}",
                    f"--dbname={_libpq(original)}"], check=True, timeout=300)
    subprocess.run([str(PG_BIN / "pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
                    f"--dbname={_libpq(restored)}", str(dump)], check=True, timeout=300)
    restored_database = Database(_settings(restored))
    migrate(restored_database)  # as after any restore: a no-op at the same release
    restored_database.dispose()
    before, after = _observed(original), _observed(restored)
    scores, counts = before
    assert any(score["published"] for score in scores.values()), "the drill needs published scores"
    assert counts["rating"] > 500
    assert after == before
