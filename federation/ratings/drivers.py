"""Follow-up driver rollups: "what went well / what didn't" per service, counted in the ingest transaction.

An accepted answer with a follow-up adds 1 to (its rollup key, its band, driver) for every driver it chose;
the band (``battery.followups.band_of``) is the polarity: POSITIVE drivers went well, NEGATIVE ones did not.
Reads sum the hours of a window, like scores, and never scan ratings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from federation.battery.followups import DRIVERS, Band, band_of
from federation.battery.scales import Scale
from federation.ratings.models import RollupDriverHourly
from federation.ratings.rollups import RollupKey
from federation.upsert import copy_add, dialect_insert

DriverKey = tuple[str, str, str, int, dt.datetime, str, str]
"""A rollup key plus polarity and driver code."""


def split_drivers(stored: str | None) -> tuple[str, ...]:
    """The driver codes of a rating row (stored comma-joined, sorted)."""
    return tuple(d for d in (stored or "").split(",") if d)


class DriverDelta:
    """Driver counts to add to the rollups, gathered in memory: one upsert per touched row."""

    def __init__(self) -> None:
        self._counts: dict[DriverKey, int] = {}

    def add(self, key: RollupKey, scale: Scale, value: int | None, drivers: Iterable[str],
            sign: int = 1) -> None:
        """Count each driver of an answer with ``value`` (skips and answers without drivers count nothing)."""
        if value is None:
            return
        polarity = band_of(scale, value).value
        for driver in set(drivers):
            full = (*key, polarity, driver)
            self._counts[full] = self._counts.get(full, 0) + sign

    def __bool__(self) -> bool:
        return bool(self._counts)

    def apply(self, session: Session) -> None:
        """Upsert every touched row in key order (one lock order for concurrent writers)."""
        if not self._counts:
            return
        table: Table = RollupDriverHourly.__table__  # type: ignore[assignment]
        names = ("service_id", "channel_id", "question_id", "wording_version", "hour", "polarity", "driver")
        rows = [{**dict(zip(names, key, strict=True)), "count": n} for key, n in sorted(self._counts.items())]
        if session.get_bind().dialect.name == "postgresql":
            copy_add(session, table, rows, names, ("count",))
            self._counts.clear()
            return
        stmt = dialect_insert(session, table)
        stmt = stmt.on_conflict_do_update(index_elements=list(names),
                                          set_={"count": table.c.count + stmt.excluded.count})
        session.execute(stmt, rows)
        self._counts.clear()


@dataclass(frozen=True)
class DriverCounts:
    """How often each driver was chosen, per polarity, in a window: ``counts[band][driver]``."""

    counts: dict[Band, dict[str, int]]

    def of(self, band: Band) -> list[tuple[str, int]]:
        """(driver, count) of one band, most chosen first, then in :data:`DRIVERS` order; zeros left out."""
        row = self.counts.get(band, {})
        return sorted(((d, n) for d, n in row.items() if n > 0), key=lambda p: (-p[1], DRIVERS.index(p[0])
                                                                                if p[0] in DRIVERS else 99))


def read_driver_counts(session: Session, *, service_id: str, question_id: str, wording_version: int,
                       start: dt.datetime, end: dt.datetime, channel_id: str | None = None) -> DriverCounts:
    """Driver counts of a service's question over [start, end), summed from the driver rollups."""
    r = RollupDriverHourly
    stmt = (select(r.polarity, r.driver, func.sum(r.count))
            .where(r.service_id == service_id, r.question_id == question_id,
                   r.wording_version == wording_version, r.hour >= start, r.hour < end)
            .group_by(r.polarity, r.driver))
    if channel_id is not None:
        stmt = stmt.where(r.channel_id == channel_id)
    counts: dict[Band, dict[str, int]] = {}
    for polarity, driver, total in session.execute(stmt):
        counts.setdefault(Band(polarity), {})[driver] = int(total)
    return DriverCounts(counts)
