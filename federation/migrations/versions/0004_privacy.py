"""privacy: the bounded demographic cube (demographic_cell) and erasure receipts

Revision ID: 0004_privacy
Revises: 0001
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_privacy"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = ("service_id", "question_id", "wording_version", "quarter", "age_band", "region", "language", "gender")


def upgrade() -> None:
    op.create_table(
        "demographic_cell",
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("wording_version", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("gender", sa.String(length=12), nullable=False),
        *(sa.Column(f"c{v}", sa.Integer(), nullable=False) for v in range(11)),
        sa.PrimaryKeyConstraint(*_KEY),
    )
    op.create_table(
        "erasure_receipt",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("organisation_scope", sa.String(length=9), nullable=True),
        sa.Column("service_scope", sa.String(length=36), nullable=True),
        sa.Column("ratings_deleted", sa.Integer(), nullable=False),
        sa.Column("domains_affected", sa.Integer(), nullable=False),
        sa.Column("key_versions_searched", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )
    with op.batch_alter_table("erasure_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_receipt_erased_at"), ["erased_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_erasure_receipt_organisation_scope"), ["organisation_scope"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("erasure_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_receipt_organisation_scope"))
        batch_op.drop_index(batch_op.f("ix_erasure_receipt_erased_at"))
    op.drop_table("erasure_receipt")
    op.drop_table("demographic_cell")
