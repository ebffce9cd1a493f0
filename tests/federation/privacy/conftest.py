"""A second, independent database on the same backend: the "world where the erased answers never arrived"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from federation.db import Database
from federation.migrate import migrate
from federation.settings import Settings

_REFERENCE_SUFFIX = "_privacy_ref"


@pytest.fixture(scope="session")
def postgres_reference(postgres_database: Database) -> Iterator[Database]:
    """A migrated PostgreSQL database next to the test database (created once per session)."""
    url = postgres_database.engine.url
    name = f"{url.database}{_REFERENCE_SUFFIX}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    reference_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    database = Database(Settings(database_url=reference_url, environment="test"))
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    migrate(database)
    yield database
    database.dispose()


@pytest.fixture
def reference_database(database: Database, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A second migrated database on the same backend as ``database``."""
    if database.dialect == "postgresql":
        reference: Database = request.getfixturevalue("postgres_reference")
        yield reference
        return
    path = tmp_path / "reference.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    reference = Database(Settings(database_url=f"sqlite:///{path}", environment="test"))
    yield reference
    reference.dispose()
