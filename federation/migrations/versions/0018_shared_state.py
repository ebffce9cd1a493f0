"""State shared by every app host: ``rate_bucket`` (one token bucket per caller key, so a rate limit holds across
hosts) and ``score_stamp`` (a version per service, bumped with every change of its answers, so hosts invalidate
cached public scores and notice a lagging replica). Models: federation/shared/models.py.

Revision ID: 0018_shared_state
Revises: 0017_event_drivers
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_shared_state"
down_revision: str | Sequence[str] | None = "0017_event_drivers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables (empty: a missing bucket is a full one, a missing stamp is version 0)."""
    op.create_table(
        "rate_bucket",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("granted", sa.Integer(), nullable=False),
    )
    op.create_table(
        "score_stamp",
        sa.Column("service_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("score_stamp")
    op.drop_table("rate_bucket")
