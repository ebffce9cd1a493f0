"""Accepting a batch of volume reports: validate each item, store new days, replace corrected ones, audit.

One transaction (the caller commits). A report is the whole day of one (service, day, channel): a resend with
the same figures is DUPLICATE (``UNCHANGED``), different figures replace the stored ones (ACCEPTED,
``CORRECTED``) and are audited with the figures before and after. New rows go in with ``ON CONFLICT DO NOTHING
… RETURNING``, and the rest are read ``FOR UPDATE`` before they are compared, so concurrent resends of one batch
neither fail nor double anything: the figures are a state, not increments, and the last write of a day wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select, tuple_
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.ratings.contract import ItemStatus
from federation.registry.checks import Rejection, load_registry_facts
from federation.shared.stamps import bump
from federation.upsert import dialect_insert
from federation.volumes.contract import (
    DayFigures,
    VolumeBatchResult,
    VolumeItemCode,
    VolumeItemResult,
    VolumeReport,
)
from federation.volumes.days import day_bounds, local_date
from federation.volumes.models import ServiceVolumeDaily, figures_of, figures_row
from federation.volumes.validation import VolumeLookups, check_report

Key = tuple[str, str, dt.date]
"""(service id, channel id, day) as reports name it."""


@dataclass(frozen=True)
class VolumePolicy:
    """Limits of volume reporting."""

    max_items: int = 1000
    max_day_age: dt.timedelta = dt.timedelta(days=3650)


class VolumeBatchTooLarge(ValueError):
    """The batch holds more items than allowed; nothing was stored."""


def report_volumes(
    session: Session, organisation_id: str, reports: Sequence[VolumeReport], *, now: dt.datetime, actor: str,
    policy: VolumePolicy = VolumePolicy(),
) -> VolumeBatchResult:
    """Validate and store a batch for ``organisation_id``; ``actor`` names the caller in the audit trail."""
    if len(reports) > policy.max_items:
        raise VolumeBatchTooLarge(f"A batch holds at most {policy.max_items} volume reports; you sent "
                                  f"{len(reports)}. Split it (resending is safe: a day's figures are replaced, "
                                  "never added twice).")
    today = local_date(now)
    look = load_volume_lookups(session, organisation_id, reports, today=today, oldest=today - policy.max_day_age)
    results: list[VolumeItemResult | None] = [None] * len(reports)
    pending: dict[Key, tuple[int, DayFigures]] = {}
    for index, report in enumerate(reports):
        try:
            figures = check_report(report, look)
        except Rejection as rejection:
            results[index] = VolumeItemResult(index, ItemStatus.REJECTED, rejection.code, rejection.message)
            continue
        earlier = pending.get(report.key)
        if earlier is None:
            pending[report.key] = (index, figures)
        else:
            results[index] = _in_batch_again(index, earlier, figures)
    stored = _store(session, organisation_id, pending, now=now, actor=actor)
    for index, result in stored.items():
        results[index] = result
    touched = frozenset(key[0] for key, (index, _) in pending.items()
                        if stored[index].status is ItemStatus.ACCEPTED)
    return VolumeBatchResult(tuple(r for r in results if r is not None), touched)


def _in_batch_again(index: int, earlier: tuple[int, DayFigures], figures: DayFigures) -> VolumeItemResult:
    first, first_figures = earlier
    if figures == first_figures:
        return VolumeItemResult(index, ItemStatus.DUPLICATE, VolumeItemCode.DUPLICATE_IN_BATCH,
                                f"the same day is item {first} of this batch with the same figures; "
                                "it was stored once.")
    return VolumeItemResult(index, ItemStatus.REJECTED, VolumeItemCode.CONFLICT_IN_BATCH,
                            f"item {first} of this batch reports the same service, channel and day with other "
                            "figures; send one item per day (a later batch may correct it).")


def _store(session: Session, organisation_id: str, pending: dict[Key, tuple[int, DayFigures]], *,
           now: dt.datetime, actor: str) -> dict[int, VolumeItemResult]:
    results: dict[int, VolumeItemResult] = {}
    inserted = _insert_new(session, organisation_id, pending, now)
    for key in inserted:
        results[pending[key][0]] = VolumeItemResult(pending[key][0], ItemStatus.ACCEPTED)
    existing = _lock_existing(session, [k for k in pending if k not in inserted])
    for key in sorted(existing):
        index, figures = pending[key]
        row = existing[key]
        before = figures_of(row)
        if before == figures:
            results[index] = VolumeItemResult(index, ItemStatus.DUPLICATE, VolumeItemCode.UNCHANGED,
                                              f"{_describe(key)} already holds exactly these figures; "
                                              "nothing changed.")
            continue
        _replace(row, figures, organisation_id, now)
        record(session, actor=actor, action="volumes.correct", subject=key[0], now=now,
               organisation=organisation_id, channel=key[1], day=key[2].isoformat(), revision=row.revision,
               before=figures_row(before), after=figures_row(figures))
        results[index] = VolumeItemResult(index, ItemStatus.ACCEPTED, VolumeItemCode.CORRECTED,
                                          f"{_describe(key)} was reported before; its figures were replaced "
                                          f"(revision {row.revision}).")
    changed = {key[0] for key in inserted} | {key[0] for key in existing
                                               if results[pending[key][0]].status is ItemStatus.ACCEPTED}
    bump(session, changed)  # the services' published KPIs moved: kept exports and cached scores are stale
    return results


def _describe(key: Key) -> str:
    return f"service {key[0]}, channel {key[1]} on {key[2].isoformat()}"


def _insert_new(session: Session, organisation_id: str, pending: dict[Key, tuple[int, DayFigures]],
                now: dt.datetime) -> set[Key]:
    """Insert the days not stored yet; return the keys that went in (one lock order: key order)."""
    rows: list[dict[str, Any]] = []
    for key in sorted(pending):
        service_id, channel_id, day = key
        starts_at, ends_at = day_bounds(day)
        rows.append({"service_id": service_id, "day": day, "channel_id": channel_id, "starts_at": starts_at,
                     "ends_at": ends_at, "organisation_id": organisation_id, "reported_at": now, "revision": 1,
                     **figures_row(pending[key][1])})
    if not rows:
        return set()
    table: Table = ServiceVolumeDaily.__table__  # type: ignore[assignment]
    stmt = (dialect_insert(session, table)
            .on_conflict_do_nothing(index_elements=["service_id", "day", "channel_id"])
            .returning(table.c.service_id, table.c.channel_id, table.c.day))
    return {(s, c, d) for s, c, d in session.execute(stmt, rows)}


def _lock_existing(session: Session, keys: Collection[Key]) -> dict[Key, ServiceVolumeDaily]:
    """The stored rows of ``keys``, locked for update (PostgreSQL; SQLite writers are serialised anyway)."""
    if not keys:
        return {}
    model = ServiceVolumeDaily
    wanted = [(s, d, c) for s, c, d in keys]
    stmt = (select(model).where(tuple_(model.service_id, model.day, model.channel_id).in_(wanted))
            .order_by(model.service_id, model.day, model.channel_id).with_for_update())
    return {(r.service_id, r.channel_id, r.day): r for r in session.scalars(stmt)}


def _replace(row: ServiceVolumeDaily, figures: DayFigures, organisation_id: str, now: dt.datetime) -> None:
    for column, value in figures_row(figures).items():
        setattr(row, column, value)
    row.organisation_id = organisation_id
    row.reported_at = now
    row.revision += 1


def load_volume_lookups(session: Session, organisation_id: str, reports: Sequence[VolumeReport], *,
                        today: dt.date, oldest: dt.date) -> VolumeLookups:
    """Load, in four queries, every registry fact needed to validate the batch."""
    registry = load_registry_facts(session, organisation_id, {r.service_id for r in reports},
                                   {r.channel_id for r in reports})
    return VolumeLookups(registry, today, oldest)
