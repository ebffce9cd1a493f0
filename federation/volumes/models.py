"""The table of reported volumes: one row per (service, reporting day, channel), replaced by corrections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, UTCDateTime
from federation.volumes.contract import BacklogAges, DayFigures, WaitBuckets


class ServiceVolumeDaily(Base):
    """A channel's figures of one reporting day (a day in Finland; see ``federation.volumes.days``).

    Null means "not reported". The service id leads the key, then the day, so a service's window is one index
    range and the table can be partitioned by time and sharded by service like the rollups. ``starts_at`` and
    ``ends_at`` are the day's UTC bounds, kept so ratings (rolled up per UTC hour) can be matched to the day.
    """

    __tablename__ = "service_volume_daily"

    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    organisation_id: Mapped[str] = mapped_column(String(9))
    transactions_completed: Mapped[int | None] = mapped_column(Integer)
    transactions_started: Mapped[int | None] = mapped_column(Integer)
    contacts_received: Mapped[int | None] = mapped_column(Integer)
    contacts_answered_directly: Mapped[int | None] = mapped_column(Integer)
    callbacks: Mapped[int | None] = mapped_column(Integer)
    contacts_abandoned: Mapped[int | None] = mapped_column(Integer)
    wait_under_1: Mapped[int | None] = mapped_column(Integer)
    wait_1_to_5: Mapped[int | None] = mapped_column(Integer)
    wait_5_to_15: Mapped[int | None] = mapped_column(Integer)
    wait_over_15: Mapped[int | None] = mapped_column(Integer)
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    hourly_contacts: Mapped[list[int] | None] = mapped_column(JSON)
    first_contact_resolved: Mapped[int | None] = mapped_column(Integer)
    hourly_first_contact_resolved: Mapped[list[int] | None] = mapped_column(JSON)
    requests_received: Mapped[int | None] = mapped_column(Integer)
    requests_resolved: Mapped[int | None] = mapped_column(Integer)
    requests_backlog: Mapped[int | None] = mapped_column(Integer)
    backlog_under_1d: Mapped[int | None] = mapped_column(Integer)
    backlog_1_to_3d: Mapped[int | None] = mapped_column(Integer)
    backlog_3_to_7d: Mapped[int | None] = mapped_column(Integer)
    backlog_7_to_14d: Mapped[int | None] = mapped_column(Integer)
    backlog_over_14d: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(Integer, default=1)


AGE_COLUMNS = ("backlog_under_1d", "backlog_1_to_3d", "backlog_3_to_7d", "backlog_7_to_14d", "backlog_over_14d")
"""The backlog age bucket columns, youngest first."""

FIGURE_COLUMNS = (
    "transactions_completed", "transactions_started", "contacts_received", "contacts_answered_directly",
    "callbacks", "contacts_abandoned", "wait_under_1", "wait_1_to_5", "wait_5_to_15", "wait_over_15", "cost_cents",
    "hourly_contacts", "first_contact_resolved", "hourly_first_contact_resolved",
    "requests_received", "requests_resolved", "requests_backlog", *AGE_COLUMNS,
)
"""The columns a report sets (and a correction replaces), in the order of :func:`figures_row`."""


def figures_row(figures: DayFigures) -> dict[str, int | list[int] | None]:
    """The figure columns of a report (every column, None where not reported)."""
    waits = figures.waits.as_tuple() if figures.waits else (None, None, None, None)
    ages = figures.backlog_ages.as_tuple() if figures.backlog_ages else (None,) * len(AGE_COLUMNS)
    return dict(zip(FIGURE_COLUMNS, (
        figures.transactions_completed, figures.transactions_started, figures.contacts_received,
        figures.contacts_answered_directly, figures.callbacks, figures.contacts_abandoned, *waits,
        figures.cost_cents, _listed(figures.hourly_contacts), figures.first_contact_resolved,
        _listed(figures.hourly_first_contact_resolved), figures.requests_received, figures.requests_resolved,
        figures.requests_backlog, *ages), strict=True))


def _listed(counts: tuple[int, ...] | None) -> list[int] | None:
    return None if counts is None else list(counts)


def _tupled(counts: list[int] | None) -> tuple[int, ...] | None:
    return None if counts is None else tuple(int(n) for n in counts)


def figures_of(row: ServiceVolumeDaily) -> DayFigures:
    """The figures a stored row holds."""
    buckets = (row.wait_under_1, row.wait_1_to_5, row.wait_5_to_15, row.wait_over_15)
    waits = None if any(b is None for b in buckets) else WaitBuckets(*(int(b or 0) for b in buckets))
    aged = [getattr(row, column) for column in AGE_COLUMNS]
    ages = None if any(a is None for a in aged) else BacklogAges(*(int(a or 0) for a in aged))
    return DayFigures(row.transactions_completed, row.transactions_started, row.contacts_received,
                      row.contacts_answered_directly, row.callbacks, row.contacts_abandoned, waits, row.cost_cents,
                      _tupled(row.hourly_contacts), row.first_contact_resolved,
                      _tupled(row.hourly_first_contact_resolved), row.requests_received, row.requests_resolved,
                      row.requests_backlog, ages)
