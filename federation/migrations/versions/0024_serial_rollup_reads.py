"""rollup_hourly, rollup_driver_hourly: no parallel scans on PostgreSQL (one service's window is a short index-only
scan; starting parallel workers for it cost more than the scan)

PostgreSQL estimates a busy service's window from independent column statistics: for a service with years of
history on several questions it expects about ten times the rows the window holds, and then plans a parallel
index-only scan whose two worker processes take longer to start than the scan takes alone. EXPLAIN ANALYZE of the
score read on bench/flat.py's PostgreSQL databases (~10 M ratings' worth of rollups): 10.9 ms with the workers,
6.3 ms without; the same read at ~10 k ratings' worth, 5.1 ms. The storage parameter ``parallel_workers = 0`` keeps
scans of these tables in the backend that runs the query. The trade: a whole-table aggregate (the catalogue export,
comparisons across every service) no longer borrows extra cores, which on a shared database server would be taken
from concurrent requests anyway. SQLite has no such planner choice: nothing changes there.

Revision ID: 0024_serial_rollup_reads
Revises: 0023_pages
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0024_serial_rollup_reads"
down_revision: str | None = "0023_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("rollup_hourly", "rollup_driver_hourly")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} SET (parallel_workers = 0)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} RESET (parallel_workers)")
