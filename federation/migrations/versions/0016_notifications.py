"""notify_subscription and notify_outbox: organisations' e-mail and webhook notifications and their outbox

Revision ID: 0016_notifications
Revises: 0015_feedback_themes
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_notifications"
down_revision: str | None = "0015_feedback_themes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notify_subscription",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("target_hash", sa.String(length=64), nullable=False),
        sa.Column("target_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("target_hint", sa.String(length=120), nullable=False),
        sa.Column("secret_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("digest", sa.String(length=8), nullable=True),
        sa.Column("alert_kinds", sa.JSON(), nullable=False),
        sa.Column("locale", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.business_id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "channel", "target_hash", name="uq_notify_target"),
    )
    with op.batch_alter_table("notify_subscription", schema=None) as batch_op:
        batch_op.create_index("ix_notify_subscription_organisation_id", ["organisation_id"], unique=False)
    op.create_table(
        "notify_outbox",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("subscription_id", _ID, nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error_code", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["notify_subscription.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "dedupe_key", name="uq_notify_outbox_dedupe"),
    )
    with op.batch_alter_table("notify_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_notify_outbox_due", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notify_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_notify_outbox_due")
    op.drop_table("notify_outbox")
    with op.batch_alter_table("notify_subscription", schema=None) as batch_op:
        batch_op.drop_index("ix_notify_subscription_organisation_id")
    op.drop_table("notify_subscription")
