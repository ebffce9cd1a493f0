"""Follow-up drivers: the multiple-choice reasons behind an answer ("what went well / what didn't")."""

from __future__ import annotations

DRIVERS: tuple[str, ...] = (
    "effectiveness", "ease", "efficiency", "transparency", "language", "staff", "other",
)
"""Driver codes (after US A-11 §280 and the national concept); the codes are API contract."""

MAX_FREE_TEXT = 2000
"""Longest free text accepted, in characters."""
