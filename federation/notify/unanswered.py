"""The UNANSWERED_FEEDBACK alert kind: feedback items with a free text whose handling still stands at RECEIVED or
READ (federation/feedback/items.py) :data:`DAYS` days after the answer.

An item becomes overdue at its answer's moment plus :data:`DAYS` days; a finding gathers the items of one service
that became overdue on one local day (key ``<service>:<day>``), so an organisation gets at most one alert per
service and day, and each overdue item is counted in exactly one finding. The count is the number of such items
still RECEIVED or READ when the pass runs (an item answered meanwhile is no longer counted). Nothing is read from
the texts: only that there is one, and the item's status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import or_, select

from federation.feedback.items import Status
from federation.feedback.models import FeedbackState
from federation.i18n import catalogs
from federation.i18n.markers import NP_
from federation.notify.kinds import AlertFinding, AlertKind, AlertScan
from federation.ratings.models import Rating
from federation.volumes.days import day_bounds, local_date

NAME = "UNANSWERED_FEEDBACK"
DAYS = 5
"""Days after the answer at which an unhandled item with a free text is reported (the documented default)."""
MAX_ITEMS = 50_000
"""Most overdue items one scan reads (the newest are kept beyond it)."""
OPEN = (Status.RECEIVED.value, Status.READ.value)


def detect(scan: AlertScan, *, days: int = DAYS) -> Sequence[AlertFinding]:
    """Per service and local day on or after ``scan.since``: the items that became ``days`` days old unhandled."""
    if not scan.service_ids:
        return []
    start, _ = day_bounds(scan.since - dt.timedelta(days=days))
    end = scan.now - dt.timedelta(days=days)
    stmt = (select(Rating.service_id, Rating.answered_at)
            .outerjoin(FeedbackState, FeedbackState.rating_id == Rating.id)
            .where(Rating.service_id.in_(sorted(scan.service_ids)), Rating.free_text.is_not(None),
                   Rating.answered_at >= start, Rating.answered_at <= end,
                   or_(FeedbackState.status.is_(None), FeedbackState.status.in_(OPEN)))
            .order_by(Rating.answered_at.desc()).limit(MAX_ITEMS))
    overdue = Counter((str(service_id), local_date(answered_at + dt.timedelta(days=days)))
                      for service_id, answered_at in scan.session.execute(stmt))
    return [AlertFinding(kind=NAME, key=f"{service_id}:{day.isoformat()}", service_id=service_id, detected_on=day,
                         facts={"serviceId": service_id, "overdueOn": day.isoformat(), "count": count,
                                "days": days})
            for (service_id, day), count in sorted(overdue.items()) if day >= scan.since]


_LINE = NP_("notification", "{service}: unanswered feedback: {count} (free text, received or read for over {days} "
                            "days; {day})")
"""The line's ``(msgctxt, msgid)`` in the gettext catalogs (federation/i18n/locales/); Finnish where a locale lacks
it."""


def describe(finding: AlertFinding, locale: str, service_name: Callable[[str], str]) -> str:
    """One line in ``locale``: the service, how many items, after how many days, and the day."""
    facts = finding.facts
    return catalogs.pgettext(locale, *_LINE).format(service=service_name(finding.service_id), count=facts["count"],
                                                   days=facts["days"], day=finding.detected_on.strftime("%d.%m.%Y"))


UNANSWERED_FEEDBACK = AlertKind(NAME, f"Feedback with a free text is still received or read {DAYS} days after the "
                                      "answer (one alert per service and day).", detect, describe)
