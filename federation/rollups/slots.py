"""The slot layout of histogram tables: counter ``cN`` counts answers with value N (every scale's values fit in 0..10).

Three tables store histograms this way: ``rollup_hourly`` (federation/rollups/models.py), the demographic cube
``demographic_cell`` (federation/privacy/models.py) and frozen ``publication_score`` rows
(federation/publication/models.py). They declare their counters by mixing in :class:`HistogramCounts`, and every
module that sums, reads or writes counters does it through the helpers below, so the column names are spelled in
this module only.

Pure: the helpers build SQLAlchemy expressions and plain values; nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import reduce
from operator import add
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Integer, func
from sqlalchemy.orm import Mapped, mapped_column

from federation.battery.scales import HISTOGRAM_SLOTS

SLOT_COLUMNS = tuple(f"c{v}" for v in range(HISTOGRAM_SLOTS))
"""The counter columns in slot order: ``SLOT_COLUMNS[v]`` counts answers with value ``v``."""


class HistogramCounts:
    """Counter columns ``c0`` … ``c10`` (:data:`SLOT_COLUMNS`): slot N counts answers with value N.

    Mixed into the hourly rollups, the demographic cube and frozen publication scores, which all store histograms.
    """

    c0: Mapped[int] = mapped_column(Integer, default=0)
    c1: Mapped[int] = mapped_column(Integer, default=0)
    c2: Mapped[int] = mapped_column(Integer, default=0)
    c3: Mapped[int] = mapped_column(Integer, default=0)
    c4: Mapped[int] = mapped_column(Integer, default=0)
    c5: Mapped[int] = mapped_column(Integer, default=0)
    c6: Mapped[int] = mapped_column(Integer, default=0)
    c7: Mapped[int] = mapped_column(Integer, default=0)
    c8: Mapped[int] = mapped_column(Integer, default=0)
    c9: Mapped[int] = mapped_column(Integer, default=0)
    c10: Mapped[int] = mapped_column(Integer, default=0)


def slot_columns(table: FromClause) -> list[ColumnElement[int]]:
    """The counter columns of a histogram table (or an alias of one), in slot order."""
    columns = table.c
    return [columns[name] for name in SLOT_COLUMNS]


def slot_sums(table: FromClause) -> list[ColumnElement[int]]:
    """The 11 aggregate expressions ``COALESCE(SUM(cN), 0)``, in slot order: with no GROUP BY they give zeros
    rather than NULLs when no row matches."""
    return [func.coalesce(func.sum(column), 0) for column in slot_columns(table)]


def answered(table: FromClause) -> ColumnElement[int]:
    """One row's answers: ``c0 + c1 + … + c10`` (skips are counted elsewhere, not in the slots)."""
    return reduce(add, slot_columns(table))


def slots_of(row: HistogramCounts | Mapping[str, Any]) -> tuple[int, ...]:
    """A row's slot counts (slot ``v`` counts value ``v``): of a mapped object, or of a mapping by column name
    (a result row's ``.mappings()``, a row about to be inserted)."""
    if isinstance(row, Mapping):
        return tuple(row[name] for name in SLOT_COLUMNS)
    return tuple(getattr(row, name) for name in SLOT_COLUMNS)


def slot_values(slots: Sequence[int]) -> dict[str, int]:
    """The counter values of a row to INSERT, from its 11 slot counts."""
    if len(slots) != HISTOGRAM_SLOTS:
        raise ValueError(f"a histogram row has {HISTOGRAM_SLOTS} slots, one per value 0–10, not {len(slots)}")
    return dict(zip(SLOT_COLUMNS, slots, strict=True))


def slots_added(table: FromClause, incoming: Any) -> dict[str, ColumnElement[int]]:
    """``cN = table.cN + incoming.cN`` for every slot: the SET of an ``INSERT … ON CONFLICT DO UPDATE`` that adds
    counts (``incoming`` is the statement's ``excluded``)."""
    return {name: table.c[name] + incoming[name] for name in SLOT_COLUMNS}
