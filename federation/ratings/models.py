"""Tables of ratings: the pseudonymised microdata and the rating-ticket keys and uses.

The hourly rollups every score is read from are in federation/rollups/models.py.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime


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
    wording_variant: Mapped[str | None] = mapped_column(String(40))
    """The channel wording shown instead of the national one (e.g. "Kiosk.1", federation/battery/question_sets.py);
    null for the national wording of ``wording_version``."""
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
