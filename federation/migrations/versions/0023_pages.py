"""page, page_answer, page_answer_hourly: "Was this page useful?" on an organisation's own pages

Revision ID: 0023_pages
Revises: 0022_question_sets
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_pages"
down_revision: str | None = "0022_question_sets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "page",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("keep_query", sa.Boolean(), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.business_id"]),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "url_hash", name="uq_page_url"),
    )
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.create_index("ix_page_service_id", ["service_id"], unique=False)
    op.create_table(
        "page_answer",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("client_ref", sa.String(length=64), nullable=False),
        sa.Column("page_id", _ID, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=2), nullable=True),
        sa.Column("free_text", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["page_id"], ["page.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "client_ref", name="uq_page_answer_ref"),
    )
    with op.batch_alter_table("page_answer", schema=None) as batch_op:
        batch_op.create_index("ix_page_answer_page_answered", ["page_id", "answered_at"], unique=False)
        batch_op.create_index("ix_page_answer_answered_at", ["answered_at"], unique=False)
    op.create_table(
        "page_answer_hourly",
        sa.Column("page_id", _ID, nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["page.id"]),
        sa.PrimaryKeyConstraint("page_id", "hour"),
    )


def downgrade() -> None:
    op.drop_table("page_answer_hourly")
    with op.batch_alter_table("page_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_page_answer_answered_at")
        batch_op.drop_index("ix_page_answer_page_answered")
    op.drop_table("page_answer")
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index("ix_page_service_id")
    op.drop_table("page")
