"""Tables of ratings: the pseudonymised microdata and the hourly rollups every score is read from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, HistogramCounts, UTCDateTime

NO_CHANNEL = ""
"""Rollups key "no channel given" as the empty string, so the key has no NULLs and upserts can match it."""


class Rating(Base):
    """One answer (or skip) as accepted at ingest. Demographics are generalised; identifiers pseudonymised."""

    __tablename__ = "rating"
    __table_args__ = (
        UniqueConstraint("organisation_id", "client_ref", name="uq_rating_client_ref"),
        Index("ix_rating_service_answered", "service_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(9))
    client_ref: Mapped[str] = mapped_column(String(200))
    service_id: Mapped[str] = mapped_column(String(36))
    channel_id: Mapped[str | None] = mapped_column(String(36))
    question_id: Mapped[str] = mapped_column(String(120))
    wording_version: Mapped[int] = mapped_column(Integer)
    value: Mapped[int | None] = mapped_column(Integer)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    locale: Mapped[str | None] = mapped_column(String(5))
    drivers: Mapped[str | None] = mapped_column(String(200))
    free_text: Mapped[bytes | None] = mapped_column(LargeBinary)
    pseudonym: Mapped[str | None] = mapped_column(String(80), index=True)
    age_band: Mapped[str | None] = mapped_column(String(8))
    region: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(5))
    gender: Mapped[str | None] = mapped_column(String(12))


class RollupHourly(HistogramCounts, Base):
    """Counts per answer value for one (service, channel, question, wording version, hour).

    Slot ``cN`` counts answers with value N (every scale's values fit in 0..10); ``skipped`` counts exposures that
    were skipped and ``offered`` counts question draws. The service id leads the key so the table can later be
    partitioned by time and sharded by service; on SQLite the table is stored WITHOUT ROWID, clustered by the key in
    the order reads ask (service, question, wording version, hour, channel; migration 0011), so one service's window
    is one contiguous range whatever order live ingest wrote it in.
    """

    __tablename__ = "rollup_hourly"
    __table_args__ = {"sqlite_with_rowid": False}

    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    wording_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    hour: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    offered: Mapped[int] = mapped_column(Integer, default=0)


SLOT_COLUMNS = tuple(f"c{v}" for v in range(11))


class RollupDriverHourly(Base):
    """Follow-up driver counts ("what went well / what didn't") keyed like ``rollup_hourly`` plus polarity.

    ``polarity`` is the answer's band (POSITIVE, NEUTRAL, NEGATIVE; ``battery.followups.band_of``) and ``driver``
    a driver code; ``count`` is how many accepted answers in that hour chose the driver. Updated in the ingest
    transaction, like the answer histograms.
    """

    __tablename__ = "rollup_driver_hourly"

    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    wording_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    hour: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
    polarity: Mapped[str] = mapped_column(String(10), primary_key=True)
    driver: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SealedTicketKey(Base):
    """One version of an organisation's rating-ticket key; the secret is sealed with the master key ring."""

    __tablename__ = "ticket_key"

    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class TicketUse(Base):
    """A rating ticket that was used: the unique (organisation, nonce) makes one ticket give one answer.

    Rows can be pruned once the ticket has expired (an expired ticket is refused anyway).
    """

    __tablename__ = "ticket_use"

    organisation_id: Mapped[str] = mapped_column(String(9), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36))
    used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
