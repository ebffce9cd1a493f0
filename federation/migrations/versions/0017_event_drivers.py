"""Service events cite what they answer: the driver codes and (optional) theme keys of a "you said, we did" change.

Both are comma-joined short codes, validated on recording (federation/analytics/events.py); NULL means none.

Revision ID: 0017_event_drivers
Revises: 0016_notifications
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_event_drivers"
down_revision: str | Sequence[str] | None = "0016_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two nullable columns (no rewrite of existing rows)."""
    with op.batch_alter_table("service_event") as batch:
        batch.add_column(sa.Column("drivers", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("theme_keys", sa.String(length=700), nullable=True))


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("service_event") as batch:
        batch.drop_column("theme_keys")
        batch.drop_column("drivers")
