"""Rollup queries of the analytics: hour rows of a window, per-service histograms, and the peer directory.

Every query is one grouped aggregate over ``rollup_hourly`` filtered by question, wording version and hour range
(and the service id, which leads the key). Rows returned are bounded by hours × services in the window, so the
cost does not grow with the number of ratings behind those rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from federation.analytics.series import HourCounts
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


def read_hours_by_service(session: Session, *, service_ids: Collection[str], start: dt.datetime,
                          end: dt.datetime, question_id: str | None = None,
                          ) -> dict[tuple[str, str], list[HourCounts]]:
    """Hour rows per (service, question) of the current wording, for every question (or one) of the services."""
    if not service_ids:
        return {}
    r = RollupHourly
    stmt = (select(r.service_id, r.question_id, r.hour, *_sums())
            .join(Question, (Question.id == r.question_id) & (Question.current_version == r.wording_version))
            .where(r.service_id.in_(sorted(service_ids)), r.hour >= start, r.hour < end)
            .group_by(r.service_id, r.question_id, r.hour)
            .order_by(r.service_id, r.question_id, r.hour))
    if question_id is not None:
        stmt = stmt.where(r.question_id == question_id)
    result: dict[tuple[str, str], list[HourCounts]] = {}
    for row in session.execute(stmt):
        result.setdefault((row[0], row[1]), []).append(_hour_counts(row[2], tuple(row[3:])))
    return result


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
