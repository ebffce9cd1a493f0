"""Building demographic cubes for research tests: rows inserted straight into ``demographic_cell``, and a
microdata generator whose cube follows the contribution rule (each person once per service and quarter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert

from federation.db import Database
from federation.privacy.models import DemographicCell
from federation.research.reading import CubeRow
from federation.research.shapes import Dimension
from federation.rollups.slots import slot_values, slots_of

SMOOTH = "national.transaction-smooth"
NPS = "national.nps"


@dataclass(frozen=True)
class Answer:
    """One stored answer of the microdata: who, where, when (ordinal within the quarter), what."""

    person: str
    service: str
    quarter: str
    moment: int
    value: int
    age_band: str = ""
    region: str = ""
    language: str = ""
    gender: str = ""


def counted(answers: Iterable[Answer]) -> list[Answer]:
    """The answers the cube counts: each person's latest per (service, quarter), ties to the later one listed."""
    latest: dict[tuple[str, str, str], tuple[int, int, Answer]] = {}
    for index, answer in enumerate(answers):
        key = (answer.person, answer.service, answer.quarter)
        if key not in latest or (answer.moment, index) >= latest[key][:2]:
            latest[key] = (answer.moment, index, answer)
    return [item[2] for item in latest.values()]


def cube_rows(answers: Iterable[Answer], question: str = SMOOTH, wording: int = 1) -> list[dict[str, object]]:
    """``demographic_cell`` rows of the counted answers."""
    cells: dict[tuple[str, ...], list[int]] = {}
    for a in counted(answers):
        key = (a.service, a.quarter, a.age_band, a.region, a.language, a.gender)
        cells.setdefault(key, [0] * 11)[a.value] += 1
    return [{"service_id": k[0], "question_id": question, "wording_version": wording, "quarter": k[1],
             "age_band": k[2], "region": k[3], "language": k[4], "gender": k[5],
             **slot_values(slots)} for k, slots in sorted(cells.items())]


def insert_cube(database: Database, rows: Sequence[dict[str, object]]) -> None:
    """Replace the cube with ``rows``."""
    with database.transaction() as session:
        session.execute(delete(DemographicCell))
        if rows:
            session.execute(insert(DemographicCell), list(rows))


def as_cube_rows(rows: Iterable[dict[str, object]], dimensions: Sequence[Dimension]) -> list[CubeRow]:
    """What ``read_rows`` would return for ``rows`` (no grouping needed: one row per cube cell)."""
    from federation.research.reading import level_of

    return [CubeRow(str(r["service_id"]), str(r["quarter"]),
                    tuple(level_of(d, str(r[d.column])) for d in dimensions),
                    tuple(int(str(v)) for v in slots_of(r)), tuple(str(r[d.column]) for d in Dimension))
            for r in rows]


def quarter_start(quarter: str) -> dt.datetime:
    """Midnight UTC on the first day of ``quarter``."""
    return dt.datetime(int(quarter[:4]), 3 * int(quarter[5]) - 2, 1, tzinfo=dt.UTC)
