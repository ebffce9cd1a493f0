"""rollup_hourly clustered by its key on SQLite (WITHOUT ROWID), so one service's window is contiguous

Live ingest writes every service's rows of an hour together, so in a rowid table one service's year of rollups is
spread over the whole file and a read of it touches a page per row. Stored WITHOUT ROWID, the table is the B-tree
of its primary key (service, channel, question, wording version, hour): the rows a read needs sit together
whatever the order they arrived in. PostgreSQL keeps its heap (nothing changes there).

Revision ID: 0011_rollups_clustered
Revises: 0007_analytics
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_rollups_clustered"
down_revision: str | None = "0007_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(with_rowid: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    (table_sql,) = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'rollup_hourly'").one()
    indexes = [sql for (sql,) in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rollup_hourly' AND sql IS NOT NULL")]
    body = table_sql.rstrip().removesuffix("WITHOUT ROWID").rstrip()
    body = body.replace("rollup_hourly", "rollup_hourly_rebuilt", 1)
    bind.exec_driver_sql(body if with_rowid else f"{body} WITHOUT ROWID")
    bind.exec_driver_sql("INSERT INTO rollup_hourly_rebuilt SELECT * FROM rollup_hourly")
    bind.exec_driver_sql("DROP TABLE rollup_hourly")
    bind.exec_driver_sql("ALTER TABLE rollup_hourly_rebuilt RENAME TO rollup_hourly")
    for sql in indexes:
        bind.exec_driver_sql(sql)


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
