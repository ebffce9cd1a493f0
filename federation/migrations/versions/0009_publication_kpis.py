"""publication_kpi: the published KPIs of each service, frozen with a publication

Revision ID: 0009_publication_kpis
Revises: 0006_publication
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_publication_kpis"
down_revision: str | None = "0006_publication"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = ("transactions", "digital_transactions", "transactions_started", "contacts_received",
           "contacts_answered_directly", "callbacks", "contacts_abandoned", "ratings_answered", "ratings_skipped",
           "ratings_covered", "wait_under_1", "wait_1_to_5", "wait_5_to_15", "wait_over_15")
_SHARES = ("digital_take_up", "completion_rate", "answered_directly_share", "callback_share", "abandonment_rate",
           "coverage", "response_rate")


def upgrade() -> None:
    op.create_table(
        "publication_kpi",
        sa.Column("publication_number", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("channel_days", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=True) for name in _COUNTS),
        *(sa.Column(f"{name}_{part}", sa.BigInteger(), nullable=True)
          for name in _SHARES for part in ("numerator", "denominator")),
        sa.Column("median_wait_minutes", sa.Float(), nullable=True),
        sa.Column("median_wait_open_ended", sa.Boolean(), nullable=True),
        sa.Column("p90_wait_minutes", sa.Float(), nullable=True),
        sa.Column("p90_wait_open_ended", sa.Boolean(), nullable=True),
        sa.Column("cost_per_transaction", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["publication_number"], ["publication.number"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("publication_number", "service_id"),
    )
    with op.batch_alter_table("publication_kpi", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_kpi_service_id"), ["service_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("publication_kpi", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_kpi_service_id"))
    op.drop_table("publication_kpi")
