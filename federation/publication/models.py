"""Tables of publications: a numbered, frozen set of published scores for one period, its scores and the
published KPIs of its services."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Enum, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime
from federation.rollups.slots import HistogramCounts

SERVICE_TOTAL = ""
"""``publication_score.channel_id`` of a service's total over all its channels (and answers without one)."""


class PublicationStatus(enum.Enum):
    """A draft can still be discarded; a published publication never changes again."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Publication(Base):
    """A numbered publication of one period's published scores (e.g. number 3, period 2026-Q1)."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    period: Mapped[str] = mapped_column(String(20), index=True)
    period_start: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    period_end: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status: Mapped[PublicationStatus] = mapped_column(
        Enum(PublicationStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    publication_threshold: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    replaces_number: Mapped[int | None] = mapped_column(Integer)
    changelog: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PublicationScore(HistogramCounts, Base):
    """One frozen cell: the histogram of a (service, channel or total, question, wording version).

    Only cells that passed the publication threshold (and secondary suppression) are stored, so nothing below
    the threshold can leak from a publication. The service id leads the key, as in every hot table.
    """

    __tablename__ = "publication_score"

    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"),
                                                primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    wording_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class PublicationKpi(Base):
    """One service's frozen KPIs in a publication: only the figures that were publishable when it was frozen.

    A figure that was not publishable is NULL and can never be recovered from the publication. Shares are kept as
    their numerator and denominator (the value and its Wilson interval are recomputed exactly as live figures
    are); a waiting-time quantile as its minutes and whether it lies in the open-ended bucket. ``first_day`` and
    ``last_day`` are the reporting days (Finnish calendar days) the figures cover.
    """

    __tablename__ = "publication_kpi"

    publication_number: Mapped[int] = mapped_column(
        ForeignKey("publication.number", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    published: Mapped[bool] = mapped_column(Boolean)
    channel_days: Mapped[int] = mapped_column(Integer)
    transactions: Mapped[int | None] = mapped_column(BigInteger)
    digital_transactions: Mapped[int | None] = mapped_column(BigInteger)
    transactions_started: Mapped[int | None] = mapped_column(BigInteger)
    contacts_received: Mapped[int | None] = mapped_column(BigInteger)
    contacts_answered_directly: Mapped[int | None] = mapped_column(BigInteger)
    callbacks: Mapped[int | None] = mapped_column(BigInteger)
    contacts_abandoned: Mapped[int | None] = mapped_column(BigInteger)
    ratings_answered: Mapped[int | None] = mapped_column(BigInteger)
    ratings_skipped: Mapped[int | None] = mapped_column(BigInteger)
    ratings_covered: Mapped[int | None] = mapped_column(BigInteger)
    wait_under_1: Mapped[int | None] = mapped_column(BigInteger)
    wait_1_to_5: Mapped[int | None] = mapped_column(BigInteger)
    wait_5_to_15: Mapped[int | None] = mapped_column(BigInteger)
    wait_over_15: Mapped[int | None] = mapped_column(BigInteger)
    digital_take_up_numerator: Mapped[int | None] = mapped_column(BigInteger)
    digital_take_up_denominator: Mapped[int | None] = mapped_column(BigInteger)
    completion_rate_numerator: Mapped[int | None] = mapped_column(BigInteger)
    completion_rate_denominator: Mapped[int | None] = mapped_column(BigInteger)
    answered_directly_share_numerator: Mapped[int | None] = mapped_column(BigInteger)
    answered_directly_share_denominator: Mapped[int | None] = mapped_column(BigInteger)
    callback_share_numerator: Mapped[int | None] = mapped_column(BigInteger)
    callback_share_denominator: Mapped[int | None] = mapped_column(BigInteger)
    abandonment_rate_numerator: Mapped[int | None] = mapped_column(BigInteger)
    abandonment_rate_denominator: Mapped[int | None] = mapped_column(BigInteger)
    coverage_numerator: Mapped[int | None] = mapped_column(BigInteger)
    coverage_denominator: Mapped[int | None] = mapped_column(BigInteger)
    response_rate_numerator: Mapped[int | None] = mapped_column(BigInteger)
    response_rate_denominator: Mapped[int | None] = mapped_column(BigInteger)
    median_wait_minutes: Mapped[float | None] = mapped_column(Float)
    median_wait_open_ended: Mapped[bool | None] = mapped_column(Boolean)
    p90_wait_minutes: Mapped[float | None] = mapped_column(Float)
    p90_wait_open_ended: Mapped[bool | None] = mapped_column(Boolean)
    cost_per_transaction: Mapped[float | None] = mapped_column(Float)
    first_contact_resolved: Mapped[int | None] = mapped_column(BigInteger)
    first_contact_resolution_numerator: Mapped[int | None] = mapped_column(BigInteger)
    first_contact_resolution_denominator: Mapped[int | None] = mapped_column(BigInteger)
    queue: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The e-request queue's figures (federation/publication/kpis.py ``queue_json``), or None."""
