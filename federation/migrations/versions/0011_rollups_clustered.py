"""rollup_hourly clustered on SQLite (WITHOUT ROWID, key service, question, wording, hour, channel)

Live ingest writes every service's rows of an hour together, so in a rowid table one service's year of rollups is
spread over the whole file and a read of it touches a page per row. Stored WITHOUT ROWID, the table is the B-tree
of its primary key, whose columns are put in the order reads ask (service, question, wording version, hour range,
then channel): the rows a read needs are one contiguous range whatever the order they arrived in. PostgreSQL keeps
its heap and key (nothing changes there).

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


_KEY_FOR_WRITES = "PRIMARY KEY (service_id, channel_id, question_id, wording_version, hour)"
_KEY_FOR_READS = "PRIMARY KEY (service_id, question_id, wording_version, hour, channel_id)"


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
    old_key, new_key = _KEY_FOR_WRITES, _KEY_FOR_READS
    if with_rowid:
        old_key, new_key = new_key, old_key
    if old_key not in body:
        raise RuntimeError("rollup_hourly's primary key is not the one this migration expects; nothing was changed")
    body = body.replace(old_key, new_key)
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
