"""The SCORE_DROP alert kind: a drop of a service's score found by the CUSUM detector of
federation/analytics/alerts.py (through ``organisation_alerts`` of federation/analytics/service.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from federation.analytics.alerts import Direction
from federation.analytics.series import LOCAL_TIME_ZONE
from federation.analytics.service import ALERT_HISTORY_DAYS, organisation_alerts
from federation.i18n import catalogs
from federation.i18n.markers import NP_
from federation.notify.kinds import AlertFinding, AlertKind, AlertScan

NAME = "SCORE_DROP"


def detect(scan: AlertScan) -> Sequence[AlertFinding]:
    """Drops detected on or after ``scan.since`` on any question of the organisation's services."""
    today = scan.now.astimezone(LOCAL_TIME_ZONE).date()
    last_days = min(ALERT_HISTORY_DAYS, max(1, (today - scan.since).days + 1))
    found = []
    for alert in organisation_alerts(scan.session, scan.service_ids, now=scan.now, last_days=last_days):
        point = alert.change_point
        if point.direction is not Direction.DROP or point.detected_on < scan.since:
            continue
        found.append(AlertFinding(
            kind=NAME, key=f"{alert.service_id}:{alert.question_id}:{point.started_on.isoformat()}",
            service_id=alert.service_id, detected_on=point.detected_on,
            facts={"serviceId": alert.service_id, "questionId": alert.question_id,
                   "startedOn": point.started_on.isoformat(), "detectedOn": point.detected_on.isoformat(),
                   "referenceMean": round(point.reference_mean, 3), "referenceCount": point.reference_count,
                   "shiftedMean": round(point.shifted_mean, 3), "shiftedCount": point.shifted_count}))
    return found


_LINE = NP_("notification", "{service}: the score dropped ({question}) {before:.2f} → {after:.2f} from {started} "
          "(detected {detected})")
"""The line's ``(msgctxt, msgid)`` in the gettext catalogs (federation/i18n/locales/); Finnish where a locale lacks
it."""


def describe(finding: AlertFinding, locale: str, service_name: Callable[[str], str]) -> str:
    """One line in ``locale``: the service, question, means before and after, and the dates."""
    facts = finding.facts
    return catalogs.pgettext(locale, *_LINE).format(
        service=service_name(finding.service_id), question=facts["questionId"],
        before=float(str(facts["referenceMean"])), after=float(str(facts["shiftedMean"])),
        started=dt.date.fromisoformat(str(facts["startedOn"])).strftime("%d.%m.%Y"),
        detected=finding.detected_on.strftime("%d.%m.%Y"))


SCORE_DROP = AlertKind(NAME, "A service's score dropped (self-starting CUSUM, about one false alarm a year).",
                       detect, describe)
