"""feedback_state, feedback_note, feedback_reply, feedback_receipt: the organisations' feedback inbox, their public
replies and the citizen's receipt codes (hashes only)

Revision ID: 0014_feedback
Revises: 0013_one_history
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_feedback"
down_revision: str | None = "0013_one_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feedback_state",
        sa.Column("rating_id", _ID, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("handler", sa.String(length=40), nullable=True),
        sa.Column("updated_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("rating_id"),
    )
    op.create_table(
        "feedback_note",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("rating_id", _ID, nullable=False),
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("sealed_text", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feedback_note_rating", "feedback_note", ["rating_id", "id"], unique=False)
    op.create_table(
        "feedback_reply",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=9), nullable=False),
        sa.Column("rating_id", _ID, nullable=True),
        sa.Column("driver", sa.String(length=20), nullable=True),
        sa.Column("band", sa.String(length=8), nullable=True),
        sa.Column("group_from", sa.Date(), nullable=True),
        sa.Column("group_to", sa.Date(), nullable=True),
        sa.Column("answer_count", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("event_id", _ID, nullable=True),
        sa.Column("published_at", _AT, nullable=False),
        sa.Column("withdrawn_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.business_id"]),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["service_event.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feedback_reply_service", "feedback_reply", ["service_id", "id"], unique=False)
    op.create_index("ix_feedback_reply_rating_id", "feedback_reply", ["rating_id"], unique=False)
    op.create_table(
        "feedback_receipt",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("rating_id", _ID, nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code_hash"),
        sa.UniqueConstraint("rating_id"),
    )


def downgrade() -> None:
    op.drop_table("feedback_receipt")
    op.drop_index("ix_feedback_reply_rating_id", table_name="feedback_reply")
    op.drop_index("ix_feedback_reply_service", table_name="feedback_reply")
    op.drop_table("feedback_reply")
    op.drop_index("ix_feedback_note_rating", table_name="feedback_note")
    op.drop_table("feedback_note")
    op.drop_table("feedback_state")
