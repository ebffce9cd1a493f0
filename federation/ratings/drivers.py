"""Follow-up drivers as a rating row stores them: the chosen driver codes, comma-joined and sorted.

The driver rollups ("what went well / what didn't" per service and hour) are written and read in
federation/rollups/writing.py (``DriverDelta``) and federation/rollups/reading.py (``read_driver_counts``).
"""

from __future__ import annotations


def split_drivers(stored: str | None) -> tuple[str, ...]:
    """The driver codes of a rating row (stored comma-joined, sorted)."""
    return tuple(d for d in (stored or "").split(",") if d)
