"""feedback_theme_setting: organisations' own labels and merges of the seed feedback themes

Revision ID: 0015_feedback_themes
Revises: 0014_feedback
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_feedback_themes"
down_revision: str | None = "0014_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_theme_setting",
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("theme_key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=True),
        sa.Column("merged_into", sa.String(length=40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.business_id"]),
        sa.PrimaryKeyConstraint("organisation_id", "theme_key"),
    )


def downgrade() -> None:
    op.drop_table("feedback_theme_setting")
