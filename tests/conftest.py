"""Shared fixtures: a migrated database per test on SQLite and PostgreSQL, the real ASGI app, tokens, a clock.

PostgreSQL runs when ``ARVIO_TEST_POSTGRES_URL`` is set (``.ci/run`` starts a throwaway server and sets it);
``ARVIO_TEST_REQUIRE_POSTGRES=1`` turns a missing server into a failure instead of a skip. Under pytest-xdist
(``.ci/run`` runs ``pytest -n 2``) each worker gets its own database ``<database>_<worker>`` on that server, created
on first use, so workers never truncate each other's tables.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, make_url, text
from starlette.testclient import TestClient

from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.battery.service import seed_national_battery
from federation.db import Database
from federation.migrate import migrate
from federation.models import Base
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.research.researchers import register_researcher
from federation.settings import Settings
from pseudonymize.keys import KeyRing, MasterKey
from schema.wiring import build_app

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)
ORG_A = "1000001-2"
ORG_B = "1000002-0"
SERVICE_A = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
SERVICE_B = "7c1e9f40-1d2b-4a8e-8f3a-6b5d4c3b2a19"
CHANNEL_A = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"
CHANNEL_PHONE = "b4d6f8a0-1c2e-4a4b-8d6f-8a0b2c4e6f8a"
TEST_KEY = MasterKey(1, bytes(range(32)))

_SHARED_POSTGRES_URL = os.environ.get("ARVIO_TEST_POSTGRES_URL")
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _SHARED_POSTGRES_URL and _WORKER:
    # Every module that reads the variable (the live and drill tests name their own databases after it) sees the
    # worker's database.
    _url = make_url(_SHARED_POSTGRES_URL)
    os.environ["ARVIO_TEST_POSTGRES_URL"] = _url.set(database=f"{_url.database}_{_WORKER}").render_as_string(
        hide_password=False)
_POSTGRES_URL = os.environ.get("ARVIO_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]


@dataclass
class Clock:
    """A settable clock for the app (tests move time explicitly)."""

    now: dt.datetime = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "arvio.db"
    database = Database(Settings(database_url=f"sqlite:///{path}", environment="test"))
    migrate(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    if not _POSTGRES_URL:
        if os.environ.get("ARVIO_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("ARVIO_TEST_POSTGRES_URL is not set but PostgreSQL is required (ci)")
        pytest.skip("PostgreSQL not configured: set ARVIO_TEST_POSTGRES_URL (bash .ci/run does)")
    if _SHARED_POSTGRES_URL and _WORKER:
        _create_worker_database(_SHARED_POSTGRES_URL, make_url(_POSTGRES_URL).database or "")
    database = Database(Settings(database_url=_POSTGRES_URL, environment="test"))
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    migrate(database)
    yield database
    database.dispose()


def _create_worker_database(shared_url: str, name: str) -> None:
    """Create this xdist worker's database on the shared server unless an earlier run left it there."""
    admin = create_engine(shared_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if exists is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()


def _truncate_postgres(database: Database) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.transaction() as session:
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        seed_national_battery(session, now=NOW)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A freshly migrated database holding only the national battery, on each backend."""
    if request.param == "postgresql":
        db: Database = request.getfixturevalue("postgres_database")
        _truncate_postgres(db)
        yield db
        return
    path = tmp_path / "arvio.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    db = Database(Settings(database_url=f"sqlite:///{path}", environment="test"))
    yield db
    db.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_settings(database: Database) -> Settings:
    return Settings(database_url=database.engine.url.render_as_string(hide_password=False), environment="test",
                    master_key=KeyRing((TEST_KEY,)).to_json(), rate_limit_per_minute=100_000)


@dataclass
class Api:
    """The real ASGI app behind Starlette's test client, with helpers for GraphQL calls and tokens."""

    client: TestClient
    database: Database
    clock: Clock
    tokens: dict[str, str] = field(default_factory=dict)

    def gql(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None,
            expect_status: int = 200) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens.get(token, token)}"} if token else {}
        response = self.client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        assert response.status_code == expect_status, response.text
        body: dict[str, Any] = response.json()
        return body

    def token(self, role: Role, organisation_id: str | None = None, label: str = "test") -> str:
        with self.database.transaction() as session:
            if role is Role.RESEARCHER:
                register_researcher(session, label, actor="test", now=self.clock.now)
            plaintext, _ = issue_token(session, role=role, label=label, now=self.clock.now,
                                       organisation_id=organisation_id)
        return plaintext


@pytest.fixture
def api(database: Database, app_settings: Settings, clock: Clock) -> Iterator[Api]:
    """The app on a registry of two organisations: A reports for service A (two channels), B for service B."""
    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("Esimerkkilän kaupunki", "Exempelby stad", "City of Example"),
                            now=NOW)
        upsert_organisation(session, ORG_B, Names("Demovirasto"), now=NOW)
        session.flush()
        upsert_service(session, SERVICE_A, Names("Kirjastokortti", "Bibliotekskort", "Library card"), now=NOW,
                       organisation_ids=(ORG_A,))
        upsert_service(session, SERVICE_B, Names("Rakennuslupa"), now=NOW, organisation_ids=(ORG_B,))
        session.flush()
        upsert_channel(session, CHANNEL_A, ChannelType.ECHANNEL, Names("Verkkoasiointi"), now=NOW,
                       service_ids=(SERVICE_A,))
        upsert_channel(session, CHANNEL_PHONE, ChannelType.PHONE, Names("Puhelin"), now=NOW,
                       service_ids=(SERVICE_A,))
    app = build_app(app_settings, database=database, run_migrations=False, clock=clock)
    with TestClient(app) as client:
        api = Api(client, database, clock)
        api.tokens = {"admin": api.token(Role.ADMIN), "org_a": api.token(Role.ORGANISATION, ORG_A),
                      "org_b": api.token(Role.ORGANISATION, ORG_B), "publisher": api.token(Role.PUBLISHER),
                      "researcher": api.token(Role.RESEARCHER)}
        yield api
