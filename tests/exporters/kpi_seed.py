"""Volumes of 2025-Q4 next to ``tests.exporters.seed``'s ratings: service A reports enough to publish most of its
KPIs (but not its cost), service B (9 ratings) reports a tiny volume that must never be published.

Hand-computed figures of service A over 2025-10-01…2025-12-31 (see :data:`EXPECTED_A`): the online channel
reports 30 completed of 40 started transactions a day on 1–10 November, and its e-requests: 6 received and 5
resolved a day, 10 open at each day's end (aged 3/3/2/1/1: under 1, 1–3, 3–7, 7–14, over 14 days); the phone
reports 12 contacts a day on 3–7 November (8 answered directly, 2 callbacks, 2 abandoned; waits 4/2/1/1; 9 resolved
at the first contact), and on 5 November also 5 completed transactions costing 50 € (5 transactions: the cost per
transaction stays hidden). Every rating of the seed was
given on 5 November (Finnish time), a day both channels report completed transactions on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from federation.db import Database
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel
from federation.volumes.contract import BacklogAges, DayFigures, VolumeReport, WaitBuckets
from federation.volumes.ingest import report_volumes
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B

CHANNEL_B = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"
ONLINE_DAYS = [dt.date(2025, 11, 1) + dt.timedelta(days=i) for i in range(10)]
PHONE_DAYS = [dt.date(2025, 11, 3) + dt.timedelta(days=i) for i in range(5)]
RATED_DAY = dt.date(2025, 11, 5)

EXPECTED_A: dict[str, Any] = {
    "firstDay": "2025-10-01", "lastDay": "2025-12-31", "channelDays": 15,
    "transactionsCompleted": 305, "digitalTransactions": 300, "transactionsStarted": 400,
    "contactsReceived": 60, "contactsAnsweredDirectly": 40, "callbacks": 10, "contactsAbandoned": 10,
    "ratingsAnswered": 37, "ratingsSkipped": 2, "ratingsCovered": 37,
    "waitingTime": {"underOneMinute": 20, "oneToFiveMinutes": 10, "fiveToFifteenMinutes": 5,
                    "overFifteenMinutes": 5},
    "digitalTakeUp": 0.9836, "completionRate": 0.75, "answeredDirectlyShare": 0.6667, "callbackShare": 0.1667,
    "abandonmentRate": 0.1667, "coverage": 0.1213, "responseRate": 0.9487,
    "medianWait": {"minutes": 1.0, "openEnded": False}, "p90Wait": {"minutes": 15.0, "openEnded": True},
    "costPerTransaction": None, "resolvedAtFirstContact": 45, "firstContactResolution": 0.75,
    "requestQueue": {"requestsReceived": 60, "requestsResolved": 50, "backlogDay": "2025-11-10", "backlog": 10,
                     "backlogAges": {"underOneDay": 3, "oneToThreeDays": 3, "threeToSevenDays": 2,
                                     "sevenToFourteenDays": 1, "overFourteenDays": 1},
                     "medianBacklogAge": {"days": 2.3333, "openEnded": False}, "oldestShare": 0.1,
                     "oldestShareInterval": {"low": 0.0179, "high": 0.4042}, "estimatedResolutionDays": 2.0},
}
"""Service A's ``kpis`` object in the PTV-keyed JSON (intervals checked separately)."""


def online(day: dt.date, completed: int = 30, started: int = 40) -> VolumeReport:
    """A day of service A's online channel."""
    return VolumeReport(SERVICE_A, CHANNEL_A, day, DayFigures(
        transactions_completed=completed, transactions_started=started, requests_received=6, requests_resolved=5,
        requests_backlog=10, backlog_ages=BacklogAges(3, 3, 2, 1, 1)))


def phone(day: dt.date) -> VolumeReport:
    """A day of service A's phone line (on the rated day with 5 transactions costing 50 €)."""
    rated = day == RATED_DAY
    figures = DayFigures(transactions_completed=5 if rated else None, contacts_received=12,
                         contacts_answered_directly=8, callbacks=2, contacts_abandoned=2,
                         waits=WaitBuckets(4, 2, 1, 1), first_contact_resolved=9)
    return VolumeReport(SERVICE_A, CHANNEL_PHONE, day, figures, cost_eur=50.0 if rated else None)


def send(database: Database, organisation_id: str, reports: list[VolumeReport],
         now: dt.datetime = NOW) -> None:
    """Report ``reports`` for ``organisation_id``; every item must be accepted."""
    with database.transaction() as session:
        batch = report_volumes(session, organisation_id, reports, now=now, actor="test")
    assert batch.rejected == 0, batch.results


def seed_volumes(database: Database, *, service_b_transactions: int = 3) -> None:
    """Service B's web page (registry), then the volumes of the module docstring."""
    with database.transaction() as session:
        upsert_channel(session, CHANNEL_B, ChannelType.WEB_PAGE, Names("Lupapalvelu"), now=NOW,
                       service_ids=(SERVICE_B,))
    send(database, ORG_A, [*(online(d) for d in ONLINE_DAYS), *(phone(d) for d in PHONE_DAYS)])
    send(database, ORG_B, [VolumeReport(SERVICE_B, CHANNEL_B, dt.date(2025, 11, 2),
                                        DayFigures(transactions_completed=service_b_transactions))])
