"""The demo federation's analytics data: service classes (for peer groups) and the service changes behind the
demo's mid-year shifts, so the dashboard shows trends, impacts and alerts on ``arvio serve --demo``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.analytics.models import ServiceEvent
from federation.analytics.series import LOCAL_TIME_ZONE
from federation.registry.models import Service

SERVICE_CLASSES = {
    "library-card": "Registrations", "pet-registration": "Registrations",
    "parking-permit": "Permits", "building-permit": "Permits",
    "health-centre-booking": "Advice and bookings", "housing-allowance": "Advice and bookings",
    "it-service-desk": "Advice and bookings",
}
"""Demo service key → service class; each class has at least two services so it forms a peer group."""

CHANGE_DAY = 182
"""The demo ratings shift this many days after their first day (``federation.demo.demo_ratings``)."""

EVENTS = (
    ("parking-permit", 0, True, "Uusi sähköinen pysäköintitunnushakemus otettiin käyttöön.",
     "En ny elektronisk ansökan om parkeringstillstånd togs i bruk.",
     "A new online application for the parking permit went live."),
    ("building-permit", 0, True, "Lupapalvelun ohjeet kirjoitettiin uudelleen selkokielellä.",
     "Anvisningarna i tillståndstjänsten skrevs om på lättläst språk.",
     "The permit service's instructions were rewritten in plain language."),
    ("housing-allowance", 0, False, "Käsittelyjärjestelmä vaihdettiin; ruuhkaa odotettavissa.",
     "Handläggningssystemet byttes; rusning väntas.", "The case-handling system was replaced; queues expected."),
    ("library-card", 40, True, "Verkkoasioinnin aukioloajat pidennettiin.", "Öppettiderna för e-tjänsten förlängdes.",
     "The e-service's opening hours were extended."),
)
"""(service key, days after the change day, public, fi, sv, en): the first three explain the demo's shifts,
the last one changed nothing measurable (an honest "no significant difference")."""


def install_demo_analytics(session: Session, *, now: dt.datetime, services: dict[str, str],
                           organisations: dict[str, str]) -> None:
    """Give the demo services their classes and record the demo's change events (once).

    ``services`` maps demo keys to service ids and ``organisations`` demo keys to the reporting business ID.
    """
    for key, service_class in SERVICE_CLASSES.items():
        row = session.get(Service, services[key])
        if row is not None:
            row.service_class = service_class
    if session.scalar(select(ServiceEvent.id).where(ServiceEvent.created_by == "demo").limit(1)) is not None:
        return
    first_day = (now - dt.timedelta(days=364)).astimezone(LOCAL_TIME_ZONE).date()
    for key, offset, public, fi, sv, en in EVENTS:
        session.add(ServiceEvent(service_id=services[key], organisation_id=organisations[key],
                                 occurred_on=first_day + dt.timedelta(days=CHANGE_DAY + 1 + offset),
                                 description_fi=fi, description_sv=sv, description_en=en, public=public,
                                 created_at=now, created_by="demo"))
