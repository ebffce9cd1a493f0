"""Published service KPIs for publications and exports: live over a window, or frozen with a publication.

The KPIs of a service are the ones ``federation.volumes.publishing.published_service_kpis`` lets through (every
figure whose base count is below the publication threshold is None). A service is included when it reported
volumes in the window and at least one of its figures is publishable, so a tiny service's volumes are never
published and a service that reports nothing gets no KPI entry (its scores already carry response rates).

Freezing stores exactly those publishable figures in ``publication_kpi`` (shares as numerator and denominator,
so values and intervals are recomputed exactly as live ones): a numbered publication's KPIs never change after a
volume correction, while live figures follow it. Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from federation.publication.models import PublicationKpi
from federation.volumes.days import DayRange
from federation.volumes.kpis import KpiStats, QueueStats, ShareStat, WaitQuantile, share
from federation.volumes.models import ServiceVolumeDaily
from federation.volumes.publishing import published_service_kpis

COUNT_FIELDS = ("transactions", "digital_transactions", "transactions_started", "contacts_received",
                "contacts_answered_directly", "callbacks", "contacts_abandoned", "ratings_answered",
                "ratings_skipped", "ratings_covered", "first_contact_resolved")
"""Counts of :class:`KpiStats` stored as they are."""
SHARE_FIELDS = ("digital_take_up", "completion_rate", "answered_directly_share", "callback_share",
                "abandonment_rate", "coverage", "response_rate", "first_contact_resolution")
"""Shares of :class:`KpiStats`, stored as ``<name>_numerator`` and ``<name>_denominator``."""
QUANTILE_FIELDS = ("median_wait", "p90_wait")
"""Waiting-time quantiles, stored as ``<name>_minutes`` and ``<name>_open_ended``."""
WAIT_COLUMNS = ("wait_under_1", "wait_1_to_5", "wait_5_to_15", "wait_over_15")
_NOT_FIGURES = frozenset({"channel_days", "published"})


@dataclass(frozen=True)
class ServiceKpis:
    """One service's published KPIs over the reporting days ``days``."""

    service_id: str
    days: DayRange
    stats: KpiStats


def has_published_figure(stats: KpiStats) -> bool:
    """Whether any figure (count, share, quantile, cost) may be shown; ``channel_days`` and ``published`` are
    not figures of their own."""
    return any(getattr(stats, f.name) is not None for f in fields(stats) if f.name not in _NOT_FIGURES)


def reporting_services(session: Session, days: DayRange,
                       service_ids: Collection[str] | None = None) -> set[str]:
    """Services with at least one volume report on ``days`` (one query)."""
    if days.days == 0 or (service_ids is not None and not service_ids):
        return set()
    v = ServiceVolumeDaily
    stmt = select(v.service_id).where(v.day >= days.first, v.day <= days.last).distinct()
    if service_ids is not None:
        stmt = stmt.where(v.service_id.in_(sorted(service_ids)))
    return set(session.scalars(stmt))


def live_service_kpis(session: Session, *, start: dt.datetime, end: dt.datetime, publication_threshold: int,
                      service_ids: Collection[str] | None = None) -> dict[str, ServiceKpis]:
    """The published KPIs of the reporting days of [start, end), of ``service_ids`` (None: every service that
    reported), keyed by service id; services with nothing publishable are left out. A few queries in all."""
    days = DayRange.of_window(start, end)
    candidates = reporting_services(session, days, service_ids)
    if not candidates:
        return {}
    stats = published_service_kpis(session, sorted(candidates), start=start, end=end,
                                   publication_threshold=publication_threshold)
    return {sid: ServiceKpis(sid, days, s) for sid, s in sorted(stats.items())
            if s.channel_days > 0 and has_published_figure(s)}


def freeze_kpis(session: Session, publication_number: int, kpis: Collection[ServiceKpis]) -> int:
    """Store ``kpis`` (already publishable) as publication ``publication_number``'s; returns the rows written."""
    rows = [_row(publication_number, k) for k in sorted(kpis, key=lambda k: k.service_id)]
    if rows:
        table: Table = PublicationKpi.__table__  # type: ignore[assignment]
        session.execute(insert(table), rows)
    return len(rows)


def discard_kpis(session: Session, publication_number: int) -> None:
    """Delete the KPIs of a draft being discarded."""
    session.execute(delete(PublicationKpi).where(PublicationKpi.publication_number == publication_number))


