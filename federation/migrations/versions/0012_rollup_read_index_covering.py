"""PostgreSQL: the rollup read index carries every counter (INCLUDE), so window reads are index-only scans

Live ingest writes every service's rows of an hour together, so one service's year of rollups is spread over the
heap; reading it through the plain index visits a heap page per hour. With the counters in the index (INCLUDE),
a read of one service's question over a window is one contiguous index-only range (the visibility map is kept by
autovacuum). SQLite needs nothing: its table is clustered in read order (0011).

Revision ID: 0012_rollup_read_index_covering
Revises: 0011_rollups_clustered
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_rollup_read_index_covering"
down_revision: str | None = "0011_rollups_clustered"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ix_rollup_hourly_service_question_hour"
_KEY = ["service_id", "question_id", "wording_version", "hour"]
_INCLUDE = ["channel_id", *(f"c{v}" for v in range(11)), "skipped", "offered"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(_NAME, table_name="rollup_hourly")
    op.create_index(_NAME, "rollup_hourly", _KEY, postgresql_include=_INCLUDE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(_NAME, table_name="rollup_hourly")
    op.create_index(_NAME, "rollup_hourly", _KEY)
