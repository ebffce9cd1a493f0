"""What the analytics read: local days, weekday-hour cells and hours of a window, per-service histograms,
before/after sums of change events (all from the rollups, through ``read_histograms`` of
federation/rollups/reading.py), and the questions and peer directory.

Every rollup read is one grouped aggregate query filtered by service, question, wording version and hour range;
local days and cells are grouped in SQL (see federation/rollups/reading.py), so rows returned are bounded by the
days (or 168 cells) of the window, the rows scanned by its hours × channels. Neither grows with the number of
ratings behind them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.analytics.heatmap import CellCounts
from federation.analytics.series import DayCounts, HourCounts
from federation.battery.models import Question
from federation.errors import BatteryCode, NotFound
from federation.registry.models import Organisation, Service, ServiceOrganisation
from federation.rollups.reading import CURRENT_WORDING, Grouping, read_histograms
from federation.scores.stats import Histogram


def get_question(session: Session, question_id: str) -> Question:
    """The question row, or UNKNOWN_QUESTION."""
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(BatteryCode.UNKNOWN_QUESTION, f"questionId {question_id!r} is unknown; list questions with "
                                                     "`questions` or use 'national.transaction-smooth'.")
    return question


def read_hours(session: Session, *, service_id: str, question_id: str, wording_version: int,
               start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> list[HourCounts]:
    """One row per UTC hour of [start, end) with answers or skips, summed over channels (or one channel)."""
    rows = read_histograms(session, services=[service_id], questions=[question_id], start=start, end=end,
                           by=Grouping.HOUR, channel=channel_id, wording_version=wording_version)
    return [HourCounts(row.key[0], row.slots, row.skipped) for row in rows]


def read_days(session: Session, *, service_id: str, question_id: str, wording_version: int,
              start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> list[DayCounts]:
    """One row per local (Europe/Helsinki) day with answers or skips in [start, end), summed over channels."""
    rows = read_histograms(session, services=[service_id], questions=[question_id], start=start, end=end,
                           by=Grouping.DAY, channel=channel_id, wording_version=wording_version)
    return [DayCounts(row.key[0], row.slots, row.skipped) for row in rows]


def read_cells(session: Session, *, service_id: str, question_id: str, wording_version: int,
               start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> list[CellCounts]:
    """Rollups of [start, end) grouped by local ISO weekday and local hour (at most 168 rows)."""
    rows = read_histograms(session, services=[service_id], questions=[question_id], start=start, end=end,
                           by=Grouping.WEEKDAY_HOUR, channel=channel_id, wording_version=wording_version)
    return [CellCounts(row.key[0], row.key[1], row.slots, row.skipped) for row in rows]


def read_days_by_service(session: Session, *, service_ids: Collection[str], start: dt.datetime,
                         end: dt.datetime, question_id: str | None = None,
                         ) -> dict[tuple[str, str], list[DayCounts]]:
    """Local-day rows per (service, question) under each question's current wording, for every question (or
    one) of the services, in one query."""
    if not service_ids:
        return {}
    rows = read_histograms(session, services=service_ids, questions=None if question_id is None else [question_id],
                           start=start, end=end, by=Grouping.SERVICE | Grouping.QUESTION | Grouping.DAY,
                           wording_version=CURRENT_WORDING)
    result: dict[tuple[str, str], list[DayCounts]] = {}
    for row in rows:
        service_id, question, day = row.key
        result.setdefault((service_id, question), []).append(DayCounts(day, row.slots, row.skipped))
    return result


def read_split(session: Session, *, service_id: str, question: Question, wording_version: int,
               start: dt.datetime, split: dt.datetime, end: dt.datetime) -> tuple[Histogram, Histogram]:
    """The histograms of [start, split) and [split, end) in one query (grouped by which side an hour is on)."""
    rows = read_histograms(session, services=[service_id], questions=[question.id], start=start, end=end,
                           by=Grouping.SPLIT, split=split, wording_version=wording_version)
    sides = {row.key[0]: row.histogram(question.scale) for row in rows}
    empty = Histogram.empty(question.scale)
    return sides.get(False, empty), sides.get(True, empty)


def read_service_histograms(session: Session, *, question: Question, wording_version: int,
                            start: dt.datetime, end: dt.datetime) -> dict[str, Histogram]:
    """Every service's histogram of the question over [start, end), in one query grouped by service."""
    rows = read_histograms(session, services=None, questions=[question.id], start=start, end=end,
                           by=Grouping.SERVICE, wording_version=wording_version)
    return {row.key[0]: row.histogram(question.scale) for row in rows}


@dataclass(frozen=True)
class ServiceProfile:
    """What a comparison needs to know about a service: names, class, and its first organisation and type."""

    service_id: str
    names: tuple[str, str | None, str | None]
    service_class: str | None
    organisation_id: str | None
    organisation_type: str | None


def service_profiles(session: Session) -> dict[str, ServiceProfile]:
    """Every service with its first registered organisation (by business ID) and that organisation's type."""
    stmt = (select(Service, ServiceOrganisation.organisation_id, Organisation.organisation_type)
            .outerjoin(ServiceOrganisation, ServiceOrganisation.service_id == Service.id)
            .outerjoin(Organisation, Organisation.business_id == ServiceOrganisation.organisation_id)
            .order_by(Service.id, ServiceOrganisation.organisation_id))
    profiles: dict[str, ServiceProfile] = {}
    for service, organisation_id, organisation_type in session.execute(stmt):
        if service.id not in profiles:
            profiles[service.id] = ServiceProfile(service.id, (service.name_fi, service.name_sv, service.name_en),
                                                  service.service_class, organisation_id, organisation_type)
    return profiles


def organisation_services(session: Session, organisation_id: str) -> list[str]:
    """Ids of the services an organisation is registered for."""
    stmt = (select(ServiceOrganisation.service_id).where(ServiceOrganisation.organisation_id == organisation_id)
            .order_by(ServiceOrganisation.service_id))
    return list(session.scalars(stmt))
