"""The table of an organisation's own names and merges of feedback themes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, UTCDateTime


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
