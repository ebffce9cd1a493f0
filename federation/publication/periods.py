"""Publication periods: a year, quarter or month, named like ``2026``, ``2026-Q1`` or ``2026-03`` (UTC)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from federation.errors import DomainError, PublicationCode

_QUARTER = re.compile(r"^(\d{4})\s*[-_ ]?\s*[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A named, half-open period [start, end) in UTC; ``label`` is its canonical name."""

    label: str
    start: dt.datetime
    end: dt.datetime

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026``, ``2026-Q1`` (also ``2026 Q1``, ``2026Q1``) or ``2026-03``; refuses anything else."""
        raw = text.strip()
        if match := _QUARTER.match(raw):
            year, quarter = int(match[1]), int(match[2])
            start = _utc(year, 3 * quarter - 2)
            return cls(f"{year}-Q{quarter}", start, _next_month(start, 3))
        if (match := _MONTH.match(raw)) and 1 <= int(match[2]) <= 12:
            start = _utc(int(match[1]), int(match[2]))
            return cls(f"{start.year}-{start.month:02d}", start, _next_month(start, 1))
        if match := _YEAR.match(raw):
            start = _utc(int(match[1]), 1)
            return cls(str(start.year), start, _utc(start.year + 1, 1))
        raise DomainError(PublicationCode.INVALID_PERIOD, f"period {text!r} is not understood; write a year (2026), a "
                                                          "quarter (2026-Q1) or a month (2026-03).")

    def require_ended(self, now: dt.datetime) -> None:
        """Refuse a period that has not ended yet: its figures would still change."""
        if self.end > now:
            raise DomainError(PublicationCode.PERIOD_NOT_ENDED,
                              f"period {self.label} ends at {self.end.isoformat()}; its "
                              "scores can be frozen only after it has ended.")


def _utc(year: int, month: int) -> dt.datetime:
    if not 2000 <= year <= 2999:
        raise DomainError(PublicationCode.INVALID_PERIOD, f"year {year} is out of range; use a year such as 2026.")
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def _next_month(start: dt.datetime, months: int) -> dt.datetime:
    index = start.month - 1 + months
    return start.replace(year=start.year + index // 12, month=index % 12 + 1)
