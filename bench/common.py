"""Shared set-up for the benchmarks: a migrated SQLite database with one organisation and one service."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.db import Database, utcnow
from federation.migrate import migrate
from federation.registry.models import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.settings import Settings
from pseudonymize.keys import KeyRing, MasterKey

ORG = "1000001-2"
SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
CHANNEL = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"
KEYS = KeyRing((MasterKey(1, bytes(range(32))),)).to_json()


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
