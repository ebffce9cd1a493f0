"""The table of service change events ("you said, we did")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime
from federation.ratings.models import SLOT_COLUMNS, RollupHourly


class ServiceEvent(Base):
    """A change an organisation made to a service, on a local date, described in fi (and sv, en).

    Public events are published with the scores as the "you said, we did" log; internal ones are seen only by
    the organisations registered for the service (and admins). The service id leads the index, like every hot key.
    """

    __tablename__ = "service_event"
    __table_args__ = (Index("ix_service_event_service_date", "service_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    description_fi: Mapped[str] = mapped_column(Text)
    description_sv: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


ROLLUP_READ_INDEX = Index(
    "ix_rollup_hourly_service_question_hour",
    RollupHourly.service_id, RollupHourly.question_id, RollupHourly.wording_version, RollupHourly.hour,
    postgresql_include=["channel_id", *SLOT_COLUMNS, "skipped", "offered"],
)
"""Reads of one service's question over a window (scores, series, heatmap, impacts). The primary key puts the
channel second, so without this index a read scans every channel, question and hour ever kept for the service —
a cost that grows with history. Declared here (with migration 0007) to keep the analytics' needs in one place.
On PostgreSQL it carries every counter (``INCLUDE``, migration 0012), so a read is an index-only scan of one
contiguous range instead of a visit to a heap page per hour (live ingest scatters one service's rows over the
heap); on SQLite the table itself is clustered in read order (migration 0011)."""
