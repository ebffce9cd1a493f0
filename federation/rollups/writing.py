"""Writing the rollups: accepted answers, skips, draws and follow-up drivers added to the hourly rows, in the
caller's transaction (ingest, citizen follow-ups, the exposure flush, erasure). Never commits.

Counts are gathered in memory (:class:`RollupDelta`, :class:`DriverDelta`) so a batch costs one upsert per touched
row, and rows are written in key order so concurrent writers lock them in the same order. Counters are added, never
replaced: on SQLite one compiled ``INSERT … ON CONFLICT DO UPDATE`` run by ``execute_many``, on PostgreSQL ``COPY``
into a temporary table and one ``INSERT … SELECT … ON CONFLICT`` (federation/upsert.py;
tests/federation/test_upsert.py checks both). Erasure subtracts the same way and then deletes the rows whose
counters all reached zero (:func:`delete_emptied`), so the rollups equal a world where the answers never arrived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from federation.battery.followups import band_of
from federation.battery.scales import Scale
from federation.privacy.pruning import delete_zero_rows
from federation.rollups.models import NO_CHANNEL, RollupDriverHourly, RollupHourly
from federation.rollups.slots import SLOT_COLUMNS, slot_columns
from federation.shared.stamps import bump
from federation.upsert import copy_add, dialect_insert, execute_many, insert_for

RollupKey = tuple[str, str, str, int, dt.datetime]
"""(service id, channel id or "", question id, wording version, hour)."""

DriverKey = tuple[str, str, str, int, dt.datetime, str, str]
"""A rollup key plus polarity and driver code."""

_KEY_COLUMNS = ("service_id", "channel_id", "question_id", "wording_version", "hour")
_DRIVER_KEY_COLUMNS = (*_KEY_COLUMNS, "polarity", "driver")
_COUNTERS = (*SLOT_COLUMNS, "skipped", "offered")
_SKIPPED = len(SLOT_COLUMNS)
_OFFERED = _SKIPPED + 1


def hour_of(moment: dt.datetime) -> dt.datetime:
    """The UTC hour a moment falls in."""
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def rollup_key(service_id: str, channel_id: str | None, question_id: str, version: int,
               moment: dt.datetime) -> RollupKey:
    """The rollup row an answer at ``moment`` belongs to."""
    return (service_id, channel_id or NO_CHANNEL, question_id, version, hour_of(moment))


class RollupDelta:
    """Counts to add to the rollups, gathered in memory so a batch costs one upsert per touched hour."""

    def __init__(self) -> None:
        self._counts: dict[RollupKey, list[int]] = {}

    def _row(self, key: RollupKey) -> list[int]:
        row = self._counts.get(key)
        if row is None:
            row = self._counts[key] = [0] * len(_COUNTERS)
        return row

    def add_answer(self, key: RollupKey, value: int | None) -> None:
        """Count an answer with ``value``, or a skip when ``value`` is None."""
        self._row(key)[_SKIPPED if value is None else value] += 1

    def add_offered(self, key: RollupKey, count: int = 1) -> None:
        """Count question draws (exposures offered)."""
        self._row(key)[_OFFERED] += count

    def subtract_answer(self, key: RollupKey, value: int | None) -> None:
        """Take an answer back out (erasure): the rollup then equals a world where it never arrived."""
        self._row(key)[_SKIPPED if value is None else value] -= 1

    def __bool__(self) -> bool:
        return bool(self._counts)

    def apply(self, session: Session) -> None:
        """Upsert every touched rollup row, in key order so concurrent writers lock rows in the same order, and bump
        the score stamps of the services whose answers changed (draws alone change no score)."""
        if not self._counts:
            return
        rows = [_as_row(key, counts) for key, counts in sorted(self._counts.items())]
        scored = {key[0] for key, counts in self._counts.items() if any(counts[:_OFFERED])}
        if session.get_bind().dialect.name == "postgresql":
            table: Table = RollupHourly.__table__  # type: ignore[assignment]
            copy_add(session, table, rows, [c.name for c in table.primary_key.columns], _COUNTERS)
        else:
            execute_many(session, "rollup_hourly.add", _rollup_upsert, rows)
        bump(session, scored)
        self._counts.clear()


def _rollup_upsert(dialect_name: str) -> Any:
    table: Table = RollupHourly.__table__  # type: ignore[assignment]
    stmt = insert_for(dialect_name, table)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: table.c[name] + stmt.excluded[name] for name in _COUNTERS},
    )


def _as_row(key: RollupKey, counts: Iterable[int]) -> dict[str, Any]:
    service_id, channel_id, question_id, version, hour = key
    row: dict[str, Any] = {"service_id": service_id, "channel_id": channel_id, "question_id": question_id,
                           "wording_version": version, "hour": hour}
    row.update(zip(_COUNTERS, counts, strict=True))
    return row


class DriverDelta:
    """Follow-up driver counts to add to ``rollup_driver_hourly``, gathered in memory: one upsert per touched row.

    An accepted answer with a follow-up adds 1 to (its rollup key, its band, driver) for every driver it chose;
    the band (``battery.followups.band_of``) is the polarity: POSITIVE drivers went well, NEGATIVE ones did not.
    """

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
        names = _DRIVER_KEY_COLUMNS
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


def delete_emptied(session: Session, keys: Collection[RollupKey]) -> None:
    """Delete the ``rollup_hourly`` and ``rollup_driver_hourly`` rows at ``keys`` whose counters all reached zero
    (after an erasure subtracted answers): a row of zeros and a missing row mean the same to every reader."""
    ordered = sorted(keys)
    hourly: Table = RollupHourly.__table__  # type: ignore[assignment]
    delete_zero_rows(session, hourly, _KEY_COLUMNS, ordered,
                     [*slot_columns(hourly), hourly.c.skipped, hourly.c.offered])
    by_driver: Table = RollupDriverHourly.__table__  # type: ignore[assignment]
    delete_zero_rows(session, by_driver, _KEY_COLUMNS, ordered, [by_driver.c.count])
