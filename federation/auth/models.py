"""The api_token table: bearer tokens stored only as hashes."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, UTCDateTime


class Role(enum.Enum):
    """What a token may do. The names are part of the public API contract."""

    ORGANISATION = "ORGANISATION"
    PUBLISHER = "PUBLISHER"
    RESEARCHER = "RESEARCHER"
    ADMIN = "ADMIN"


class ApiToken(Base):
    """A bearer token: random, shown once at issue, kept only as its SHA-256 hash."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisation.business_id"))
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
