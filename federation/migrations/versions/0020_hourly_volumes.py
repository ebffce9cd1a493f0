"""service_volume_daily: hourly contacts (JSON lists of 24 counts, local clock hours 0–23), first-contact resolution,
e-request queues (received, resolved, end-of-day backlog and its age buckets)

Revision ID: 0020_hourly_volumes
Revises: 0019_feedback_reply_theme
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0020_hourly_volumes"
down_revision: str | None = "0019_feedback_reply_theme"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None



def _columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("hourly_contacts", sa.JSON(), nullable=True),
        sa.Column("first_contact_resolved", sa.Integer(), nullable=True),
        sa.Column("hourly_first_contact_resolved", sa.JSON(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in (
            "requests_received", "requests_resolved", "requests_backlog", "backlog_under_1d", "backlog_1_to_3d",
            "backlog_3_to_7d", "backlog_7_to_14d", "backlog_over_14d")),
    ]


def upgrade() -> None:
    with op.batch_alter_table("service_volume_daily") as batch:
        for column in _columns():
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("service_volume_daily") as batch:
        for column in reversed(_columns()):
            batch.drop_column(column.name)
