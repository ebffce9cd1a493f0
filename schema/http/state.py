"""What one process serves with, shared by every route: settings, database, schema, services and limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from federation.db import Database
from federation.settings import Settings
from schema.graphql.api import ArvioSchema
from schema.graphql.context import Services
from schema.graphql.persisted import PersistedQueries
from schema.http import requests
from schema.http.exposure_commits import ExposureCommits
from schema.http.limits import CallerKeys, RateLimiter


@dataclass
class App:
    """Everything one process serves with: settings, database, schema and the shared services."""

    settings: Settings
    database: Database
    schema: ArvioSchema
    services: Services
    limiter: RateLimiter
    clock: Callable[[], dt.datetime]
    callers: CallerKeys = field(default_factory=CallerKeys)
    persisted: PersistedQueries = field(
        default_factory=lambda: PersistedQueries(max_chars=requests.MAX_QUERY_CHARS))
    exposure_commits: ExposureCommits | None = None
    """Set when ``ARVIO_EXPOSURE_COMMIT=durable``: draws wait for their exposure counts to be committed."""
