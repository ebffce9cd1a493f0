"""The tables of page feedback (migration 0023_pages).

- ``page``: an organisation's registered page, its normalised URL (``federation/pages/urls.py``) found by the
  SHA-256 ``url_hash`` (one page per URL and organisation), the service it belongs to if any, retired pages kept
  (their figures stay readable).
- ``page_answer``: one citizen's yes/no, idempotent per (organisation, client ref) — the ref kept only as a
  hash; no IP address or other identifier; the "what was missing" text scrubbed and sealed (``free_text``),
  deleted with the row after the retention period (federation/privacy/retention.py).
- ``page_answer_hourly``: yes and no counts per page and UTC hour, what scores are read from (they outlive the
  answers' retention, like the ratings' rollups).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime


class Page(Base):
    """A page of an organisation's site that asks "Was this page useful?"."""

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("organisation_id", "url_hash", name="uq_page_url"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"))
    url: Mapped[str] = mapped_column(String(2000))
    url_hash: Mapped[str] = mapped_column(String(64))
    keep_query: Mapped[bool] = mapped_column(Boolean, default=False)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PageAnswer(Base):
    """One anonymous answer to "Was this page useful?" and its optional "what was missing" text (sealed)."""

    __tablename__ = "page_answer"
    __table_args__ = (
        UniqueConstraint("organisation_id", "client_ref", name="uq_page_answer_ref"),
        Index("ix_page_answer_page_answered", "page_id", "answered_at"),
        Index("ix_page_answer_answered_at", "answered_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(9))
    client_ref: Mapped[str] = mapped_column(String(64))
    page_id: Mapped[int] = mapped_column(BigId, ForeignKey("page.id"))
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    useful: Mapped[bool] = mapped_column(Boolean)
    locale: Mapped[str | None] = mapped_column(String(2))
    free_text: Mapped[bytes | None] = mapped_column(LargeBinary)


class PageAnswerHourly(Base):
    """How many answered yes and no on a page in one UTC hour."""

    __tablename__ = "page_answer_hourly"

    page_id: Mapped[int] = mapped_column(BigId, ForeignKey("page.id"), primary_key=True)
    hour: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
    yes: Mapped[int] = mapped_column(Integer, default=0)
    no: Mapped[int] = mapped_column(Integer, default=0)


PAGE_TABLE = cast(Table, Page.__table__)
ANSWER_TABLE = cast(Table, PageAnswer.__table__)
HOURLY_TABLE = cast(Table, PageAnswerHourly.__table__)
