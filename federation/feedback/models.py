"""Tables of the feedback loop: the handling state of a feedback item, internal notes, public replies and the
citizen's receipt codes (stored as hashes only); and an organisation's own names and merges of feedback themes.

A feedback item is a rating row with a follow-up (federation/ratings/models.py); every row here that names one
is deleted with it (``ON DELETE CASCADE``: erasure and retention delete ratings in bulk).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime


class FeedbackState(Base):
    """Where the handling of one feedback item stands; no row means RECEIVED with no handler."""

    __tablename__ = "feedback_state"

    rating_id: Mapped[int] = mapped_column(BigId, ForeignKey("rating.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    handler: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class FeedbackNote(Base):
    """An internal note on a feedback item, sealed like the free text (read by the service's organisations)."""

    __tablename__ = "feedback_note"
    __table_args__ = (Index("ix_feedback_note_rating", "rating_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    rating_id: Mapped[int] = mapped_column(BigId, ForeignKey("rating.id", ondelete="CASCADE"))
    organisation_id: Mapped[str] = mapped_column(String(9))
    sealed_text: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class FeedbackReply(Base):
    """A public reply of an organisation: to one feedback item (``rating_id``) or to a group of a service's answers
    — those with ``driver``, or whose free text mentions the feedback ``theme`` — on local days ``group_from`` …
    ``group_to`` (``answer_count`` computed when published)."""

    __tablename__ = "feedback_reply"
    __table_args__ = (Index("ix_feedback_reply_service", "service_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"))
    rating_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("rating.id", ondelete="CASCADE"), index=True)
    driver: Mapped[str | None] = mapped_column(String(20))
    theme: Mapped[str | None] = mapped_column(String(40))
    band: Mapped[str | None] = mapped_column(String(8))
    group_from: Mapped[dt.date | None] = mapped_column(Date)
    group_to: Mapped[dt.date | None] = mapped_column(Date)
    answer_count: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    event_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("service_event.id", ondelete="SET NULL"))
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class FeedbackReceipt(Base):
    """A citizen's receipt code, kept only as its SHA-256; it opens ``/r/<code>`` for one rating."""

    __tablename__ = "feedback_receipt"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    rating_id: Mapped[int] = mapped_column(BigId, ForeignKey("rating.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class FeedbackThemeSetting(Base):
    """How one organisation shows one seed theme: its own label, or the theme it was merged into.

    Keys are seed theme keys (``federation/feedback/vocabulary.py``); a row with neither a label nor a merge is
    deleted rather than kept. ``merged_into`` never names a theme that is itself merged (no chains:
    ``federation/feedback/service.py``).
    """

    __tablename__ = "feedback_theme_setting"

    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"), primary_key=True)
    theme_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str | None] = mapped_column(String(80))
    merged_into: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))
