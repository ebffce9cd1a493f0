"""reportServiceVolumes and the KPIs through the real ASGI app, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_service
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, ORG_A, SERVICE_A, SERVICE_B, Api

CHANNEL_CHAT = "c5e7f9a1-2d3f-4b5c-9e7f-9a1b3c5d7e9f"
CHANNEL_PAGE = "d6f8a0b2-3e4a-4c6d-8f0a-0b2c4d6e8f0a"
SERVICE_TINY = "e7a9b1c3-4f5b-4d7e-9a1b-1c3d5e7f9a1b"

REPORT = """
mutation($input: ReportServiceVolumesInput!) {
  reportServiceVolumes(input: $input) { accepted corrected duplicates rejected results { index status code message } }
}"""

KPI_FIELDS = """firstDay lastDay published channelDays transactionsCompleted digitalTransactions transactionsStarted
  contactsReceived contactsAnsweredDirectly callbacks contactsAbandoned
  waitingTime { underOneMinute oneToFiveMinutes fiveToFifteenMinutes overFifteenMinutes }
  ratingsAnswered ratingsSkipped ratingsCovered digitalTakeUp digitalTakeUpInterval { low high }
  completionRate answeredDirectlyShare callbackShare abandonmentRate coverage responseRate
  medianWait { minutes openEnded } p90Wait { minutes openEnded } costPerTransaction"""

KPIS = """query($id: ID!, $from: DateTime, $to: DateTime, $last: Int, $channel: ID) { service(id: $id) {
  kpis(from: $from, to: $to, lastDays: $last, channelId: $channel) { serviceId channelId %s } } }""" % KPI_FIELDS


@pytest.fixture
def channels(api: Api) -> Api:
    """Service A also gets a chat and a web page; a tiny service of organisation A has only the web page."""
    with api.database.transaction() as session:
        upsert_service(session, SERVICE_TINY, Names("Pieni palvelu"), now=NOW, organisation_ids=(ORG_A,))
        session.flush()
        upsert_channel(session, CHANNEL_CHAT, ChannelType.CHAT, Names("Chat"), now=NOW, service_ids=(SERVICE_A,))
        upsert_channel(session, CHANNEL_PAGE, ChannelType.WEB_PAGE, Names("Ohjesivu"), now=NOW,
                       service_ids=(SERVICE_A, SERVICE_TINY))
    return api


def day_item(day: str, channel: str = CHANNEL_PHONE, service: str = SERVICE_A, **figures: Any) -> dict[str, Any]:
    return {"serviceId": service, "channelId": channel, "day": day, **figures}


def report(api: Api, items: list[dict[str, Any]], token: str = "org_a") -> dict[str, Any]:
    body = api.gql(REPORT, {"input": {"volumes": items}}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["reportServiceVolumes"]
    return result


def kpis(api: Api, token: str | None = "org_a", service: str = SERVICE_A, **window: Any) -> dict[str, Any]:
    variables = {"id": service, "from": "2026-03-01T00:00:00+02:00", "to": "2026-03-16T00:00:00+02:00", **window}
    body = api.gql(KPIS, variables, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["service"]["kpis"]
    return result


FIXTURE_DAY = [  # the hand-computed day of tests/federation/volumes/test_kpis.py, through the API
    day_item("2026-03-10", CHANNEL_A, transactionsCompleted=600, transactionsStarted=800),
    day_item("2026-03-10", CHANNEL_PAGE, transactionsCompleted=100),
    day_item("2026-03-10", CHANNEL_PHONE, transactionsCompleted=300, contactsReceived=1000,
             contactsAnsweredDirectly=216, callbacks=300, contactsAbandoned=84, costEur=2000,
             waitingTime={"underOneMinute": 50, "oneToFiveMinutes": 100, "fiveToFifteenMinutes": 50,
                          "overFifteenMinutes": 16}),
    day_item("2026-03-10", CHANNEL_CHAT, contactsReceived=200, contactsAnsweredDirectly=150, callbacks=0,
             contactsAbandoned=50, waitingTime={"underOneMinute": 0, "oneToFiveMinutes": 60,
                                                "fiveToFifteenMinutes": 90, "overFifteenMinutes": 0}),
]


def test_reported_day_gives_every_kpi(channels: Api) -> None:
    result = report(channels, FIXTURE_DAY)
    assert (result["accepted"], result["corrected"], result["duplicates"], result["rejected"]) == (4, 0, 0, 0)
    got = kpis(channels)
    interval = got.pop("digitalTakeUpInterval")
    assert (round(interval["low"], 4), round(interval["high"], 4)) == (0.6709, 0.7276)
    assert round(got.pop("p90Wait")["minutes"], 4) == 13.5286
    assert got.pop("costPerTransaction") == pytest.approx(2000 / 300)
    assert got.pop("abandonmentRate") == pytest.approx(134 / 1200)
    assert got == {
        "serviceId": SERVICE_A, "channelId": None, "firstDay": "2026-03-01", "lastDay": "2026-03-15",
        "published": True, "channelDays": 4, "transactionsCompleted": 1000, "digitalTransactions": 700,
        "transactionsStarted": 800, "contactsReceived": 1200, "contactsAnsweredDirectly": 366, "callbacks": 300,
        "contactsAbandoned": 134, "waitingTime": {"underOneMinute": 50, "oneToFiveMinutes": 160,
                                                  "fiveToFifteenMinutes": 140, "overFifteenMinutes": 16},
        "ratingsAnswered": 0, "ratingsSkipped": 0, "ratingsCovered": 0, "digitalTakeUp": 0.7,
        "completionRate": 0.75, "answeredDirectlyShare": 0.305, "callbackShare": 0.25, "coverage": 0.0,
        "responseRate": None, "medianWait": {"minutes": 4.325, "openEnded": False},
    }
    phone = kpis(channels, channel=CHANNEL_PHONE)
    assert (phone["channelId"], phone["digitalTakeUp"], phone["transactionsCompleted"]) == (CHANNEL_PHONE, None, 300)


def test_every_kind_of_bad_item_gets_its_code_and_good_items_stay(channels: Api) -> None:
    items = [
        day_item("2026-03-10", transactionsCompleted=5),
        day_item("2026-03-10", service="00000000-0000-0000-0000-000000000000", transactionsCompleted=5),
        day_item("2026-03-10", service=SERVICE_B, transactionsCompleted=5),
        day_item("2026-03-10", channel="11111111-1111-1111-1111-111111111111", transactionsCompleted=5),
        day_item("2026-03-10", service=SERVICE_TINY, channel=CHANNEL_PHONE, transactionsCompleted=5),
        day_item("2026-03-17", transactionsCompleted=5),
        day_item("2026-03-11"),
        day_item("2026-03-11", contactsReceived=-3),
        day_item("2026-03-11", contactsReceived=10, contactsAnsweredDirectly=11),
        day_item("2026-03-11", CHANNEL_PAGE, contactsReceived=10),
        day_item("2026-03-11", contactsReceived=10, contactsAnsweredDirectly=5, waitingTime={
            "underOneMinute": 1, "oneToFiveMinutes": 1, "fiveToFifteenMinutes": 1, "overFifteenMinutes": 1}),
        day_item("2026-03-11", transactionsCompleted=9, transactionsStarted=8),
        day_item("2026-03-11", contactsReceived=10, contactsAnsweredDirectly=5, callbacks=4, contactsAbandoned=2),
        day_item("2026-03-11", callbacks=2),
        day_item("2026-03-11", transactionsCompleted=1, costEur=-1.0),
        day_item("2026-03-10", transactionsCompleted=5),
        day_item("2026-03-10", transactionsCompleted=6),
        day_item("2026-03-12", CHANNEL_A.upper(), transactionsCompleted=40),
    ]
    result = report(channels, items)
    codes = [(r["index"], r["status"], r["code"]) for r in result["results"]]
    assert codes == [
        (0, "ACCEPTED", None), (1, "REJECTED", "UNKNOWN_SERVICE"), (2, "REJECTED", "NOT_YOUR_SERVICE"),
        (3, "REJECTED", "UNKNOWN_CHANNEL"), (4, "REJECTED", "CHANNEL_NOT_OF_SERVICE"),
        (5, "REJECTED", "DAY_IN_FUTURE"), (6, "REJECTED", "NOTHING_REPORTED"), (7, "REJECTED", "NEGATIVE_COUNT"),
        (8, "REJECTED", "ANSWERED_EXCEEDS_RECEIVED"), (9, "REJECTED", "FIGURE_NOT_FOR_CHANNEL"),
        (10, "REJECTED", "WAIT_BUCKETS_MISMATCH"), (11, "REJECTED", "COMPLETED_EXCEEDS_STARTED"),
        (12, "REJECTED", "OUTCOMES_EXCEED_RECEIVED"), (13, "REJECTED", "CONTACT_FIGURES_WITHOUT_RECEIVED"),
        (14, "REJECTED", "INVALID_COST"), (15, "DUPLICATE", "DUPLICATE_IN_BATCH"),
        (16, "REJECTED", "CONFLICT_IN_BATCH"), (17, "ACCEPTED", None),
    ]
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (2, 1, 15)
    messages = {r["code"]: r["message"] for r in result["results"] if r["code"]}
    assert messages["DAY_IN_FUTURE"] == ("day 2026-03-17 is in the future (today is 2026-03-16 in Finland); "
                                         "report a day once it has begun, and correct it when it is complete.")
    assert kpis(channels, token="admin")["transactionsCompleted"] == 45


def test_resend_is_duplicate_and_a_correction_replaces_the_day_and_is_audited(channels: Api) -> None:
    days = [day_item(f"2026-03-{d:02d}", contactsReceived=100, contactsAnsweredDirectly=20) for d in range(1, 13)]
    assert report(channels, days)["accepted"] == 12
    again = report(channels, days)
    assert (again["accepted"], again["duplicates"]) == (0, 12)
    assert {r["code"] for r in again["results"]} == {"UNCHANGED"}
    fixed = report(channels, [day_item("2026-03-05", contactsReceived=100, contactsAnsweredDirectly=80)])
    assert (fixed["accepted"], fixed["corrected"]) == (1, 1)
    assert fixed["results"][0]["message"].endswith("its figures were replaced (revision 2).")
    got = kpis(channels)
    assert (got["contactsReceived"], got["contactsAnsweredDirectly"]) == (1200, 300)
    with channels.database.transaction(write=False) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "volumes.correct")))
    assert [(e.subject, e.detail["day"], e.detail["organisation"]) for e in events] == [
        (SERVICE_A, "2026-03-05", ORG_A)]


def test_the_regional_first_line_figures_are_reproduced_from_daily_reports(channels: Api) -> None:
    """139 222 calls in 181 days, 21.6 % answered directly; chat waits of 1–15 minutes."""
    first = dt.date(2025, 9, 16)
    days = [first + dt.timedelta(days=i) for i in range(181)]
    calls, answered = _spread(139_222, 181), _spread(30_072, 181)  # 30 072 / 139 222 = 0.21600
    items = [day_item(d.isoformat(), contactsReceived=c, contactsAnsweredDirectly=a)
             for d, c, a in zip(days, calls, answered, strict=True)]
    items += [day_item(d.isoformat(), CHANNEL_CHAT, contactsReceived=40, contactsAnsweredDirectly=36,
                       contactsAbandoned=4, waitingTime={"underOneMinute": 0, "oneToFiveMinutes": 20,
                                                         "fiveToFifteenMinutes": 16, "overFifteenMinutes": 0})
              for d in days]
    result = report(channels, items)
    assert result["accepted"] == 362
    phone = kpis(channels, channel=CHANNEL_PHONE, **{"from": None, "to": None, "last": 181})
    assert (phone["firstDay"], phone["lastDay"]) == ("2025-09-16", "2026-03-15")
    assert phone["contactsReceived"] == 139_222 and round(phone["answeredDirectlyShare"], 3) == 0.216
    chat = kpis(channels, channel=CHANNEL_CHAT, **{"from": None, "to": None, "last": 181})
    assert 1 <= chat["medianWait"]["minutes"] <= chat["p90Wait"]["minutes"] <= 15
    assert chat["p90Wait"]["openEnded"] is False


def _spread(total: int, days: int) -> list[int]:
    base, extra = divmod(total, days)
    return [base + (1 if i < extra else 0) for i in range(days)]


def test_an_it_service_desk_month_as_a_series(channels: Api) -> None:
    """~4 500 calls a month, 200–550 a day on working days, peaking on the first working days and Mondays."""
    february = [dt.date(2026, 2, 1) + dt.timedelta(days=i) for i in range(28)]
    working = [d for d in february if d.weekday() < 5]
    calls = {d: 200 + (100 if d.day <= 3 else 0) + (75 if d.weekday() == 0 else 0) for d in working}
    report(channels, [day_item(d.isoformat(), contactsReceived=n) for d, n in calls.items()])
    query = """query($id: ID!) { service(id: $id) { kpis(from: "2026-01-01T00:00:00+02:00",
      to: "2026-03-01T00:00:00+02:00") { months: series(by: MONTH) { firstDay lastDay contactsReceived }
      weeks: series(by: WEEK) { firstDay contactsReceived } } } }"""
    got = channels.gql(query, {"id": SERVICE_A}, token="org_a")["data"]["service"]["kpis"]
    assert got["months"] == [{"firstDay": "2026-01-01", "lastDay": "2026-01-31", "contactsReceived": 0},
                             {"firstDay": "2026-02-01", "lastDay": "2026-02-28", "contactsReceived": 4_500}]
    assert all(200 <= n <= 550 for n in calls.values())
    assert got["weeks"][0]["firstDay"] == "2026-01-01"  # clipped to the window (the week began on Monday 29.12.)
    assert sum(w["contactsReceived"] for w in got["weeks"]) == 4_500


def test_a_tiny_service_is_not_singled_out(channels: Api) -> None:
    report(channels, [day_item("2026-03-10", CHANNEL_PAGE, SERVICE_TINY, transactionsCompleted=9)])
    hidden = {"published": False, "transactionsCompleted": None, "digitalTakeUp": None}
    for token in (None, "org_b", "publisher", "researcher"):
        got = kpis(channels, token=token, service=SERVICE_TINY)
        assert {k: got[k] for k in hidden} == hidden, token
    for token in ("org_a", "admin"):
        got = kpis(channels, token=token, service=SERVICE_TINY)
        assert (got["published"], got["transactionsCompleted"], got["digitalTakeUp"]) == (False, 9, 1.0), token
    report(channels, [day_item("2026-03-11", CHANNEL_PAGE, SERVICE_TINY, transactionsCompleted=1)])
    public = kpis(channels, token=None, service=SERVICE_TINY)
    assert (public["published"], public["transactionsCompleted"], public["digitalTakeUp"]) == (True, 10, 1.0)


SUBMIT = """mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { accepted } }"""


def test_coverage_counts_ratings_on_the_reported_days_in_finnish_time(channels: Api) -> None:
    report(channels, [day_item(f"2026-03-{d:02d}", CHANNEL_A, transactionsCompleted=50) for d in (9, 10)])

    def rating(ref: str, at: str, skipped: bool = False) -> dict[str, Any]:
        return {"clientRef": ref, "serviceId": SERVICE_A, "channelId": CHANNEL_A, "answeredAt": at,
                "questionId": "national.transaction-smooth", "value": None if skipped else 4, "skipped": skipped}

    on_days = [rating(f"in-{i}", "2026-03-10T23:30:00+02:00") for i in range(10)]  # 21:30Z: still 10 March
    after = [rating(f"out-{i}", "2026-03-11T00:30:00+02:00") for i in range(3)]     # 22:30Z 10.3. = 11 March
    skips = [rating(f"skip-{i}", "2026-03-09T12:00:00+02:00", skipped=True) for i in range(7)]
    body = channels.gql(SUBMIT, {"input": {"ratings": on_days + after + skips}}, token="org_a")
    assert body["data"]["submitRatings"]["accepted"] == 20
    got = kpis(channels)
    assert (got["ratingsAnswered"], got["ratingsSkipped"], got["ratingsCovered"]) == (13, 7, 10)
    assert got["coverage"] == 0.1 and got["responseRate"] == 13 / 20
    public = kpis(channels, token=None)
    assert (public["coverage"], public["ratingsAnswered"], public["responseRate"]) == (0.1, 13, 13 / 20)


def test_organisation_kpis_lists_its_services(channels: Api) -> None:
    report(channels, [*FIXTURE_DAY, day_item("2026-03-10", CHANNEL_PAGE, SERVICE_TINY, transactionsCompleted=3)])
    query = """query($org: String!) { organisationKpis(businessId: $org, from: "2026-03-01T00:00:00+02:00",
      to: "2026-03-16T00:00:00+02:00") { businessId firstDay lastDay
      services { serviceId serviceName(locale: EN) published transactionsCompleted digitalTakeUp } } }"""
    public = channels.gql(query, {"org": ORG_A})["data"]["organisationKpis"]
    assert public == {"businessId": ORG_A, "firstDay": "2026-03-01", "lastDay": "2026-03-15", "services": [
        {"serviceId": SERVICE_A, "serviceName": "Library card", "published": True, "transactionsCompleted": 1000,
         "digitalTakeUp": 0.7},
        {"serviceId": SERVICE_TINY, "serviceName": "Pieni palvelu", "published": False,
         "transactionsCompleted": None, "digitalTakeUp": None}]}
    mine = channels.gql(query, {"org": ORG_A}, token="org_a")["data"]["organisationKpis"]
    assert mine["services"][1]["transactionsCompleted"] == 3
    unknown = channels.gql(query, {"org": "0245437-2"})
    assert unknown["errors"][0]["extensions"]["code"] == "UNKNOWN_ORGANISATION"


def test_reporting_needs_an_organisation_token_and_a_small_batch(channels: Api) -> None:
    item = day_item("2026-03-10", transactionsCompleted=5)
    for token, code in ((None, "UNAUTHENTICATED"), ("publisher", "FORBIDDEN"), ("admin", "FORBIDDEN")):
        body = channels.gql(REPORT, {"input": {"volumes": [item]}}, token=token)
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == code
    big = [day_item((dt.date(2023, 1, 1) + dt.timedelta(days=i)).isoformat(), transactionsCompleted=1)
           for i in range(1001)]
    body = channels.gql(REPORT, {"input": {"volumes": big}}, token="org_a")
    assert body["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"
    assert kpis(channels, token="admin")["channelDays"] == 0


HEATMAP = """query($id: ID!, $top: Int) { service(id: $id) { kpis(from: "2026-03-01T00:00:00+02:00",
  to: "2026-03-16T00:00:00+02:00") { contactsReceived
  contactsHeatmap { weekday hour contacts days averageContacts share }
  peakHours(top: $top) { weekday hour contacts share } } } }"""

DESK_HOURS = [0] * 8 + [30, 50, 40, 20, 10, 25, 15, 10] + [0] * 8


def test_hourly_contacts_give_a_heatmap_and_peak_hours(channels: Api) -> None:
    result = report(channels, [
        day_item("2026-03-09", hourlyContacts=DESK_HOURS),
        day_item("2026-03-10", contactsReceived=200, hourlyContacts=DESK_HOURS),
        day_item("2026-03-11", contactsReceived=201, hourlyContacts=DESK_HOURS),
        day_item("2026-03-11", contactsReceived=200, hourlyContacts=DESK_HOURS[:12]),
    ])
    assert [(r["status"], r["code"]) for r in result["results"]] == [
        ("ACCEPTED", None), ("ACCEPTED", None), ("REJECTED", "HOURLY_SUM_MISMATCH"), ("REJECTED", "HOURLY_NOT_24")]
    assert report(channels, [day_item("2026-03-09", hourlyContacts=DESK_HOURS)])["duplicates"] == 1
    body = channels.gql(HEATMAP, {"id": SERVICE_A, "top": 2}, token=None)
    got = body["data"]["service"]["kpis"]
    assert got["contactsReceived"] == 400 and len(got["contactsHeatmap"]) == 168
    assert got["contactsHeatmap"][9] == {"weekday": 1, "hour": 9, "contacts": 50, "days": 1,
                                         "averageContacts": 50.0, "share": 0.125}
    assert got["peakHours"] == [{"weekday": 1, "hour": 9, "contacts": 50, "share": 0.125},
                                {"weekday": 2, "hour": 9, "contacts": 50, "share": 0.125}]
    wrong = channels.gql(HEATMAP, {"id": SERVICE_A, "top": 0}, token=None)
    assert wrong["errors"][0]["extensions"]["code"] == "INVALID_TOP"


def test_a_small_heatmap_is_not_published(channels: Api) -> None:
    report(channels, [day_item("2026-03-09", hourlyContacts=[0] * 20 + [2, 2, 1, 0])])
    public = channels.gql(HEATMAP, {"id": SERVICE_A}, token=None)["data"]["service"]["kpis"]
    assert (public["contactsHeatmap"], public["peakHours"]) == ([], [])
    own = channels.gql(HEATMAP, {"id": SERVICE_A}, token="org_a")["data"]["service"]["kpis"]
    assert len(own["contactsHeatmap"]) == 168 and [c["hour"] for c in own["peakHours"]] == [20, 21, 22]


FCR = """query($id: ID!) { service(id: $id) { kpis(from: "2026-03-01T00:00:00+02:00", to: "2026-03-16T00:00:00+02:00")
  { contactsReceived resolvedAtFirstContact firstContactResolution firstContactResolutionInterval { low high }
    contactsHeatmap { hour firstContactResolution } } } }"""


def test_first_contact_resolution_per_day_and_hour(channels: Api) -> None:
    resolved = [0] * 8 + [30, 25, 20, 10, 5, 10, 10, 10] + [0] * 8
    result = report(channels, [
        day_item("2026-03-09", hourlyContacts=DESK_HOURS, hourlyResolvedAtFirstContact=resolved),
        day_item("2026-03-10", contactsReceived=100, resolvedAtFirstContact=80),
        day_item("2026-03-11", contactsReceived=100, resolvedAtFirstContact=101),
    ])
    assert [r["code"] for r in result["results"]] == [None, None, "RESOLVED_EXCEEDS_RECEIVED"]
    got = channels.gql(FCR, {"id": SERVICE_A}, token=None)["data"]["service"]["kpis"]
    assert (got["contactsReceived"], got["resolvedAtFirstContact"]) == (300, 200)
    assert got["firstContactResolution"] == pytest.approx(2 / 3)
    interval = got["firstContactResolutionInterval"]
    assert interval["low"] < 2 / 3 < interval["high"]
    assert got["contactsHeatmap"][8] == {"hour": 8, "firstContactResolution": 1.0}
    assert got["contactsHeatmap"][9] == {"hour": 9, "firstContactResolution": 0.5}
    assert got["contactsHeatmap"][0] == {"hour": 0, "firstContactResolution": None}


QUEUE = """query($id: ID!) { service(id: $id) { kpis(from: "2026-03-01T00:00:00+02:00", to: "2026-03-16T00:00:00+02:00")
  { published requestQueue { requestsReceived requestsResolved backlogDay backlog
      backlogAges { underOneDay oneToThreeDays threeToSevenDays sevenToFourteenDays overFourteenDays }
      medianBacklogAge { days openEnded } oldestShare oldestShareInterval { low high } estimatedResolutionDays }
    series(by: DAY) { firstDay requestQueue { backlog } } } } }"""

AGES = {"underOneDay": 10, "oneToThreeDays": 10, "threeToSevenDays": 10, "sevenToFourteenDays": 0,
        "overFourteenDays": 10}


def test_an_eservice_queue_through_the_api(channels: Api) -> None:
    result = report(channels, [
        day_item("2026-03-09", CHANNEL_A, requestsReceived=30, requestsResolved=25, requestsBacklog=20),
        day_item("2026-03-10", CHANNEL_A, requestsReceived=40, requestsResolved=20, requestsBacklog=40,
                 backlogAges=AGES),
        day_item("2026-03-11", CHANNEL_A, requestsBacklog=39, backlogAges=AGES),
        day_item("2026-03-11", CHANNEL_A, backlogAges=AGES),
        day_item("2026-03-11", CHANNEL_PHONE, requestsReceived=3),
    ])
    assert [r["code"] for r in result["results"]] == [None, None, "BACKLOG_AGES_MISMATCH",
                                                      "BACKLOG_AGES_WITHOUT_BACKLOG", "FIGURE_NOT_FOR_CHANNEL"]
    assert report(channels, [day_item("2026-03-09", CHANNEL_A, requestsReceived=30, requestsResolved=25,
                                      requestsBacklog=20)])["duplicates"] == 1
    got = channels.gql(QUEUE, {"id": SERVICE_A}, token=None)["data"]["service"]["kpis"]
    queue = got["requestQueue"]
    assert got["published"] is True
    assert {k: queue[k] for k in ("requestsReceived", "requestsResolved", "backlogDay", "backlog")} == {
        "requestsReceived": 70, "requestsResolved": 45, "backlogDay": "2026-03-10", "backlog": 40}
    assert queue["backlogAges"] == AGES and queue["medianBacklogAge"] == {"days": 3.0, "openEnded": False}
    assert queue["oldestShare"] == 0.25 and queue["oldestShareInterval"]["low"] < 0.25
    assert queue["estimatedResolutionDays"] == pytest.approx(60 / 45)
    by_day = {p["firstDay"]: p["requestQueue"] for p in got["series"]}
    assert (by_day["2026-03-09"], by_day["2026-03-10"]["backlog"]) == (
        {"backlog": 20}, 40)
    assert by_day["2026-03-11"] is None
