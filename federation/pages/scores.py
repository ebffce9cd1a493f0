"""Page figures over a window: answers, and the yes share with its Wilson interval.

Counts are summed from ``page_answer_hourly`` (one grouped query per read) and summarised by the score maths of
federation/scores/stats.py as a YES_NO histogram (``summarise``: the Wilson interval of ``yes_share``), so page
figures follow the same rule as every public score: the share and its interval are shown only once the answers
reach the publication threshold (``ARVIO_PUBLICATION_THRESHOLD``). A service's figure pools the answers of the
pages registered to it (one organisation's pages, or every organisation's for the public figure).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from federation.battery.scales import Scale
from federation.pages.models import Page, PageAnswerHourly
from federation.scores.reading import Window
from federation.scores.stats import Histogram, Interval, summarise


@dataclass(frozen=True)
class PageFigure:
    """Answers over a window; ``yes_share`` and its interval only when ``published``."""

    answers: int
    yes: int
    published: bool
    yes_share: float | None
    interval: Interval | None


def figure(yes: int, no: int, *, publication_threshold: int) -> PageFigure:
    """The figure of ``yes`` and ``no`` answers (share and interval withheld below the threshold)."""
    stats = summarise(Histogram(Scale.YES_NO, (no, yes)), publication_threshold=publication_threshold)
    if not stats.published:
        return PageFigure(stats.count, yes, False, None, None)
    return PageFigure(stats.count, yes, True, stats.yes_share, stats.yes_share_interval)


def _within(window: Window) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return PageAnswerHourly.hour >= window.start, PageAnswerHourly.hour < window.end


def page_counts(session: Session, page_ids: Iterable[int], window: Window) -> dict[int, tuple[int, int]]:
    """(yes, no) per page with answers in the window."""
    ids = list(page_ids)
    if not ids:
        return {}
    stmt = (select(PageAnswerHourly.page_id, func.sum(PageAnswerHourly.yes), func.sum(PageAnswerHourly.no))
            .where(PageAnswerHourly.page_id.in_(ids), *_within(window)).group_by(PageAnswerHourly.page_id))
    return {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in session.execute(stmt)}


def service_counts(session: Session, window: Window, *, organisation_id: str | None = None,
                   service_ids: Iterable[str] | None = None) -> dict[str, tuple[int, int]]:
    """(yes, no) per service, pooled over its registered pages (only ``organisation_id``'s, when given)."""
    stmt = (select(Page.service_id, func.sum(PageAnswerHourly.yes), func.sum(PageAnswerHourly.no))
            .join(Page, Page.id == PageAnswerHourly.page_id).where(Page.service_id.is_not(None), *_within(window))
            .group_by(Page.service_id))
    if organisation_id is not None:
        stmt = stmt.where(Page.organisation_id == organisation_id)
    if service_ids is not None:
        stmt = stmt.where(Page.service_id.in_(list(service_ids)))
    return {str(row[0]): (int(row[1] or 0), int(row[2] or 0))
            for row in session.execute(stmt)}
