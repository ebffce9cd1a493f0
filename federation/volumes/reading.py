"""Reading reported volumes and the matching rating counts for KPIs: a few grouped queries per request.

Volumes are read as day rows (channels × days, never per rating) and folded with ``VolumeTotals.of_day``, the
same function the property tests use, so SQL and maths cannot drift apart. Rating counts come from
``rollup_hourly`` like every score: window totals and hourly sums (per-day counts, for time series only) through
``read_histograms`` (federation/rollups/reading.py), and coverage's numerator by joining the rollups to the reported
days' UTC bounds, summing each row's answers (``answered``, federation/rollups/slots.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from federation.registry.models import Channel
from federation.rollups.models import RollupHourly
from federation.rollups.reading import Grouping, read_histograms
from federation.rollups.slots import answered
from federation.volumes.contract import DIGITAL_CHANNELS
from federation.volumes.days import DayRange, day_bounds, local_date
from federation.volumes.hourly import HourlyContacts
from federation.volumes.kpis import RatingTotals, VolumeTotals
from federation.volumes.models import ServiceVolumeDaily, figures_of


@dataclass(frozen=True)
class ServiceVolumes:
    """One service's volumes (optionally one channel's) over a day range, per day, with its rating counts."""

    service_id: str
    days: DayRange
    channel_id: str | None
    daily: dict[dt.date, VolumeTotals] = field(default_factory=dict)
    covered: dict[dt.date, int] = field(default_factory=dict)
    ratings: RatingTotals = field(default_factory=RatingTotals)
    hourly: HourlyContacts = field(default_factory=HourlyContacts)

    @property
    def totals(self) -> VolumeTotals:
        """The whole range's volume totals."""
        return VolumeTotals.total(self.daily.values())


def window_bounds(days: DayRange) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants the day range covers, [start of the first day, end of the last day)."""
    return day_bounds(days.first)[0], day_bounds(days.last)[1]


def read_service_volumes(session: Session, service_ids: Collection[str], days: DayRange,
                         channel_id: str | None = None) -> dict[str, ServiceVolumes]:
    """Volumes and rating counts of each service in ``service_ids`` (three queries whatever their number)."""
    if not service_ids or days.days == 0:
        return {sid: ServiceVolumes(sid, days, channel_id) for sid in service_ids}
    daily, hourly = _read_daily(session, service_ids, days, channel_id)
    covered = _read_covered(session, service_ids, days, channel_id)
    answered = _read_rating_totals(session, service_ids, days, channel_id)
    result = {}
    for sid in service_ids:
        cover = covered.get(sid, {})
        answered_n, skipped_n = answered.get(sid, (0, 0))
        result[sid] = ServiceVolumes(sid, days, channel_id, daily.get(sid, {}), cover,
                                     RatingTotals(answered_n, skipped_n, sum(cover.values())),
                                     hourly.get(sid, HourlyContacts()))
    return result


def _read_daily(session: Session, service_ids: Collection[str], days: DayRange,
                channel_id: str | None) -> tuple[dict[str, dict[dt.date, VolumeTotals]], dict[str, HourlyContacts]]:
    """Per service, the day totals and the hourly contacts of the day rows."""
    v = ServiceVolumeDaily
    stmt = (select(v, Channel.channel_type).join(Channel, Channel.id == v.channel_id)
            .where(v.service_id.in_(service_ids), v.day >= days.first, v.day <= days.last)
            .order_by(v.service_id, v.day, v.channel_id))
    if channel_id is not None:
        stmt = stmt.where(v.channel_id == channel_id)
    daily: dict[str, dict[dt.date, VolumeTotals]] = defaultdict(dict)
    hourly: dict[str, HourlyContacts] = defaultdict(HourlyContacts)
    for row, channel_type in session.execute(stmt):
        figures = figures_of(row)
        part = VolumeTotals.of_day(figures, digital=channel_type in DIGITAL_CHANNELS, day=row.day)
        per_day = daily[row.service_id]
        per_day[row.day] = per_day[row.day] + part if row.day in per_day else part
        if figures.hourly_contacts is not None:
            hourly[row.service_id].add_day(row.day, figures.hourly_contacts, figures.hourly_first_contact_resolved)
    return daily, hourly


def _read_covered(session: Session, service_ids: Collection[str], days: DayRange,
                  channel_id: str | None) -> dict[str, dict[dt.date, int]]:
    """Answers given on the channel-days whose completed transactions were reported, per service and day."""
    r: Table = RollupHourly.__table__  # type: ignore[assignment]
    v = ServiceVolumeDaily
    stmt = (
        select(v.service_id, v.day, func.sum(answered(r)))
        .join(r, (r.c.service_id == v.service_id) & (r.c.channel_id == v.channel_id)
              & (r.c.hour >= v.starts_at) & (r.c.hour < v.ends_at))
        .where(v.service_id.in_(service_ids), v.day >= days.first, v.day <= days.last,
               v.transactions_completed.is_not(None))
        .group_by(v.service_id, v.day))
    if channel_id is not None:
        stmt = stmt.where(v.channel_id == channel_id)
    covered: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for sid, day, count in session.execute(stmt):
        covered[sid][day] = int(count or 0)
    return covered


def _read_rating_totals(session: Session, service_ids: Collection[str], days: DayRange,
                        channel_id: str | None) -> dict[str, tuple[int, int]]:
    start, end = window_bounds(days)
    rows = read_histograms(session, services=service_ids, questions=None, start=start, end=end,
                           by=Grouping.SERVICE, channel=channel_id)
    return {row.key[0]: (row.answered, row.skipped) for row in rows}


def read_daily_ratings(session: Session, service_id: str, days: DayRange,
                       channel_id: str | None = None) -> dict[dt.date, tuple[int, int]]:
    """(answered, skipped) per reporting day, from hourly sums (for time series; one row per hour at most)."""
    if days.days == 0:
        return {}
    start, end = window_bounds(days)
    rows = read_histograms(session, services=[service_id], questions=None, start=start, end=end,
                           by=Grouping.HOUR, channel=channel_id)
    per_day: dict[dt.date, tuple[int, int]] = {}
    for row in rows:
        day = local_date(row.key[0])
        a, s = per_day.get(day, (0, 0))
        per_day[day] = (a + row.answered, s + row.skipped)
    return per_day
