"""Accepting a batch of ratings: validate each item, store the accepted ones, update rollups — one transaction.

Idempotency: ``(organisation, clientRef)`` is unique in the rating table and rows are inserted with
``ON CONFLICT DO NOTHING … RETURNING``, so only rows that really went in are added to the rollups. A concurrent
resend of the same batch waits on the unique index and then finds every item already there: never counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from federation.battery.models import Question
from federation.battery.question_sets import parse_types
from federation.db import Database
from federation.errors import DomainError, RatingsCode
from federation.ratings.contract import (
    BatchResult,
    ItemCode,
    ItemResult,
    ItemStatus,
    RatingSubmission,
)
from federation.ratings.drivers import split_drivers
from federation.ratings.models import Rating
from federation.ratings.validation import Lookups, QuestionInfo, check_item, wording_variant
from federation.registry.checks import Rejection, load_registry_facts
from federation.rollups.writing import DriverDelta, RollupDelta, rollup_key
from federation.upsert import copy_write, driver_rows, execute_many, insert_for


class Protector(Protocol):
    """Turns the personal parts of an item into what may be stored (see ``federation.privacy``)."""

    def protect(self, item: RatingSubmission, organisation_id: str) -> dict[str, Any]:
        """Columns to store for the item's free text and demographics; raises Rejection for bad values."""
        ...

    def after_insert(self, session: Session, stored: Sequence[tuple[RatingSubmission, dict[str, Any]]]) -> None:
        """Bring what is derived from the personal parts (the demographic cube) up to date with the rows that
        went in, in the ingest transaction (before the rollups, for one lock order with erasure)."""
        ...


@dataclass(frozen=True)
class IngestPolicy:
    """Limits of ingest taken from the settings."""

    max_items: int = 1000
    max_answer_age: dt.timedelta = dt.timedelta(days=365)


class BatchTooLarge(DomainError):
    """The batch holds more items than allowed; nothing was stored (``BATCH_TOO_LARGE`` at every entry point)."""

    def __init__(self, message: str) -> None:
        super().__init__(RatingsCode.BATCH_TOO_LARGE, message)


@dataclass
class PreparedBatch:
    """A checked batch, ready to store: the results decided so far and the rows of the items that passed."""

    organisation_id: str
    items: Sequence[RatingSubmission]
    results: list[ItemResult | None]
    pending: dict[str, tuple[int, dict[str, Any]]]
    questions: dict[str, QuestionInfo]


def submit_ratings(
    session: Session, organisation_id: str, items: Sequence[RatingSubmission], *,
    now: dt.datetime, protector: Protector, policy: IngestPolicy = IngestPolicy(),
) -> BatchResult:
    """Validate and store a batch for ``organisation_id`` in one session; the caller commits the transaction."""
    prepared = prepare_batch(session, organisation_id, items, now=now, protector=protector, policy=policy)
    return store_batch(session, prepared, protector)


def ingest(
    database: Database, items: Sequence[RatingSubmission], *, caller: Callable[[Session], str],
    now: dt.datetime, protector: Protector, policy: IngestPolicy = IngestPolicy(),
) -> BatchResult:
    """Check ``items`` in a read transaction, then store them in a write transaction, each committed here.

    ``caller`` authorises the request in the read transaction and names the sending organisation (it raises to
    refuse). On SQLite the database-wide write lock is so held for the writes alone, not for authentication and the
    checks (a registry change between the two transactions is as if the batch had arrived a moment earlier);
    PostgreSQL, with row locks only, runs both phases in one transaction."""
    split = database.dialect == "sqlite"
    session = database.session(write=not split)
    try:
        organisation_id = caller(session)
        prepared = prepare_batch(session, organisation_id, items, now=now, protector=protector, policy=policy)
        if split:
            session.commit()
            if not prepared.pending:
                return store_batch(session, prepared, protector)  # nothing to write: results only
            session.close()
            session = database.session(write=True)
        batch = store_batch(session, prepared, protector)
        session.commit()
    finally:
        session.close()
    return batch


def prepare_batch(
    session: Session, organisation_id: str, items: Sequence[RatingSubmission], *,
    now: dt.datetime, protector: Protector, policy: IngestPolicy = IngestPolicy(),
) -> PreparedBatch:
    """Check every item against the registry (read only: ``session`` may be a read session, so on SQLite the
    write lock is taken only by :func:`store_batch`) and turn the good ones into rows."""
    if len(items) > policy.max_items:
        raise BatchTooLarge(f"A batch holds at most {policy.max_items} ratings; you sent {len(items)}. "
                            "Split it into smaller batches (resending is safe: clientRef makes it idempotent).")
    look = load_lookups(session, organisation_id, items, now=now, oldest=now - policy.max_answer_age)
    results: list[ItemResult | None] = [None] * len(items)
    pending: dict[str, tuple[int, dict[str, Any]]] = {}
    received_at = now.astimezone(dt.UTC)
    for index, item in enumerate(items):
        if item.client_ref in pending:
            results[index] = ItemResult(index, ItemStatus.DUPLICATE, ItemCode.DUPLICATE_IN_BATCH,
                                        f"clientRef {item.client_ref!r} appears earlier in this batch; "
                                        "it was counted once.")
            continue
        try:
            question = check_item(item, look)
            row = _row(item, question, organisation_id, received_at)
            row["wording_variant"] = wording_variant(item, look)
            row.update(protector.protect(item, organisation_id))
        except Rejection as rejection:
            results[index] = ItemResult(index, ItemStatus.REJECTED, rejection.code, rejection.message)
            continue
        pending[item.client_ref] = (index, row)
    return PreparedBatch(organisation_id, items, results, pending, look.questions)


