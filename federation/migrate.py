"""Bringing a database to the current schema with Alembic, then seeding the national battery."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from federation.battery.service import seed_national_battery
from federation.db import Database, utcnow

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database: Database) -> Config:
    """An Alembic configuration pointing at arvio's migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.engine.url.render_as_string(hide_password=False))
    return config


def migrate(database: Database) -> None:
    """Upgrade to the newest revision (idempotent) and seed reference data that is missing."""
    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with database.transaction() as session:
        seed_national_battery(session, now=utcnow())


@functools.cache
def head_revision() -> str:
    """The newest revision of arvio's migrations (federation/migrations/versions/)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "the migrations have one head"
    return head


def current_revision(database: Database) -> str | None:
    """The revision the database is at, or None before the first migration."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
