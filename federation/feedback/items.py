"""What a feedback item is and who may see it: a rating with a follow-up (drivers or a free text) of a service the
organisation is registered for; its handling status and the answer bands the inbox filters by.

Statuses move forward: RECEIVED → READ → IN_PROGRESS → ANSWERED / NO_ACTION (steps may be skipped); a closed item
may be reopened to IN_PROGRESS; nothing goes back to RECEIVED (:data:`TRANSITIONS`).
"""

from __future__ import annotations

import enum

from sqlalchemy import ColumnElement, and_, false, literal, or_, select
from sqlalchemy.orm import Session

from federation.battery.followups import Band, band_of
from federation.battery.models import Question
from federation.battery.scales import Scale
from federation.errors import FeedbackCode, NotFound
from federation.ratings.models import Rating
from federation.registry.models import ServiceOrganisation


class Status(enum.Enum):
    """Where the handling of a feedback item stands."""

    RECEIVED = "RECEIVED"
    READ = "READ"
    IN_PROGRESS = "IN_PROGRESS"
    ANSWERED = "ANSWERED"
    NO_ACTION = "NO_ACTION"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.READ, Status.IN_PROGRESS, Status.ANSWERED, Status.NO_ACTION}),
    Status.READ: frozenset({Status.IN_PROGRESS, Status.ANSWERED, Status.NO_ACTION}),
    Status.IN_PROGRESS: frozenset({Status.ANSWERED, Status.NO_ACTION}),
    Status.ANSWERED: frozenset({Status.IN_PROGRESS}),
    Status.NO_ACTION: frozenset({Status.IN_PROGRESS}),
}
"""The statuses each status may move to (staying where it is is always allowed and changes nothing)."""


class Level(enum.Enum):
    """The inbox's band filter: LOW, MID or HIGH on the answer's own scale (see ``followups.band_of``)."""

    LOW = Band.NEGATIVE
    MID = Band.NEUTRAL
    HIGH = Band.POSITIVE


def has_follow_up() -> ColumnElement[bool]:
    """Rows that are feedback items: a free text or at least one driver."""
    return or_(Rating.free_text.is_not(None), Rating.drivers.is_not(None))


def band_condition(band: Band) -> ColumnElement[bool]:
    """Rows (joined with their Question) whose value falls in ``band`` on the question's scale."""
    parts = [and_(Question.scale == scale, Rating.value.in_([v for v in scale.values if band_of(scale, v) is band]))
             for scale in Scale if any(band_of(scale, v) is band for v in scale.values)]
    return or_(false(), *parts)


def driver_condition(driver: str) -> ColumnElement[bool]:
    """Rows whose stored drivers (comma-joined, sorted) include ``driver`` (a known code: no LIKE wildcards)."""
    return (literal(",") + Rating.drivers + literal(",")).like(f"%,{driver},%")


def services_of(session: Session, organisation_id: str) -> list[str]:
    """The services the organisation is registered for."""
    return sorted(session.scalars(select(ServiceOrganisation.service_id)
                                  .where(ServiceOrganisation.organisation_id == organisation_id)))


def feedback_of(session: Session, organisation_id: str, rating_id: int, *, lock: bool = False) -> Rating:
    """The feedback item ``rating_id`` if it belongs to one of the organisation's services; otherwise
    UNKNOWN_FEEDBACK (another organisation's item is not told apart from a missing one)."""
    stmt = (select(Rating).join(ServiceOrganisation, ServiceOrganisation.service_id == Rating.service_id)
            .where(Rating.id == rating_id, ServiceOrganisation.organisation_id == organisation_id, has_follow_up()))
    row = session.scalar(stmt.with_for_update(of=Rating) if lock else stmt)
    if row is None:
        raise NotFound(FeedbackCode.UNKNOWN_FEEDBACK, f"No feedback item {rating_id} of your services; take the id "
                                                      "from feedbackInbox.")
    return row


def band_of_row(session: Session, row: Rating) -> Band | None:
    """The band of a rating's value on its question's scale (None for a skip or an unknown question)."""
    question = session.get(Question, row.question_id)
    if question is None or row.value is None or not question.scale.contains(row.value):
        return None
    return band_of(question.scale, row.value)
