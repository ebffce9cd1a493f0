"""publication and publication_score: numbered, frozen publications of a period's published scores

Revision ID: 0006_publication
Revises: 0001
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_publication"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Enum("draft", "published", name="publicationstatus", native_enum=False, length=20),
                  nullable=False),
        sa.Column("publication_threshold", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("replaces_number", sa.Integer(), nullable=True),
        sa.Column("changelog", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_period"), ["period"], unique=False)

    slots = [sa.Column(f"c{v}", sa.Integer(), nullable=False) for v in range(11)]
    op.create_table(
        "publication_score",
        sa.Column("publication_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("wording_version", sa.Integer(), nullable=False),
        *slots,
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["publication.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("publication_id", "service_id", "channel_id", "question_id", "wording_version"),
    )
    with op.batch_alter_table("publication_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_score_service_id"), ["service_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("publication_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_score_service_id"))
    op.drop_table("publication_score")
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_period"))
    op.drop_table("publication")
