"""Hourly rollups: adding accepted answers to the per-hour histograms, in the ingest transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from federation.ratings.models import NO_CHANNEL, SLOT_COLUMNS, RollupHourly
from federation.upsert import copy_add, execute_many, insert_for

RollupKey = tuple[str, str, str, int, dt.datetime]
"""(service id, channel id or "", question id, wording version, hour)."""

_COUNTERS = (*SLOT_COLUMNS, "skipped", "offered")
_SKIPPED = len(SLOT_COLUMNS)
_OFFERED = _SKIPPED + 1


def hour_of(moment: dt.datetime) -> dt.datetime:
    """The UTC hour a moment falls in."""
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


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
        """Upsert every touched rollup row, in key order so concurrent writers lock rows in the same order."""
        if not self._counts:
            return
        rows = [_as_row(key, counts) for key, counts in sorted(self._counts.items())]
        if session.get_bind().dialect.name == "postgresql":
            table: Table = RollupHourly.__table__  # type: ignore[assignment]
            copy_add(session, table, rows, [c.name for c in table.primary_key.columns], _COUNTERS)
        else:
            execute_many(session, "rollup_hourly.add", _rollup_upsert, rows)
        self._counts.clear()


def _rollup_upsert(dialect_name: str) -> Any:
    table: Table = RollupHourly.__table__  # type: ignore[assignment]
    stmt = insert_for(dialect_name, table)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: table.c[name] + stmt.excluded[name] for name in _COUNTERS},
    )


def rollup_key(service_id: str, channel_id: str | None, question_id: str, version: int,
               moment: dt.datetime) -> RollupKey:
    """The rollup row an answer at ``moment`` belongs to."""
    return (service_id, channel_id or NO_CHANNEL, question_id, version, hour_of(moment))


def _as_row(key: RollupKey, counts: Iterable[int]) -> dict[str, Any]:
    service_id, channel_id, question_id, version, hour = key
    row: dict[str, Any] = {"service_id": service_id, "channel_id": channel_id, "question_id": question_id,
                           "wording_version": version, "hour": hour}
    row.update(zip(_COUNTERS, counts, strict=True))
    return row