def store_batch(session: Session, batch: PreparedBatch, protector: Protector) -> BatchResult:
    """Store the new rows of a prepared batch and add them to the rollups, in ``session``'s (write) transaction;
    the caller commits."""
    inserted = _insert_new(session, batch.organisation_id, [row for _, row in batch.pending.values()])
    results = batch.results
    delta = RollupDelta()
    drivers = DriverDelta()
    touched: set[str] = set()
    stored: list[tuple[RatingSubmission, dict[str, Any]]] = []
    for client_ref, (index, row) in batch.pending.items():
        if client_ref in inserted:
            results[index] = ItemResult(index, ItemStatus.ACCEPTED)
            stored.append((batch.items[index], row))
            key = rollup_key(row["service_id"], row["channel_id"], row["question_id"], row["wording_version"],
                             row["answered_at"])
            delta.add_answer(key, row["value"])
            if row["drivers"]:  # "what went well / what didn't", in the same transaction as the answer
                drivers.add(key, batch.questions[row["question_id"]].scale, row["value"],
                            split_drivers(row["drivers"]))
            touched.add(row["service_id"])
        else:
            results[index] = ItemResult(index, ItemStatus.DUPLICATE, ItemCode.ALREADY_RECEIVED,
                                        f"clientRef {client_ref!r} was received before; it is not counted again.")
    protector.after_insert(session, stored)
    delta.apply(session)
    drivers.apply(session)
    return BatchResult(tuple(r for r in results if r is not None), frozenset(touched))


def _row(item: RatingSubmission, question: QuestionInfo, organisation_id: str,
         received_at: dt.datetime) -> dict[str, Any]:
    follow_up = item.follow_up
    return {
        "organisation_id": organisation_id, "client_ref": item.client_ref, "service_id": item.service_id,
        "channel_id": item.channel_id, "question_id": item.question_id,
        "wording_version": item.wording_version or question.current_version,
        "value": item.value, "skipped": item.skipped,
        "answered_at": item.answered_at.astimezone(dt.UTC), "received_at": received_at,
        "locale": item.locale,
        "drivers": ",".join(sorted(set(follow_up.drivers))) or None if follow_up else None,
        "free_text": None, "pseudonym": None, "age_band": None, "region": None, "language": None, "gender": None,
    }


def _insert_new(session: Session, organisation_id: str, rows: list[dict[str, Any]]) -> set[str]:
    """Insert rows whose clientRef is new for the organisation; return the clientRefs that went in."""
    if not rows:
        return set()
    rows.sort(key=lambda r: r["client_ref"])  # one lock order for concurrent batches
    if session.get_bind().dialect.name != "sqlite":
        return _copy_new(session, rows)
    # SQLite serialises writers (ingest runs under BEGIN IMMEDIATE), so known refs can be read first and the
    # rest inserted by a plain INSERT (no ON CONFLICT clause, which makes SQLite probe the unique index once more
    # per row: 1.9× the insert time, measured); a surprise duplicate raises and rolls the batch back, never a
    # double count.
    refs = [r["client_ref"] for r in rows]
    known = {ref for (ref,) in driver_rows(session, _KNOWN_REFS_SQLITE, (organisation_id, orjson.dumps(refs)))}
    new = [r for r in rows if r["client_ref"] not in known]
    inserted = execute_many(session, "rating.insert", _rating_insert, new)
    if inserted != len(new):
        raise RuntimeError(f"inserted {inserted} of {len(new)} new ratings; the batch was rolled back, resend it")
    return {r["client_ref"] for r in new}


_KNOWN_REFS_SQLITE = ("SELECT client_ref FROM rating WHERE organisation_id = ? "
                      "AND client_ref IN (SELECT value FROM json_each(?))")
"""The batch's clientRefs already stored, the refs passed as one JSON array (one constant statement, whatever
the batch size)."""


def _copy_new(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """PostgreSQL: COPY the batch in and keep what is new (:func:`~federation.upsert.copy_write`). Concurrent
    writers of the same clientRef wait on the unique index, and RETURNING shows only what went in, so a resend
    never counts twice."""
    return set(copy_write(session, "rating", rows, ("organisation_id", "client_ref"), None))


def _rating_insert(dialect_name: str) -> Any:
    table: Table = Rating.__table__  # type: ignore[assignment]
    return insert_for(dialect_name, table)


def load_lookups(session: Session, organisation_id: str, items: Sequence[RatingSubmission], *,
                 now: dt.datetime, oldest: dt.datetime) -> Lookups:
    """Load, in five queries, every registry and battery fact needed to validate the batch."""
    registry = load_registry_facts(session, organisation_id, {i.service_id for i in items},
                                   {i.channel_id for i in items if i.channel_id is not None})
    question_ids = {i.question_id for i in items}
    questions = {q.id: QuestionInfo(q.scale, q.current_version, q.owner_organisation_id, q.retired_at is not None,
                                    parse_types(q.channel_types))
                 for q in session.scalars(select(Question).where(Question.id.in_(question_ids)))}
    return Lookups(registry, questions, now, oldest)
