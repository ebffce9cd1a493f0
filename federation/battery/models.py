"""Tables of the question battery: questions and their versioned wordings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Enum, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from federation.battery.scales import Scale
from federation.db import Base, UTCDateTime


class Question(Base):
    """A main question: national (no owner, changed only by an admin) or an organisation's own."""

    __tablename__ = "question"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    owner_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.business_id"), index=True
    )
    scale: Mapped[Scale] = mapped_column(Enum(Scale, native_enum=False, length=20))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    channel_types: Mapped[str | None] = mapped_column(String(200))
    """An own question's channel types, comma-separated ``ChannelType`` values; null for every type (national
    questions follow federation/battery/question_sets.py)."""


class QuestionVersion(Base):
    """One wording of a question; a score always states the wording version it was collected under."""

    __tablename__ = "question_version"

    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_fi: Mapped[str] = mapped_column(Text)
    text_sv: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class QuestionWeight(Base):
    """An organisation's rotation weight for a question: organisation-wide, or per service and/or channel.

    The empty string means "any" for service and channel (no NULLs in the key). See ``battery.rotation``.
    """

    __tablename__ = "question_weight"

    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
