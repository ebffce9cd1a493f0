"""Shared scenario of the publication tests: a registry and rollups for 2025-Q4 with published and unpublished
cells, written straight into the rollups (the only source of scores)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from federation.db import Database
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.rollups.writing import RollupDelta, rollup_key
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B

PERIOD = "2025-Q4"
IN_PERIOD = dt.datetime(2025, 11, 5, 9, 30, tzinfo=dt.UTC)
SMOOTH = "national.transaction-smooth"
ECHANNEL_VALUES = [5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 5, 1]  # 12 answers, mean 3.75
PHONE_VALUES = [5, 4, 4, 4, 3, 5, 5, 4, 2, 4]  # 10 answers, mean 4.0
NPS_VALUES = [10, 10, 9, 9, 9, 9, 8, 7, 3, 0]  # NPS 40
EASY_VALUES = [1, 2, 3, 4, 5]  # 5 answers: never published
SERVICE_B_VALUES = [1] * 9  # 9 answers: never published


def seed_registry(session: Session) -> None:
    """The registry of ``tests.conftest``'s ``api`` fixture (two organisations, services A and B)."""
    upsert_organisation(session, ORG_A, Names("Esimerkkilän kaupunki", "Exempelby stad", "City of Example"),
                        now=NOW)
    upsert_organisation(session, ORG_B, Names("Demovirasto"), now=NOW)
    session.flush()
    upsert_service(session, SERVICE_A, Names("Kirjastokortti", "Bibliotekskort", "Library card"), now=NOW,
                   organisation_ids=(ORG_A,))
    upsert_service(session, SERVICE_B, Names("Rakennuslupa"), now=NOW, organisation_ids=(ORG_B,))
    session.flush()
    upsert_channel(session, CHANNEL_A, ChannelType.ECHANNEL, Names("Verkkoasiointi", None, "Online"), now=NOW,
                   service_ids=(SERVICE_A,))
    upsert_channel(session, CHANNEL_PHONE, ChannelType.PHONE, Names("Puhelin"), now=NOW,
                   service_ids=(SERVICE_A,))


def add_answers(session: Session, service_id: str, channel_id: str | None, question_id: str,
                values: list[int | None], at: dt.datetime = IN_PERIOD, *, remove: bool = False) -> None:
    """Add (or, with ``remove``, take back as an erasure does) answers in the rollups."""
    delta = RollupDelta()
    for index, value in enumerate(values):
        key = rollup_key(service_id, channel_id, question_id, 1, at + dt.timedelta(hours=index))
        (delta.subtract_answer if remove else delta.add_answer)(key, value)
    delta.apply(session)


def seed_ratings(database: Database, *, with_registry: bool = True) -> None:
    """Rollups of 2025-Q4 (see the constants above), plus the registry unless it is already there."""
    with database.transaction() as session:
        if with_registry:
            seed_registry(session)
            session.flush()
        add_answers(session, SERVICE_A, CHANNEL_A, SMOOTH, list(ECHANNEL_VALUES))
        add_answers(session, SERVICE_A, CHANNEL_PHONE, SMOOTH, [*PHONE_VALUES, None, None])
        add_answers(session, SERVICE_A, CHANNEL_PHONE, "national.nps", list(NPS_VALUES))
        add_answers(session, SERVICE_A, CHANNEL_A, "national.easy-to-use", list(EASY_VALUES))
        add_answers(session, SERVICE_B, None, SMOOTH, list(SERVICE_B_VALUES))
