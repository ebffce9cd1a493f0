"""What durable commits cost on SQLite: ``synchronous=FULL`` (arvio's setting) against ``NORMAL``, in WAL mode.

Commits batches of rating-shaped rows (1 000 per commit, as a submitRatings batch, and 1 per commit, as a widget
answer) into a file database, alternating the two settings round by round, and prints rows per second of each
and the ratio FULL / NORMAL as min / median / max over the rounds.

    .venv/bin/python bench/durability.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

TABLE = ("CREATE TABLE rating (id INTEGER PRIMARY KEY, client_ref TEXT NOT NULL UNIQUE, service_id TEXT NOT NULL, "
         "value INTEGER, answered_at TEXT NOT NULL)")


def rate(directory: Path, synchronous: str, batch: int, rows: int) -> float:
    path = directory / f"{synchronous}-{uuid.uuid4().hex}.db"
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute(TABLE)
    data = [(uuid.uuid4().hex, "6a8c5d4e-1f2b-4c3d-9e8f-7a6b5c4d3e2f", 1 + i % 5, "2026-03-16T11:00:00+00:00")
            for i in range(rows)]
    start = time.perf_counter()
    for i in range(0, rows, batch):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO rating (client_ref, service_id, value, answered_at) VALUES (?,?,?,?)",
                         data[i:i + batch])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for batch, rows in ((1000, 20_000), (1, 500)):
            ratios, full_rates, normal_rates = [], [], []
            for _ in range(args.rounds):
                normal = rate(Path(tmp), "NORMAL", batch, rows)
                full = rate(Path(tmp), "FULL", batch, rows)
                normal_rates.append(normal)
                full_rates.append(full)
                ratios.append(full / normal)
            print(f"batch {batch:>4}: NORMAL median {statistics.median(normal_rates):,.0f} rows/s, FULL median "
                  f"{statistics.median(full_rates):,.0f} rows/s; FULL/NORMAL min {min(ratios):.2f} median "
                  f"{statistics.median(ratios):.2f} max {max(ratios):.2f} ({args.rounds} rounds)")


if __name__ == "__main__":
    main()