def publication_kpis(session: Session, publication_number: int,
                     service_ids: Collection[str] | None = None) -> dict[str, ServiceKpis]:
    """The frozen KPIs of publication ``publication_number`` (of ``service_ids``, or all), in one query."""
    if service_ids is not None and not service_ids:
        return {}
    k = PublicationKpi
    stmt = select(k).where(k.publication_number == publication_number).order_by(k.service_id)
    if service_ids is not None:
        stmt = stmt.where(k.service_id.in_(sorted(service_ids)))
    return {row.service_id: _kpis_of(row) for row in session.scalars(stmt)}


def _row(publication_number: int, kpis: ServiceKpis) -> dict[str, Any]:
    s = kpis.stats
    row: dict[str, Any] = {"publication_number": publication_number, "service_id": kpis.service_id,
                           "first_day": kpis.days.first, "last_day": kpis.days.last, "published": s.published,
                           "channel_days": s.channel_days, "cost_per_transaction": s.cost_per_transaction}
    row.update({name: getattr(s, name) for name in COUNT_FIELDS})
    row.update(zip(WAIT_COLUMNS, s.waits or (None, None, None, None), strict=True))
    for name in SHARE_FIELDS:
        stat: ShareStat | None = getattr(s, name)
        row[f"{name}_numerator"] = None if stat is None else stat.numerator
        row[f"{name}_denominator"] = None if stat is None else stat.denominator
    for name in QUANTILE_FIELDS:
        quantile: WaitQuantile | None = getattr(s, name)
        row[f"{name}_minutes"] = None if quantile is None else quantile.minutes
        row[f"{name}_open_ended"] = None if quantile is None else quantile.open_ended
    row["queue"] = queue_json(s.queue)
    return row


def queue_json(queue: QueueStats | None) -> dict[str, Any] | None:
    """The queue's figures as stored with a publication (the oldest share as its counts, so its interval is
    recomputed exactly as a live one)."""
    if queue is None:
        return None
    oldest = queue.oldest_share
    return {"received": queue.requests_received, "resolved": queue.requests_resolved,
            "backlogDay": None if queue.backlog_day is None else queue.backlog_day.isoformat(),
            "backlog": queue.backlog, "backlogAges": None if queue.backlog_ages is None else list(queue.backlog_ages),
            "medianBacklogAge": None if queue.median_backlog_age is None else list(queue.median_backlog_age),
            "oldest": None if oldest is None else [oldest.numerator, oldest.denominator],
            "estimatedResolutionDays": queue.estimated_resolution_days}


def queue_of(stored: dict[str, Any] | None) -> QueueStats | None:
    """The queue stored by :func:`queue_json`."""
    if stored is None:
        return None
    ages, median, oldest = stored["backlogAges"], stored["medianBacklogAge"], stored["oldest"]
    return QueueStats(
        requests_received=int(stored["received"]), requests_resolved=int(stored["resolved"]),
        backlog_day=None if stored["backlogDay"] is None else dt.date.fromisoformat(stored["backlogDay"]),
        backlog=stored["backlog"], backlog_ages=None if ages is None else (ages[0], ages[1], ages[2], ages[3], ages[4]),
        median_backlog_age=None if median is None else (float(median[0]), bool(median[1])),
        oldest_share=None if oldest is None else share(int(oldest[0]), int(oldest[1])),
        estimated_resolution_days=stored["estimatedResolutionDays"])


def _kpis_of(row: PublicationKpi) -> ServiceKpis:
    buckets = [getattr(row, c) for c in WAIT_COLUMNS]
    waits = None if any(b is None for b in buckets) else (int(buckets[0]), int(buckets[1]), int(buckets[2]),
                                                          int(buckets[3]))
    values: dict[str, Any] = {name: _int(getattr(row, name)) for name in COUNT_FIELDS}
    for name in SHARE_FIELDS:
        numerator, denominator = getattr(row, f"{name}_numerator"), getattr(row, f"{name}_denominator")
        values[name] = None if numerator is None or denominator is None else share(int(numerator),
                                                                                 int(denominator))
    for name in QUANTILE_FIELDS:
        minutes = getattr(row, f"{name}_minutes")
        values[name] = None if minutes is None else WaitQuantile(float(minutes),
                                                                 bool(getattr(row, f"{name}_open_ended")))
    stats = KpiStats(channel_days=row.channel_days, published=row.published, waits=waits,
                     cost_per_transaction=row.cost_per_transaction, queue=queue_of(row.queue), **values)
    return ServiceKpis(row.service_id, DayRange(row.first_day, row.last_day), stats)


def _int(value: int | None) -> int | None:
    return None if value is None else int(value)
