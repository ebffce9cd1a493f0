"""Question sets per channel type: the channel types an organisation's own question is taken on
(question.channel_types, null = every type) and the channel wording an answer was given
(rating.wording_variant, e.g. "Kiosk.1"; null = the national wording). See federation/battery/question_sets.py.

Revision ID: 0022_question_sets
Revises: 0021_frozen_request_kpis
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_question_sets"
down_revision: str | None = "0021_frozen_request_kpis"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("channel_types", sa.String(length=200), nullable=True))
    with op.batch_alter_table("rating") as batch:
        batch.add_column(sa.Column("wording_variant", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rating") as batch:
        batch.drop_column("wording_variant")
    with op.batch_alter_table("question") as batch:
        batch.drop_column("channel_types")
