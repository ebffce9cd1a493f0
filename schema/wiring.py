"""Assembling a running arvio from its settings: database, migrations, keys, the ASGI app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from starlette.applications import Starlette

from federation.db import Database, utcnow
from federation.migrate import migrate
from federation.privacy.keyring import open_key_ring
from federation.privacy.protector import PrivacyProtector
from federation.settings import Settings
from schema.http.app import create_app


def build_app(settings: Settings, *, database: Database | None = None, run_migrations: bool = True,
              clock: Callable[[], dt.datetime] = utcnow) -> Starlette:
    """The app for ``settings``: migrates the database (idempotent) and loads the key ring."""
    database = database or Database(settings)
    if run_migrations:
        migrate(database)
    return create_app(settings, database, PrivacyProtector(open_key_ring(settings)), clock=clock)


def asgi() -> Starlette:
    """Entry point for ASGI servers: ``uvicorn --factory schema.wiring:asgi``."""
    return build_app(Settings.from_env())
