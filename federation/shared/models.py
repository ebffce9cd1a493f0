"""The tables of state shared by every app host (migration 0018_shared_state in federation/migrations/versions/).

``rate_bucket`` holds one token bucket per caller key, so a caller's allowance is spent across every host
(:mod:`federation.shared.buckets`). ``score_stamp`` holds one version per service, bumped in the transaction that
changes its rollups, so a host knows whether the score it cached, or the replica it reads, is older than a write
another host committed (:mod:`federation.shared.stamps`).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base


class RateBucket(Base):
    """One caller's token bucket: tokens left at ``at`` (database epoch seconds), and the last grant."""

    __tablename__ = "rate_bucket"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, nullable=False)
    at: Mapped[float] = mapped_column(Float, nullable=False)
    granted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class ScoreStamp(Base):
    """The version of a service's scores: bumped with every committed change of its rollups' answers."""

    __tablename__ = "score_stamp"

    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
