"""Rollup queries of the analytics: local days, weekday-hour cells and hours of a window, per-service histograms,
before/after sums of change events, and the peer directory.

Every query is one grouped aggregate over ``rollup_hourly`` filtered by service, question, wording version and hour
range (the index ``ix_rollup_hourly_service_question_hour`` serves exactly that). Local days and cells are computed
in SQL from each hour's epoch seconds plus the window's UTC offset spans (``series.offset_spans``), the same
expression on SQLite and PostgreSQL, so rows returned are bounded by the days (or 168 cells) of the window; the
rows scanned by its hours × channels. Neither grows with the number of ratings behind them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, and_, case, cast, extract, func, select
from sqlalchemy.orm import Session

from federation.analytics.heatmap import CellCounts
from federation.analytics.series import DayCounts, HourCounts, offset_spans
from federation.battery.models import Question
from federation.errors import NotFound
from federation.ratings.models import SLOT_COLUMNS, RollupHourly
from federation.registry.models import Organisation, Service, ServiceOrganisation
from federation.scores.stats import Histogram

_COUNTERS = (*SLOT_COLUMNS, "skipped")


def _sums() -> list[object]:
    return [func.coalesce(func.sum(getattr(RollupHourly, name)), 0) for name in _COUNTERS]


def _integers(values: Sequence[Any]) -> list[int]:
    return [int(v) for v in values]


def _hour_counts(hour: dt.datetime, values: Sequence[Any]) -> HourCounts:
    counts = _integers(values)
    return HourCounts(hour, tuple(counts[:-1]), counts[-1])


def get_question(session: Session, question_id: str) -> Question:
    """The question row, or UNKNOWN_QUESTION."""
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound("UNKNOWN_QUESTION", f"questionId {question_id!r} is unknown; list questions with "
                                           "`questions` or use 'national.transaction-smooth'.")
    return question


def read_hours(session: Session, *, service_id: str, question_id: str, wording_version: int,
               start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> list[HourCounts]:
    """One row per UTC hour of [start, end) with answers or skips, summed over channels (or one channel)."""
    r = RollupHourly
    hour = r.hour
    stmt = (select(hour, *_sums())
            .where(r.service_id == service_id, r.question_id == question_id,
                   r.wording_version == wording_version, hour >= start, hour < end)
            .group_by(hour).order_by(hour))
    if channel_id is not None:
        stmt = stmt.where(r.channel_id == channel_id)
    return [_hour_counts(row[0], tuple(row[1:])) for row in session.execute(stmt)]


def _local_seconds(session: Session, start: dt.datetime, end: dt.datetime) -> ColumnElement[int]:
    """Seconds since 1970-01-01 00:00 *local time* of each rollup hour: epoch seconds plus the UTC offset of the
    span (of the window) the hour falls in."""
    hour = RollupHourly.hour
    if session.get_bind().dialect.name == "sqlite":
        epoch: ColumnElement[int] = cast(func.strftime("%s", hour), Integer)
    else:
        epoch = cast(extract("epoch", hour), BigInteger)
    spans = offset_spans(start, end)
    if len(spans) == 1:
        return epoch + spans[0][2]
    offset = case(*[(and_(hour >= low, hour < high), seconds) for low, high, seconds in spans[:-1]],
                  else_=spans[-1][2])
    return epoch + offset


def _day_of(number: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(number))


def _filters(service_ids: Collection[str], question_id: str | None, wording_version: int | None,
             start: dt.datetime, end: dt.datetime, channel_id: str | None) -> list[ColumnElement[bool]]:
    r = RollupHourly
    conditions = [r.service_id.in_(sorted(service_ids)) if len(service_ids) != 1
                  else r.service_id == next(iter(service_ids)), r.hour >= start, r.hour < end]
    if question_id is not None:
        conditions.append(r.question_id == question_id)
    if wording_version is not None:
        conditions.append(r.wording_version == wording_version)
    if channel_id is not None:
        conditions.append(r.channel_id == channel_id)
    return conditions


def read_days(session: Session, *, service_id: str, question_id: str, wording_version: int,
              start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> list[DayCounts]:
    """One row per local (Europe/Helsinki) day with answers or skips in [start, end), summed over channels."""
    day = (_local_seconds(session, start, end) // 86400).label("local_day")
    stmt = (select(day, *_sums())
            .where(*_filters([service_id], question_id, wording_version, start, end, channel_id))
            .group_by(day).order_by(day))
    result = []
    for row in session.execute(stmt):
        counts = _integers(row[1:])
        result.append(DayCounts(_day_of(row[0]), tuple(counts[:-1]), counts[-1]))
    return result


def read_cells(session: Session, *, service_id: str, question_id: str, wording_version: int,
               start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> list[CellCounts]:
    """Rollups of [start, end) grouped by local ISO weekday and local hour (at most 168 rows)."""
    local = _local_seconds(session, start, end)
    weekday = ((local // 86400 + 3) % 7 + 1).label("local_weekday")  # 1970-01-01 was a Thursday
    hour = ((local % 86400) // 3600).label("local_hour")
    stmt = (select(weekday, hour, *_sums())
            .where(*_filters([service_id], question_id, wording_version, start, end, channel_id))
            .group_by(weekday, hour))
    result = []
    for row in session.execute(stmt):
        counts = _integers(row[2:])
        result.append(CellCounts(int(row[0]), int(row[1]), tuple(counts[:-1]), counts[-1]))
    return result


def read_days_by_service(session: Session, *, service_ids: Collection[str], start: dt.datetime,
                         end: dt.datetime, question_id: str | None = None,
                         ) -> dict[tuple[str, str], list[DayCounts]]:
    """Local-day rows per (service, question) under each question's current wording, for every question (or
    one) of the services, in one query."""
    if not service_ids:
        return {}
    r = RollupHourly
    day = (_local_seconds(session, start, end) // 86400).label("local_day")
    stmt = (select(r.service_id, r.question_id, day, *_sums())
            .join(Question, (Question.id == r.question_id) & (Question.current_version == r.wording_version))
            .where(*_filters(service_ids, question_id, None, start, end, None))
            .group_by(r.service_id, r.question_id, day)
            .order_by(r.service_id, r.question_id, day))
    result: dict[tuple[str, str], list[DayCounts]] = {}
    for row in session.execute(stmt):
        counts = _integers(row[3:])
        result.setdefault((row[0], row[1]), []).append(DayCounts(_day_of(row[2]), tuple(counts[:-1]), counts[-1]))
    return result


def read_split(session: Session, *, service_id: str, question: Question, wording_version: int,
               start: dt.datetime, split: dt.datetime, end: dt.datetime) -> tuple[Histogram, Histogram]:
    """The histograms of [start, split) and [split, end) in one query (conditional sums)."""
    r = RollupHourly
    before = [func.coalesce(func.sum(case((r.hour < split, getattr(r, n)), else_=0)), 0) for n in _COUNTERS]
    after = [func.coalesce(func.sum(case((r.hour >= split, getattr(r, n)), else_=0)), 0) for n in _COUNTERS]
    stmt = select(*before, *after).where(*_filters([service_id], question.id, wording_version, start, end, None))
    counts = _integers(session.execute(stmt).one())
    half = len(_COUNTERS)
    return (Histogram.from_slots(question.scale, counts[:half - 1], counts[half - 1]),
            Histogram.from_slots(question.scale, counts[half:-1], counts[-1]))


def read_service_histograms(session: Session, *, question: Question, wording_version: int,
                            start: dt.datetime, end: dt.datetime) -> dict[str, Histogram]:
    """Every service's histogram of the question over [start, end), in one query grouped by service."""
    r = RollupHourly
    stmt = (select(r.service_id, *_sums())
            .where(r.question_id == question.id, r.wording_version == wording_version,
                   r.hour >= start, r.hour < end)
            .group_by(r.service_id))
    result: dict[str, Histogram] = {}
    for row in session.execute(stmt):
        counts = _integers(row[1:])
        result[row[0]] = Histogram.from_slots(question.scale, counts[:-1], counts[-1])
    return result


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
