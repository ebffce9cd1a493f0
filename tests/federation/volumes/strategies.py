"""Hypothesis strategies for volume reports: figures that pass validation, for a channel kind."""

from __future__ import annotations

from hypothesis import strategies as st

from federation.volumes.contract import DayFigures, WaitBuckets


@st.composite
def waits_of(draw: st.DrawFn, total: int) -> WaitBuckets:
    """Four bucket counts adding up to ``total``."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=3, max_size=3)))
    a, b, c = cuts
    return WaitBuckets(a, b - a, c - b, total - c)


@st.composite
def valid_figures(draw: st.DrawFn, contacts: bool = True) -> DayFigures:
    """A day's figures that validation accepts (contact figures only when ``contacts``)."""
    completed = draw(st.none() | st.integers(0, 5000))
    started = None
    if completed is not None and draw(st.booleans()):
        started = completed + draw(st.integers(0, 2000))
    cost = draw(st.none() | st.integers(0, 10_000_000))
    if not contacts or draw(st.booleans()):
        if completed is None and cost is None:
            completed = draw(st.integers(0, 5000))
        return DayFigures(completed, started, cost_cents=cost)
    received = draw(st.integers(0, 3000))
    answered = draw(st.none() | st.integers(0, received))
    left = received - (answered or 0)
    callbacks = draw(st.none() | st.integers(0, left))
    left -= callbacks or 0
    abandoned = draw(st.none() | st.integers(0, left))
    waits = draw(st.none() | waits_of(answered)) if answered is not None else None
    return DayFigures(completed, started, received, answered, callbacks, abandoned, waits, cost)
