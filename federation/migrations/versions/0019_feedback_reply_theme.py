"""feedback_reply.theme: group replies to the answers whose free text mentions a feedback theme

Revision ID: 0019_feedback_reply_theme
Revises: 0018_shared_state
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_feedback_reply_theme"
down_revision: str | None = "0018_shared_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_reply", schema=None) as batch_op:
        batch_op.add_column(sa.Column("theme", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback_reply", schema=None) as batch_op:
        batch_op.drop_column("theme")
