"""``/healthz`` (liveness) and ``/readyz`` (database, migrations, keys) of schema/http/health.py, each failing
condition on its own."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from starlette.testclient import TestClient

from federation.db import Database
from federation.migrate import head_revision
from federation.privacy.protector import PrivacyProtector
from federation.ratings.ingest import Protector
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.http.app import create_app
from tests.conftest import TEST_KEY, Api
from tests.live import free_port


def test_healthz_and_readyz_when_ready(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["migration"] == head_revision()


def _client(database: Database, protector: Protector) -> TestClient:
    settings = Settings(database_url=database.engine.url.render_as_string(hide_password=False), environment="test")
    return TestClient(create_app(settings, database, protector))


def test_readyz_503_when_the_database_is_unreachable() -> None:
    url = f"postgresql+psycopg://arvio:x@127.0.0.1:{free_port()}/arvio?connect_timeout=5"  # nobody listens there
    database = Database(Settings(database_url=url, environment="test"))
    try:
        client = _client(database, PrivacyProtector(KeyRing((TEST_KEY,))))
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "database unreachable"}
        assert client.get("/healthz").status_code == 200  # liveness does not depend on the database
    finally:
        database.dispose()


def test_readyz_503_when_migrations_are_behind(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.write_bytes(sqlite_template.read_bytes())
    database = Database(Settings(database_url=f"sqlite:///{path}", environment="test"))
    try:
        with database.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0012_rollup_read_index_covering'"))
        response = _client(database, PrivacyProtector(KeyRing((TEST_KEY,)))).get("/readyz")
        assert response.status_code == 503
        assert response.json()["reason"] == (f"database schema at 0012_rollup_read_index_covering, not "
                                             f"{head_revision()}; run arvio migrate")
    finally:
        database.dispose()


class _NoKeys:
    """A protector without a key ring (what a process would have had the ring failed to load)."""

    def protect(self, item: object, organisation_id: str) -> dict[str, object]:
        raise AssertionError("not used")

    def after_insert(self, session: object, stored: object) -> None:
        raise AssertionError("not used")


def test_readyz_503_when_no_keys_are_loaded(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "nokeys.db"
    path.write_bytes(sqlite_template.read_bytes())
    database = Database(Settings(database_url=f"sqlite:///{path}", environment="test"))
    try:
        response = _client(database, _NoKeys()).get("/readyz")  # type: ignore[arg-type]
        assert response.status_code == 503
        assert response.json()["reason"].startswith("master key ring not loaded")
    finally:
        database.dispose()
