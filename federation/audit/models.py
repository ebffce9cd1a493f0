"""The audit_event table: who did what, when; never a raw identifier."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, BigId, UTCDateTime


class AuditEvent(Base):
    """One audited action (registrations, token issue, erasure, researcher queries…)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80), index=True)
    subject: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
