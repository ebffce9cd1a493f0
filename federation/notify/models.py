"""The tables of notifications: what an organisation subscribed to, and the outbox of messages to deliver.

An e-mail address, a webhook URL and a webhook's signing secret are stored sealed under the master key ring
(like ticket keys, federation/ratings/ticket_keys.py); ``target_hash`` (SHA-256 of the normalised target) keeps one
subscription per target and names it in log lines, ``target_hint`` is a masked form to show in lists. The outbox's
unique ``(subscription_id, dedupe_key)`` makes enqueuing idempotent: one message per digest period or alert per
subscription, however many ``arvio notify run`` passes compute it (README.md "Notifications").
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime


class Channel(enum.StrEnum):
    """How a subscription is delivered."""

    EMAIL = "EMAIL"
    WEBHOOK = "WEBHOOK"


class DigestFrequency(enum.StrEnum):
    """How often an e-mail subscription receives a digest (none: alerts only)."""

    DAILY = "DAILY"
    WEEKLY = "WEEKLY"


class MessageKind(enum.StrEnum):
    """What an outbox row carries."""

    DIGEST = "DIGEST"
    ALERT = "ALERT"
    TEST = "TEST"


class OutboxStatus(enum.StrEnum):
    """PENDING (waiting for its next attempt) → SENDING (claimed by one runner) → SENT, or FAILED for good."""

    PENDING = "PENDING"
    SENDING = "SENDING"
    SENT = "SENT"
    FAILED = "FAILED"


class NotificationSubscription(Base):
    """One e-mail address or webhook endpoint of an organisation, with its digest frequency and alert kinds."""

    __tablename__ = "notify_subscription"
    __table_args__ = (UniqueConstraint("organisation_id", "channel", "target_hash", name="uq_notify_target"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    target_hash: Mapped[str] = mapped_column(String(64))
    target_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    target_hint: Mapped[str] = mapped_column(String(120))
    secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    digest: Mapped[str | None] = mapped_column(String(8))
    alert_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    locale: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


class NotificationOutbox(Base):
    """One message to deliver to one subscription, with its delivery state (attempts, backoff, last error code)."""

    __tablename__ = "notify_outbox"
    __table_args__ = (
        UniqueConstraint("subscription_id", "dedupe_key", name="uq_notify_outbox_dedupe"),
        Index("ix_notify_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("notify_subscription.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error_code: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
