"""citizen flow: question weights, driver rollups, rating-ticket keys and used tickets

Revision ID: 0003_citizen_flow
Revises: 0001
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_citizen_flow"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "question_weight",
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.business_id"]),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"]),
        sa.PrimaryKeyConstraint("organisation_id", "service_id", "channel_id", "question_id"),
    )
    op.create_table(
        "rollup_driver_hourly",
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("wording_version", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("driver", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "channel_id", "question_id", "wording_version", "hour",
                                "polarity", "driver"),
    )
    op.create_table(
        "ticket_key",
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sealed_secret", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.business_id"]),
        sa.PrimaryKeyConstraint("organisation_id", "version"),
    )
    op.create_table(
        "ticket_use",
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "nonce"),
    )
    with op.batch_alter_table("ticket_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_use_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_use_expires_at"))
    op.drop_table("ticket_use")
    op.drop_table("ticket_key")
    op.drop_table("rollup_driver_hourly")
    op.drop_table("question_weight")
