"""The table of service change events ("you said, we did")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime


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
    drivers: Mapped[str | None] = mapped_column(String(200))
    """Driver codes the change answers (federation/battery/followups.py DRIVERS), comma-joined; NULL: none."""
    theme_keys: Mapped[str | None] = mapped_column(String(700))
    """Keys of the feedback themes the change answers, comma-joined (validated short strings); NULL: none."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
