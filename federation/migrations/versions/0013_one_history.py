"""One history: merge the six branches that grew from 0001 (citizen flow, privacy, research and researchers,
publication and its KPIs, analytics and the clustered rollups, service volumes); from here on every revision has
exactly one parent (tests/federation/test_migrations.py checks there is one head).

The branches touched disjoint tables, so applying them in any order gave the same schema; the merge changes
nothing in the database.

Revision ID: 0013_one_history
Revises: 0003_citizen_flow, 0004_privacy, 0008_service_volumes, 0009_publication_kpis, 0010_researchers,
         0012_rollup_read_index_covering
"""
from __future__ import annotations

from collections.abc import Sequence

revision: str = "0013_one_history"
down_revision: str | Sequence[str] | None = (
    "0003_citizen_flow", "0004_privacy", "0008_service_volumes", "0009_publication_kpis", "0010_researchers",
    "0012_rollup_read_index_covering",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the merge only joins the histories."""


def downgrade() -> None:
    """Nothing to change: downgrading splits the history again."""
