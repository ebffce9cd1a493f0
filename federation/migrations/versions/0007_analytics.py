"""service_event: service changes recorded by organisations ("you said, we did"); an index for window reads

Revision ID: 0007_analytics
Revises: 0001
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_analytics"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description_fi", sa.Text(), nullable=False),
        sa.Column("description_sv", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.business_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_event", schema=None) as batch_op:
        batch_op.create_index("ix_service_event_service_date", ["service_id", "occurred_on"], unique=False)
    with op.batch_alter_table("rollup_hourly", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_hourly_service_question_hour",
                              ["service_id", "question_id", "wording_version", "hour"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rollup_hourly", schema=None) as batch_op:
        batch_op.drop_index("ix_rollup_hourly_service_question_hour")
    with op.batch_alter_table("service_event", schema=None) as batch_op:
        batch_op.drop_index("ix_service_event_service_date")
    op.drop_table("service_event")
