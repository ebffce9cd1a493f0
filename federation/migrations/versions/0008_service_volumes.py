"""service_volume_daily: reported transactions, contacts, waits and cost per service, day and channel

Revision ID: 0008_service_volumes
Revises: 0001
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_service_volumes"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = ("transactions_completed", "transactions_started", "contacts_received", "contacts_answered_directly",
           "callbacks", "contacts_abandoned", "wait_under_1", "wait_1_to_5", "wait_5_to_15", "wait_over_15")


def upgrade() -> None:
    op.create_table(
        "service_volume_daily",
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in _COUNTS),
        sa.Column("cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "day", "channel_id"),
    )


def downgrade() -> None:
    op.drop_table("service_volume_daily")
