"""publication_kpi: first-contact resolution and the e-request queue frozen with a publication (as the live KPIs
carry them)

Revision ID: 0021_frozen_request_kpis
Revises: 0020_hourly_volumes
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0021_frozen_request_kpis"
down_revision: str | None = "0020_hourly_volumes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("first_contact_resolved", sa.BigInteger(), nullable=True),
        sa.Column("first_contact_resolution_numerator", sa.BigInteger(), nullable=True),
        sa.Column("first_contact_resolution_denominator", sa.BigInteger(), nullable=True),
        sa.Column("queue", sa.JSON(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("publication_kpi") as batch:
        for column in _columns():
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("publication_kpi") as batch:
        for column in reversed(_columns()):
            batch.drop_column(column.name)
