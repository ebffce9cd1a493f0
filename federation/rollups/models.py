"""The rollup tables: per-hour answer histograms (``rollup_hourly``) and follow-up driver counts
(``rollup_driver_hourly``), with the index the reads use.

Declarations only (no I/O). Table names, columns and indexes are fixed by the migrations (0001, 0007, 0011, 0012 in
federation/migrations/versions/); tests/federation/test_migrations.py checks that they still match.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, UTCDateTime
from federation.rollups.slots import SLOT_COLUMNS, HistogramCounts

NO_CHANNEL = ""
"""Rollups key "no channel given" as the empty string, so the key has no NULLs and upserts can match it."""


class RollupHourly(HistogramCounts, Base):
    """Counts per answer value for one (service, channel, question, wording version, hour).

    Slot ``cN`` counts answers with value N (every scale's values fit in 0..10); ``skipped`` counts exposures that
    were skipped and ``offered`` counts question draws. The service id leads the key so the table can later be
    partitioned by time and sharded by service; on SQLite the table is stored WITHOUT ROWID, clustered by the key in
    the order reads ask (service, question, wording version, hour, channel; migration 0011), so one service's window
    is one contiguous range whatever order live ingest wrote it in.
    """

    __tablename__ = "rollup_hourly"
    __table_args__ = {"sqlite_with_rowid": False}

    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    wording_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    hour: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    offered: Mapped[int] = mapped_column(Integer, default=0)


ROLLUP_READ_INDEX = Index(
    "ix_rollup_hourly_service_question_hour",
    RollupHourly.service_id, RollupHourly.question_id, RollupHourly.wording_version, RollupHourly.hour,
    postgresql_include=["channel_id", *SLOT_COLUMNS, "skipped", "offered"],
)
"""Reads of one service's question over a window (scores, series, heatmap, impacts). The primary key puts the
channel second, so without this index a read scans every channel, question and hour ever kept for the service —
a cost that grows with history. Added by migration 0007 for the analytics' reads. On PostgreSQL it carries every
counter (``INCLUDE``, migration 0012), so a read is an index-only scan of one contiguous range instead of a visit
to a heap page per hour (live ingest scatters one service's rows over the heap); on SQLite the table itself is
clustered in read order (migration 0011). Both rollup tables have ``parallel_workers = 0`` on PostgreSQL
(migration 0024): a window's scan is too short to pay for starting parallel workers."""


class RollupDriverHourly(Base):
    """Follow-up driver counts ("what went well / what didn't") keyed like ``rollup_hourly`` plus polarity.

    ``polarity`` is the answer's band (POSITIVE, NEUTRAL, NEGATIVE; ``battery.followups.band_of``) and ``driver``
    a driver code; ``count`` is how many accepted answers in that hour chose the driver. Updated in the ingest
    transaction, like the answer histograms.
    """

    __tablename__ = "rollup_driver_hourly"

    service_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    wording_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    hour: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
    polarity: Mapped[str] = mapped_column(String(10), primary_key=True)
    driver: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
