"""Hourly contacts: a weekday × hour heatmap of contacts received and the peak hours. Pure functions.

Hourly counts are reported per local clock hour 0–23 of a reporting day in Finland (``HOURS_PER_DAY`` in
federation/volumes/contract.py), so a cell is "Monday 8–9" as the service desk's wall clock shows it, like the
ratings heatmap of federation/analytics/heatmap.py (weekday 1 = Monday … 7 = Sunday). A cell carries the contacts
of every such hour in the window and the number of days of its weekday that reported hourly counts (``days``,
whatever the number of channels), so its average is contacts per reported day. Sums and sets of days do not depend
on order, so neither report order nor batching changes a cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from federation.volumes.contract import HOURS_PER_DAY

WEEKDAYS = range(1, 8)
HOURS = range(HOURS_PER_DAY)
Cell = tuple[int, int]
"""(ISO weekday 1–7, local hour 0–23)."""


@dataclass
class HourlyContacts:
    """Hourly contacts summed per weekday × hour cell, and the days that reported them."""

    contacts: dict[Cell, int] = field(default_factory=dict)
    dates: set[dt.date] = field(default_factory=set)
    """The days with hourly counts (of any channel)."""
    resolved: dict[Cell, int] = field(default_factory=dict)
    """Contacts resolved at the first contact, from the channel-days that reported them per hour."""
    with_resolved: dict[Cell, int] = field(default_factory=dict)
    """Contacts of those same channel-days (the denominator of a cell's first-contact resolution)."""

    def add_day(self, day: dt.date, counts: Sequence[int], resolved: Sequence[int] | None = None) -> None:
        """Add one channel-day's 24 hourly counts (and, if reported, its 24 resolved at first contact)."""
        weekday = day.isoweekday()
        self.dates.add(day)
        _add(self.contacts, weekday, counts)
        if resolved is not None:
            _add(self.resolved, weekday, resolved)
            _add(self.with_resolved, weekday, counts)

    @property
    def days(self) -> dict[int, int]:
        """How many days of each weekday reported hourly counts."""
        counted: dict[int, int] = {}
        for day in self.dates:
            counted[day.isoweekday()] = counted.get(day.isoweekday(), 0) + 1
        return counted

    @property
    def total(self) -> int:
        """Contacts of every cell."""
        return sum(self.contacts.values())


def _add(target: dict[Cell, int], weekday: int, counts: Sequence[int]) -> None:
    for hour, count in enumerate(counts):
        target[(weekday, hour)] = target.get((weekday, hour), 0) + count


@dataclass(frozen=True)
class ContactCell:
    """One weekday × hour cell of the contacts heatmap."""

    weekday: int
    hour: int
    contacts: int
    days: int
    share: float | None
    """The cell's contacts / all hourly contacts of the window (None without any)."""
    resolved: int = 0
    with_resolved: int = 0

    @property
    def first_contact_resolution(self) -> float | None:
        """Resolved at first contact / contacts, over the channel-days reporting both per hour (None without)."""
        return self.resolved / self.with_resolved if self.with_resolved else None

    @property
    def average(self) -> float:
        """Contacts per reported day of the cell's weekday (0 when none was reported)."""
        return self.contacts / self.days if self.days else 0.0


def contacts_heatmap(hourly: HourlyContacts) -> list[ContactCell]:
    """All 168 cells, Monday 0–1 first (cells without reports hold 0)."""
    total, days = hourly.total, hourly.days
    return [ContactCell(d, h, n := hourly.contacts.get((d, h), 0), days.get(d, 0),
                        n / total if total else None, hourly.resolved.get((d, h), 0),
                        hourly.with_resolved.get((d, h), 0)) for d in WEEKDAYS for h in HOURS]


def peak_hours(cells: Iterable[ContactCell], top: int = 3) -> list[ContactCell]:
    """The ``top`` cells with the most contacts (earliest in the week first on ties); cells without contacts never
    count as peaks."""
    busy = [c for c in cells if c.contacts > 0]
    return sorted(busy, key=lambda c: (-c.contacts, c.weekday, c.hour))[:max(0, top)]

