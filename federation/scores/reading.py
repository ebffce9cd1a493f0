"""Reading scores: sum the hourly rollups of a window into one histogram and summarise it.

Reads never scan ratings: one aggregate query over ``rollup_hourly`` (``read_histograms`` of
federation/rollups/reading.py; the read index leads with the service id), so the cost grows with the number of hours
in the window, not with the number of ratings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from federation.battery.models import Question
from federation.errors import BatteryCode, DomainError, NotFound, ScoresCode
from federation.rollups.reading import read_histograms
from federation.scores.stats import Histogram, ScoreStats, summarise

MAX_WINDOW_DAYS = 3660
# Far enough from year 1 and 9999 that every window, day and period computed from a bound stays representable.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Window:
    """A half-open time window [start, end) resolved to whole UTC hours (the rollup granularity)."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise DomainError(ScoresCode.TIMESTAMP_WITHOUT_TIMEZONE,
                              "from and to need a time zone, e.g. 2026-01-01T00:00Z.")
        check_bounds(self.start, self.end)
        if self.start >= self.end:
            raise DomainError(ScoresCode.EMPTY_WINDOW, "from must be before to; the window is [from, to).")
        if self.end - self.start > dt.timedelta(days=MAX_WINDOW_DAYS):
            raise DomainError(ScoresCode.WINDOW_TOO_LONG, f"a window may span at most {MAX_WINDOW_DAYS} days.")

    @classmethod
    def resolve(cls, *, now: dt.datetime, start: dt.datetime | None = None, end: dt.datetime | None = None,
                last_days: int | None = None) -> Window:
        """A window from explicit bounds, or the last N days up to ``now``; the default is the last 365 days."""
        if last_days is not None:
            if start is not None or end is not None:
                raise DomainError(ScoresCode.AMBIGUOUS_WINDOW, "give either lastDays or from/to, not both.")
            if last_days < 1:
                raise DomainError(ScoresCode.EMPTY_WINDOW, "lastDays must be at least 1.")
            if last_days > MAX_WINDOW_DAYS:
                raise DomainError(ScoresCode.WINDOW_TOO_LONG, f"lastDays may be at most {MAX_WINDOW_DAYS}.")
            return cls(now - dt.timedelta(days=last_days), now)
        check_bounds(start, end)
        end = end or now
        return cls(start or end - dt.timedelta(days=365), end)


def check_bounds(*moments: dt.datetime | None) -> None:
    """Refuse a window bound outside [EARLIEST, LATEST) before any date arithmetic can overflow."""
    for moment in moments:
        if moment is not None and moment.tzinfo is not None and not EARLIEST <= moment < LATEST:
            raise DomainError(ScoresCode.WINDOW_OUT_OF_RANGE,
                              f"from and to must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d} (UTC); "
                              f"{moment.isoformat()} is outside.")


@dataclass(frozen=True)
class Score:
    """A question's score for a service (optionally one channel) over a window, under one wording version."""

    service_id: str
    question_id: str
    wording_version: int
    window: Window
    stats: ScoreStats


def read_histogram(session: Session, *, service_id: str, question: Question, window: Window,
                   wording_version: int, channel_id: str | None = None) -> Histogram:
    """The histogram of answers (and skips) in the window, summed from the rollups."""
    [total] = read_histograms(session, services=[service_id], questions=[question.id], start=window.start,
                              end=window.end, wording_version=wording_version, channel=channel_id)
    return total.histogram(question.scale)


def read_score(session: Session, *, service_id: str, question_id: str, window: Window,
               publication_threshold: int, wording_version: int | None = None,
               channel_id: str | None = None) -> Score:
    """The score of ``question_id`` for ``service_id``; the default wording is the question's current one."""
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(BatteryCode.UNKNOWN_QUESTION, f"questionId {question_id!r} is unknown; list questions with "
                                                     "`questions` or use 'national.transaction-smooth'.")
    version = wording_version or question.current_version
    histogram = read_histogram(session, service_id=service_id, question=question, window=window,
                               wording_version=version, channel_id=channel_id)
    return Score(service_id, question_id, version, window,
                 summarise(histogram, publication_threshold=publication_threshold))
