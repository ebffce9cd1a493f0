"""The durable outbox of notifications: enqueue once per dedupe key, claim, record each attempt's outcome.

- **Once per dedupe key.** ``(subscription_id, dedupe_key)`` is unique and :func:`enqueue` inserts with
  ``ON CONFLICT DO NOTHING``, so passes that run twice or side by side enqueue a digest period or an alert once.
- **One sender per row.** :func:`claim` moves due rows from PENDING to SENDING in its own short transaction; on
  PostgreSQL it selects them ``FOR UPDATE SKIP LOCKED`` (two runners never wait on or take the same row), on SQLite
  the write transaction's ``BEGIN IMMEDIATE`` already makes claimers queue. The claim is committed before the send.
- **At most once.** A row left SENDING past its lease (the runner died mid-send: the message may have gone out) is
  not sent again but marked FAILED with ``INTERRUPTED``.
- **Retries.** A failed attempt goes back to PENDING after an exponential backoff (1 min, 2, 4, … capped at 6 h)
  until ``max_attempts``, then FAILED; a permanent refusal (HTTP 4xx, SMTP 5xx) is FAILED at once. Each row keeps
  its attempt count and last error code; nothing stored or logged holds an address, URL or secret.
- **Pruning.** Finished rows are deleted 90 days after they were made (:func:`prune`, in every pass).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from federation.notify.models import MessageKind, NotificationOutbox, NotificationSubscription, OutboxStatus
from federation.upsert import dialect_insert

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=6)
LEASE = dt.timedelta(minutes=10)
KEEP_FINISHED = dt.timedelta(days=90)
"""How long SENT and FAILED rows are kept (for inspection). Dedupe needs them only while their period or alert can
still be computed: the last complete week, alerts of the last days (federation/notify/runner.py)."""
_TABLE = cast(Table, NotificationOutbox.__table__)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1 min · 2^(attempts − 1), at most 6 h."""
    if attempts >= 20:
        return BACKOFF_CAP
    wait: dt.timedelta = BACKOFF_BASE * (2 ** max(0, attempts - 1))
    return min(BACKOFF_CAP, wait)


def enqueue(session: Session, *, subscription_id: int, dedupe_key: str, kind: MessageKind,
            payload: Mapping[str, object], now: dt.datetime) -> bool:
    """Add a message unless the subscription already has one with ``dedupe_key``; whether it was added."""
    stmt = dialect_insert(session, _TABLE).values(
        subscription_id=subscription_id, dedupe_key=dedupe_key[:200], kind=kind.value, payload=dict(payload),
        status=OutboxStatus.PENDING.value, attempts=0, next_attempt_at=now, created_at=now,
    ).on_conflict_do_nothing(index_elements=["subscription_id", "dedupe_key"]).returning(_TABLE.c.id)
    return session.execute(stmt).scalar_one_or_none() is not None


def existing_keys(session: Session, subscription_id: int, keys: Collection[str]) -> set[str]:
    """Which of ``keys`` the subscription already has in its outbox."""
    if not keys:
        return set()
    stmt = select(NotificationOutbox.dedupe_key).where(NotificationOutbox.subscription_id == subscription_id,
                                                       NotificationOutbox.dedupe_key.in_(sorted(keys)))
    return set(session.scalars(stmt))


@dataclass(frozen=True)
class Claimed:
    """A row claimed for one attempt, with its subscription."""

    id: int
    attempt: int
    kind: str
    dedupe_key: str
    payload: Mapping[str, object]
    subscription: NotificationSubscription
    claimed_until: dt.datetime


def prune(session: Session, *, now: dt.datetime) -> int:
    """Delete SENT and FAILED rows made more than :data:`KEEP_FINISHED` ago; how many."""
    stmt = (delete(NotificationOutbox)
            .where(NotificationOutbox.status.in_([OutboxStatus.SENT.value, OutboxStatus.FAILED.value]),
                   NotificationOutbox.created_at < now - KEEP_FINISHED)
            .returning(NotificationOutbox.id))
    return len(session.scalars(stmt).all())


def abandon_interrupted(session: Session, *, now: dt.datetime) -> list[int]:
    """Mark FAILED (``INTERRUPTED``) the rows whose sender vanished mid-send; their ids."""
    stmt = (update(NotificationOutbox)
            .where(NotificationOutbox.status == OutboxStatus.SENDING.value, NotificationOutbox.claimed_until < now)
            .values(status=OutboxStatus.FAILED.value, last_error_code="INTERRUPTED", claimed_until=None)
            .returning(NotificationOutbox.id))
    return list(session.scalars(stmt))


def claim(session: Session, *, now: dt.datetime, limit: int = 1,
          subscription_ids: Collection[int] | None = None) -> list[Claimed]:
    """Take up to ``limit`` due PENDING rows (oldest due first) for one attempt each; commit before sending."""
    stmt = (select(NotificationOutbox)
            .where(NotificationOutbox.status == OutboxStatus.PENDING.value, NotificationOutbox.next_attempt_at <= now)
            .order_by(NotificationOutbox.next_attempt_at, NotificationOutbox.id).limit(limit))
    if subscription_ids is not None:
        stmt = stmt.where(NotificationOutbox.subscription_id.in_(sorted(subscription_ids)))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    claimed = []
    for row in session.scalars(stmt).all():
        row.status, row.claimed_until, row.attempts = OutboxStatus.SENDING.value, now + LEASE, row.attempts + 1
        subscription = session.get(NotificationSubscription, row.subscription_id)
        assert subscription is not None, "outbox rows are deleted with their subscription"
        claimed.append(Claimed(row.id, row.attempts, row.kind, row.dedupe_key, dict(row.payload), subscription,
                               now + LEASE))
    session.flush()
    return claimed


def finish(session: Session, claimed: Claimed, *, now: dt.datetime, error_code: str | None, permanent: bool,
           max_attempts: int) -> str | None:
    """Record the attempt's outcome; the new status, or None when the row was no longer ours (lease lost)."""
    if error_code is None:
        values: dict[str, object] = {"status": OutboxStatus.SENT.value, "sent_at": now, "last_error_code": None}
    elif permanent or claimed.attempt >= max_attempts:
        values = {"status": OutboxStatus.FAILED.value, "last_error_code": error_code[:40]}
    else:
        values = {"status": OutboxStatus.PENDING.value, "last_error_code": error_code[:40],
                  "next_attempt_at": now + backoff(claimed.attempt)}
    result = session.execute(update(NotificationOutbox)
                             .where(NotificationOutbox.id == claimed.id,
                                    NotificationOutbox.status == OutboxStatus.SENDING.value,
                                    NotificationOutbox.claimed_until == claimed.claimed_until)
                             .values(claimed_until=None, **values))
    return str(values["status"]) if result.rowcount == 1 else None  # type: ignore[attr-defined]
