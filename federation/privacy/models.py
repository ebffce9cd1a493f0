"""Tables of the privacy area: the bounded demographic cube and the receipts of erasure requests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, UTCDateTime
from federation.rollups.slots import HistogramCounts

NOT_GIVEN = ""
"""Cube key of an attribute that was not sent, so the key has no NULLs and upserts can match it."""


class DemographicCell(HistogramCounts, Base):
    """Counts per answer value for one (service, question, wording version, quarter, age band, region,
    language, gender) — the bounded demographic cube researcher breakdowns are read from.

    Bounded: each person (pseudonym) counts at most once per service and quarter (their latest answer), so one
    person changes any breakdown of a service-quarter by at most one answer. Answers without a pseudonym but
    with demographics count as they are. Slot ``cN`` counts answers with value N; skips are not in the cube.
    Cells that reach zero are deleted, so the cube depends only on the stored answers, not on their history.
    """

    __tablename__ = "demographic_cell"

    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    wording_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[str] = mapped_column(String(6), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(8), primary_key=True)
    region: Mapped[str] = mapped_column(String(2), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    gender: Mapped[str] = mapped_column(String(12), primary_key=True)


class ErasureReceipt(Base):
    """Proof that an erasure request (GDPR Art. 17) was carried out. Holds counts only, never the identifier,
    nor which services the person used (that would itself be personal data linked to the request)."""

    __tablename__ = "erasure_receipt"

    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    erased_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    organisation_scope: Mapped[str | None] = mapped_column(String(9), index=True)
    service_scope: Mapped[str | None] = mapped_column(String(36))
    ratings_deleted: Mapped[int] = mapped_column(Integer)
    domains_affected: Mapped[int] = mapped_column(Integer)
    key_versions_searched: Mapped[str] = mapped_column(String(200))
