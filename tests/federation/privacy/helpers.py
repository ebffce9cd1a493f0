"""Shared helpers of the privacy tests: people, a registry, domain-level ingest, database reset and snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select

from federation.battery.service import seed_national_battery
from federation.db import Database
from federation.models import Base
from federation.privacy.models import DemographicCell
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import BatchResult, FollowUp, RatingSubmission
from federation.ratings.ingest import submit_ratings
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from pseudonymize.keys import KeyRing
from tests.conftest import CHANNEL_A, NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B

PEOPLE = ("131052-308T", "010170-123F", "240680-456N", "150903A7895")
"""Valid HETUs (fictitious people)."""

INVALID_HETU = "131052-308A"  # wrong check character

OWNER = {SERVICE_A: ORG_A, SERVICE_B: ORG_B}

# Tables that are not aggregates: microdata (compared separately), logs and credentials.
NOT_AGGREGATES = {"rating", "audit_event", "erasure_receipt", "api_token", "score_stamp", "rate_bucket"}
"""Tables that are no aggregate of answers: the microdata, the trails, tokens, and the hosts' shared bookkeeping
(``score_stamp`` counts changes of a service's answers so caches know to refresh — an erasure is such a change;
``rate_bucket`` is the rate limiter's state)."""


def register(database: Database) -> None:
    """Organisation A reports for service A (with a channel), B for service B."""
    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("Esimerkkilä"), now=NOW)
        upsert_organisation(session, ORG_B, Names("Demovirasto"), now=NOW)
        session.flush()
        upsert_service(session, SERVICE_A, Names("Kirjastokortti"), now=NOW, organisation_ids=(ORG_A,))
        upsert_service(session, SERVICE_B, Names("Rakennuslupa"), now=NOW, organisation_ids=(ORG_B,))
        session.flush()
        upsert_channel(session, CHANNEL_A, ChannelType.ECHANNEL, Names("Verkkoasiointi"), now=NOW,
                       service_ids=(SERVICE_A,))


def reset(database: Database) -> None:
    """Empty every table and seed the battery and the registry again: a fresh database."""
    with database.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))
        seed_national_battery(session, now=NOW)
    register(database)


def demographics(person: str | None = None, **attributes: Any) -> dict[str, Any]:
    """A demographics mapping in API shape, with a legal basis."""
    raw: dict[str, Any] = {"legalBasis": "PUBLIC_TASK", **attributes}
    if person is not None:
        raw["personalIdentifier"] = person
    return raw


def answer(ref: str, value: int | None, *, at: dt.datetime, service: str = SERVICE_A,
           question: str = "national.transaction-smooth", demo: dict[str, Any] | None = None,
           channel: str | None = None, drivers: Sequence[str] = (), text: str | None = None) -> RatingSubmission:
    """One submission as the domain receives it."""
    follow = FollowUp(tuple(drivers), text) if drivers or text else None
    return RatingSubmission(ref, service, question, at, value=value, skipped=value is None, channel_id=channel,
                            follow_up=follow, demographics=demo)


def submit(database: Database, items: Sequence[RatingSubmission], ring: KeyRing, *,
           now: dt.datetime = NOW) -> list[BatchResult]:
    """Submit items per reporting organisation (one batch each), in one transaction."""
    results = []
    with database.transaction() as session:
        for org in sorted({OWNER[i.service_id] for i in items}):
            mine = [i for i in items if OWNER[i.service_id] == org]
            results.append(submit_ratings(session, org, mine, now=now, protector=PrivacyProtector(ring)))
    return results


def cube(database: Database) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """The demographic cube: key → counts c0..c10."""
    with database.transaction(write=False) as session:
        table = DemographicCell.__table__
        keys = [c for c in table.columns if c.primary_key]
        counts = [c for c in table.columns if not c.primary_key]
        return {tuple(row[: len(keys)]): tuple(row[len(keys):])
                for row in session.execute(select(*keys, *counts))}


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every aggregate table row for row, and the rating microdata without ids and receipt times."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with database.transaction(write=False) as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if table.name != "rating" or c.name not in ("id", "received_at")]
            if table.name in NOT_AGGREGATES - {"rating"}:
                continue
            rows = session.execute(select(*columns)).all()
            tables[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return tables
