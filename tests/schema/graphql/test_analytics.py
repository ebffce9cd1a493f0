"""Analytics through the real ASGI app on SQLite and PostgreSQL: series, heatmap, events and their impact, the
public log, comparison, organisation summaries and alerts — with who-sees-what."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from federation.analytics.alerts import CusumPolicy
from federation.rollups.models import RollupDriverHourly
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B, Api
from tests.schema.analytics_support import (
    NO_CHANNEL,
    daily_history,
    put_rollups,
    rating,
    rollup_row,
    submit,
)

UTC = dt.UTC

SERIES = """
query($id: ID!, $g: Granularity!) { serviceAnalytics(serviceId: $id, lastDays: 3) {
  from to timeZone publicView headline
  series(granularity: $g) { label from to partial published count skipped value mean interval { low high } }
  heatmap { cells { weekday hour count exposures occurrences value } peak { weekday hour count } } } }"""


def data(body: dict[str, Any]) -> Any:
    assert "errors" not in body, body
    return body["data"]


def error_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def seed_three_days(api: Api) -> None:
    submit(api, [
        rating("sat-1", SERVICE_A, 5, at("2026-03-14T10:00:00+00:00")),
        rating("sat-2", SERVICE_A, 4, at("2026-03-14T10:20:00+00:00")),
        rating("sun-late", SERVICE_A, 3, at("2026-03-15T21:30:00+00:00")),   # 23:30 local, Sunday
        rating("mon-early", SERVICE_A, 1, at("2026-03-15T22:30:00+00:00")),  # 00:30 local, Monday
        rating("mon-skip", SERVICE_A, None, at("2026-03-15T22:40:00+00:00")),
        rating("mon-1", SERVICE_A, 5, at("2026-03-16T09:05:00+00:00")),
        rating("mon-2", SERVICE_A, 5, at("2026-03-16T09:10:00+00:00")),
    ])


def test_owner_sees_the_daily_series_in_local_days(api: Api) -> None:
    seed_three_days(api)
    got = data(api.gql(SERIES, {"id": SERVICE_A, "g": "DAY"}, token="org_a"))["serviceAnalytics"]
    assert (got["timeZone"], got["publicView"], got["headline"]) == ("Europe/Helsinki", False, "MEAN")
    points = [(p["label"], p["partial"], p["count"], p["skipped"], p["mean"]) for p in got["series"]]
    assert points == [("2026-03-13", True, 0, 0, None), ("2026-03-14", False, 2, 0, 4.5),
                      ("2026-03-15", False, 1, 0, 3.0), ("2026-03-16", True, 3, 1, pytest.approx(11 / 3))]
    monday = got["series"][-1]
    assert (monday["from"], monday["to"]) == ("2026-03-15T22:00:00+00:00", "2026-03-16T12:00:00+00:00")
    assert monday["value"] == monday["mean"] and monday["published"] is False
    cells = {(c["weekday"], c["hour"]): c for c in got["heatmap"]["cells"]}
    assert (cells[(1, 11)]["count"], cells[(1, 0)]["count"], cells[(1, 0)]["exposures"]) == (2, 1, 2)
    assert (cells[(6, 12)]["count"], cells[(7, 23)]["count"], cells[(7, 23)]["value"]) == (2, 1, 3.0)
    assert sum(c["count"] for c in cells.values()) == 6
    assert got["heatmap"]["peak"] == {"weekday": 1, "hour": 11, "count": 2}  # ties: the earliest in the week


def test_others_and_the_public_see_published_figures_only(api: Api) -> None:
    seed_three_days(api)
    other = data(api.gql(SERIES, {"id": SERVICE_A, "g": "DAY"}, token="org_b"))["serviceAnalytics"]
    assert other["publicView"] is True
    assert {(p["count"], p["mean"], p["value"], p["interval"]) for p in other["series"]} == {(None, None, None, None)}
    assert other["heatmap"]["peak"] is None
    public = """query($id: ID!) { publicServiceAnalytics(serviceId: $id) { publicView
      score { published count mean } series(granularity: MONTH) { label published count } } }"""
    got = data(api.gql(public, {"id": SERVICE_A}))["publicServiceAnalytics"]
    assert got["score"] == {"published": False, "count": None, "mean": None}
    assert got["series"][-1] == {"label": "2026-03", "published": False, "count": None}
    hourly = api.gql('{ publicServiceAnalytics(serviceId: "%s") { series(granularity: HOUR) { label } } }'
                     % SERVICE_A)
    assert error_code(hourly) == "GRANULARITY_NOT_PUBLIC"
    custom = api.gql('{ serviceComparison(lastDays: 30) { rankedCount } }')
    assert error_code(custom) == "UNAUTHENTICATED"
    assert error_code(api.gql(SERIES, {"id": SERVICE_A, "g": "DAY"})) == "UNAUTHENTICATED"


def test_published_buckets_show_to_everyone(api: Api) -> None:
    put_rollups(api.database, [rollup_row(SERVICE_A, at("2026-03-02T09:00:00+00:00"), {4: 6, 5: 6})])
    query = """query($id: ID!) { publicServiceAnalytics(serviceId: $id) { series(granularity: WEEK) {
      label published count value interval { low high } } } }"""
    points = data(api.gql(query, {"id": SERVICE_A}))["publicServiceAnalytics"]["series"]
    week = next(p for p in points if p["label"] == "2026-W10")
    assert (week["published"], week["count"], week["value"]) == (True, 12, 4.5)
    assert week["interval"]["low"] < 4.5 < week["interval"]["high"]


RECORD = """mutation($input: RecordServiceEventInput!) { recordServiceEvent(input: $input) {
  id serviceId organisationId occurredOn public description(locale: SV) } }"""
EVENTS = """query($id: ID!) { serviceAnalytics(serviceId: $id, lastDays: 365) { events(impactWindowDays: 14) {
  occurredOn public description impact { status beforeFrom changeAt afterTo beforeCount afterCount before after
  difference interval { low high } test statistic degreesOfFreedom pValue significant } } } }"""


def event_input(day: str, public: bool, fi: str = "Uusi lomake") -> dict[str, Any]:
    return {"serviceId": SERVICE_A, "occurredOn": day, "public": public,
            "description": {"fi": fi, "sv": "Ny blankett", "en": "New form"}}


def test_events_are_recorded_with_their_impact(api: Api) -> None:
    put_rollups(api.database, [rollup_row(SERVICE_A, at("2026-02-05T09:00:00+00:00"), {2: 10, 3: 10}),
                               rollup_row(SERVICE_A, at("2026-02-20T09:00:00+00:00"), {4: 10, 5: 10})])
    recorded = data(api.gql(RECORD, {"input": event_input("2026-02-15", True)}, token="org_a"))
    assert recorded["recordServiceEvent"] | {"id": "x"} == {
        "id": "x", "serviceId": SERVICE_A, "organisationId": ORG_A, "occurredOn": "2026-02-15", "public": True,
        "description": "Ny blankett"}
    data(api.gql(RECORD, {"input": event_input("2026-03-20", False, "Suunniteltu muutos")}, token="org_a"))
    events = data(api.gql(EVENTS, {"id": SERVICE_A}, token="org_a"))["serviceAnalytics"]["events"]
    assert [(e["occurredOn"], e["public"], e["impact"]["status"]) for e in events] == [
        ("2026-03-20", False, "PENDING"), ("2026-02-15", True, "COMPLETE")]
    impact = events[1]["impact"]
    assert (impact["beforeFrom"], impact["changeAt"], impact["afterTo"]) == (
        "2026-01-31T22:00:00+00:00", "2026-02-14T22:00:00+00:00", "2026-02-28T22:00:00+00:00")
    assert (impact["beforeCount"], impact["afterCount"], impact["before"], impact["after"]) == (20, 20, 2.5, 4.5)
    # Both sides: variance 0.25·20/19, so se = √(2·0.25/19) and df = 38.
    se = math.sqrt(2 * 0.25 / 19)
    assert impact["difference"] == 2.0 and impact["test"] == "WELCH_T" and impact["significant"] is True
    assert impact["statistic"] == pytest.approx(2 / se) and impact["degreesOfFreedom"] == pytest.approx(38)
    assert impact["interval"]["low"] == pytest.approx(2 - 2.024394164 * se, rel=1e-6)  # t*(0.975, 38)
    log = data(api.gql('{ publicServiceEvents { serviceId occurredOn description(locale: EN) '
                       'impact { status difference } } }'))["publicServiceEvents"]
    assert log == [{"serviceId": SERVICE_A, "occurredOn": "2026-02-15", "description": "New form",
                    "impact": {"status": "COMPLETE", "difference": 2.0}}]


def test_event_mistakes_get_codes(api: Api) -> None:
    assert error_code(api.gql(RECORD, {"input": event_input("2026-02-15", True)}, token="org_b")) == \
        "NOT_YOUR_SERVICE"
    assert error_code(api.gql(RECORD, {"input": event_input("1999-12-31", True)}, token="org_a")) == \
        "DATE_OUT_OF_RANGE"
    blank = event_input("2026-02-15", True, fi="  ")
    assert error_code(api.gql(RECORD, {"input": blank}, token="org_a")) == "DESCRIPTION_REQUIRED"
    assert error_code(api.gql(RECORD, {"input": event_input("2026-02-15", True)}, token="admin")) == "FORBIDDEN"
    event_id = data(api.gql(RECORD, {"input": event_input("2026-02-15", False)}, token="org_a"))[
        "recordServiceEvent"]["id"]
    delete = "mutation($id: ID!) { deleteServiceEvent(id: $id) }"
    assert error_code(api.gql(delete, {"id": event_id}, token="org_b")) == "UNKNOWN_EVENT"
    assert data(api.gql(delete, {"id": event_id}, token="org_a")) == {"deleteServiceEvent": True}


COMPARE = """query($scope: PeerScope!, $of: ID) { serviceComparison(lastDays: 365, scope: $scope, peerOf: $of) {
  scope group priorMean priorWeight rankedCount focus { serviceId rank }
  entries { serviceId name(locale: EN) organisationId ranked rank shrunkMean count percentile interval { low high } }
} }"""


def test_comparison_ranks_only_published_services(api: Api) -> None:
    put_rollups(api.database, [rollup_row(SERVICE_A, at("2026-03-02T09:00:00+00:00"), {4: 20, 5: 20}),
                               rollup_row(SERVICE_B, at("2026-03-02T09:00:00+00:00"), {1: 5})])
    got = data(api.gql(COMPARE, {"scope": "NATIONAL", "of": SERVICE_B}, token="org_a"))["serviceComparison"]
    prior = (180 + 5) / 45
    assert (got["scope"], got["group"], got["priorWeight"], got["rankedCount"]) == ("NATIONAL", None, 20, 1)
    assert got["priorMean"] == pytest.approx(prior)
    first, second = got["entries"]
    assert (first["serviceId"], first["name"], first["organisationId"], first["ranked"], first["rank"],
            first["count"], first["percentile"]) == (SERVICE_A, "Library card", ORG_A, True, 1, 40, None)
    assert first["shrunkMean"] == pytest.approx((180 + 20 * prior) / 60)
    assert second == {"serviceId": SERVICE_B, "name": "Rakennuslupa", "organisationId": ORG_B, "ranked": False,
                      "rank": None, "shrunkMean": None, "count": None, "percentile": None, "interval": None}
    assert got["focus"] == {"serviceId": SERVICE_B, "rank": None}
    no_class = api.gql(COMPARE, {"scope": "SERVICE_CLASS", "of": SERVICE_A}, token="org_a")
    assert error_code(no_class) == "NO_PEER_GROUP"
    summaries = data(api.gql('{ organisationSummaries(lastDays: 365) { organisationId name services '
                             'publishedServices published count mean } }', token="org_b"))
    assert summaries["organisationSummaries"] == [
        {"organisationId": ORG_A, "name": "Esimerkkilän kaupunki", "services": 1, "publishedServices": 1,
         "published": True, "count": 40, "mean": 4.5},
        {"organisationId": ORG_B, "name": "Demovirasto", "services": 1, "publishedServices": 0,
         "published": False, "count": None, "mean": None}]


ALERTS = """query($org: String, $days: Int!) { alerts(organisationId: $org, lastDays: $days) {
  serviceId questionId direction startedOn detectedOn referenceMean shiftedMean statistic threshold } }"""


def test_alerts_flag_a_drop_for_its_organisation_only(api: Api) -> None:
    rows = daily_history(SERVICE_A, end=NOW, days=365, per_day=30, shares=[0.02, 0.03, 0.1, 0.35, 0.5],
                         shift_at=320, shifted=[0.15, 0.2, 0.3, 0.2, 0.15])
    put_rollups(api.database, rows)
    found = data(api.gql(ALERTS, {"org": None, "days": 90}, token="org_a"))["alerts"]
    assert [(a["serviceId"], a["questionId"], a["direction"]) for a in found] == [
        (SERVICE_A, "national.transaction-smooth", "DROP")]
    (drop,) = found
    shift_day = (NOW - dt.timedelta(days=365 - 320)).date()
    started, detected = dt.date.fromisoformat(drop["startedOn"]), dt.date.fromisoformat(drop["detectedOn"])
    assert shift_day - dt.timedelta(days=3) <= started <= shift_day <= detected <= shift_day + dt.timedelta(days=5)
    assert drop["referenceMean"] > 4 > 3 > drop["shiftedMean"]
    assert drop["threshold"] == pytest.approx(CusumPolicy().threshold)
    assert drop["statistic"] > drop["threshold"]
    assert data(api.gql(ALERTS, {"org": None, "days": 90}, token="org_b"))["alerts"] == []
    assert error_code(api.gql(ALERTS, {"org": ORG_B, "days": 90}, token="org_a")) == "FORBIDDEN"
    assert error_code(api.gql(ALERTS, {"org": None, "days": 90}, token="admin")) == "SCOPE_REQUIRED"
    assert len(data(api.gql(ALERTS, {"org": ORG_A, "days": 90}, token="admin"))["alerts"]) == 1
    assert error_code(api.gql(ALERTS, {"org": None, "days": 400}, token="org_a")) == "WINDOW_OUT_OF_RANGE"


NPS_COMPARE = """{ serviceComparison(questionId: "national.nps", lastDays: 365) { metric priorMean
  entries { serviceId rank shrunkMean shrunkNps npsBand } }
  organisationSummaries(questionId: "national.nps", lastDays: 365) { organisationId mean nps npsBand } }"""
NPS_SCORE = """query($id: ID!) { service(id: $id) { score(questionId: "national.nps", lastDays: 365) {
  headline nps npsBand } } publicScore(serviceId: $id, questionId: "national.nps") { nps npsBand } }"""


def test_nps_services_are_ranked_by_nps_and_carry_its_band(api: Api) -> None:
    hour = at("2026-03-02T09:00:00+00:00")
    put_rollups(api.database, [  # A: all passives (mean 8, NPS 0); B: 70 promoters, 30 detractors (mean 7, NPS 40)
        rollup_row(SERVICE_A, hour, {8: 100}, question_id="national.nps"),
        rollup_row(SERVICE_B, hour, {10: 70, 0: 30}, question_id="national.nps")])
    got = data(api.gql(NPS_COMPARE, token="org_a"))
    comparison = got["serviceComparison"]
    assert comparison["metric"] == "NPS" and comparison["priorMean"] == pytest.approx(20.0)
    first, second = comparison["entries"]
    assert (first["serviceId"], first["rank"], first["shrunkMean"], first["npsBand"]) == (SERVICE_B, 1, None, "GREAT")
    assert first["shrunkNps"] == pytest.approx((100 * 40 + 20 * 20) / 120)
    assert (second["serviceId"], second["rank"], second["npsBand"]) == (SERVICE_A, 2, "GOOD")
    assert second["shrunkNps"] == pytest.approx((20 * 20) / 120)
    summaries = {s["organisationId"]: s for s in got["organisationSummaries"]}
    assert (summaries[ORG_A]["nps"], summaries[ORG_A]["npsBand"]) == (0.0, "GOOD")
    assert (summaries[ORG_B]["nps"], summaries[ORG_B]["npsBand"]) == (pytest.approx(40.0), "GREAT")
    score = data(api.gql(NPS_SCORE, {"id": SERVICE_B}, token="org_b"))
    assert score["service"]["score"] == {"headline": "NPS", "nps": pytest.approx(40.0), "npsBand": "GREAT"}
    assert score["publicScore"] == {"nps": 40, "npsBand": "GREAT"}
    stars = data(api.gql("{ serviceComparison(lastDays: 365) { metric } }", token="org_a"))
    assert stars["serviceComparison"]["metric"] == "MEAN"


LINKED_EVENT = """mutation($input: RecordServiceEventInput!) { recordServiceEvent(input: $input) {
  id drivers themeKeys driverImpacts { driver status } } }"""
LINKED_LOG = """{ publicServiceEvents(first: 5) { occurredOn drivers themeKeys impact { status difference }
  driverImpacts { driver status beforeAnswers afterAnswers beforeCited afterCited before after difference
                  interval { low high } pValue significant } } }"""
OWN_LOG = """query($id: ID!) { serviceAnalytics(serviceId: $id, lastDays: 365) { events {
  drivers driverImpacts { driver beforeCited afterCited before after } } } }"""


def _driver_rows(hour: dt.datetime, counts: dict[tuple[str, str], int]) -> list[RollupDriverHourly]:
    return [RollupDriverHourly(service_id=SERVICE_A, channel_id=NO_CHANNEL, question_id="national.transaction-smooth",
                               wording_version=1, hour=hour, polarity=band, driver=driver, count=count)
            for (band, driver), count in counts.items()]


def test_an_event_cites_drivers_and_themes_and_the_log_tests_each_drivers_share(api: Api) -> None:
    before, after = at("2026-02-05T09:00:00+00:00"), at("2026-02-20T09:00:00+00:00")
    put_rollups(api.database, [rollup_row(SERVICE_A, before, {1: 10, 2: 10, 3: 10, 5: 10}),  # 30 to improve
                               rollup_row(SERVICE_A, after, {1: 5, 2: 5, 3: 10, 4: 10, 5: 10})])  # 20 to improve
    with api.database.transaction() as session:
        session.add_all(_driver_rows(before, {("NEGATIVE", "staff"): 12, ("NEUTRAL", "staff"): 3,
                                              ("POSITIVE", "staff"): 9, ("NEGATIVE", "ease"): 3}))
        session.add_all(_driver_rows(after, {("NEGATIVE", "staff"): 2, ("NEUTRAL", "ease"): 3}))
    given = event_input("2026-02-15", True) | {"drivers": ["staff", "ease", "staff"],
                                               "themeKeys": ["queue.wait-times", "forms_2026"]}
    recorded = data(api.gql(LINKED_EVENT, {"input": given}, token="org_a"))["recordServiceEvent"]
    assert (recorded["drivers"], recorded["themeKeys"]) == (["ease", "staff"], ["queue.wait-times", "forms_2026"])
    assert [d["status"] for d in recorded["driverImpacts"]] == ["COMPLETE", "COMPLETE"]
    [entry] = data(api.gql(LINKED_LOG))["publicServiceEvents"]
    assert (entry["drivers"], entry["impact"]["status"]) == (["ease", "staff"], "COMPLETE")
    ease, staff = entry["driverImpacts"]
    assert (staff["driver"], staff["beforeAnswers"], staff["afterAnswers"], staff["before"], staff["after"]) == (
        "staff", 30, 20, 0.5, 0.1)
    assert (staff["beforeCited"], staff["afterCited"]) == (None, None)  # counts only in the organisation's view
    assert staff["difference"] == pytest.approx(-0.4) and staff["significant"] is True
    assert staff["interval"]["high"] < 0
    assert (ease["before"], ease["after"], ease["significant"]) == (0.1, 0.15, False)
    own = data(api.gql(OWN_LOG, {"id": SERVICE_A}, token="org_a"))["serviceAnalytics"]["events"][0]
    assert own["driverImpacts"][1] == {"driver": "staff", "beforeCited": 15, "afterCited": 2, "before": 0.5,
                                       "after": 0.1}
    plain = data(api.gql(LINKED_EVENT, {"input": event_input("2026-02-16", True)}, token="org_a"))
    assert plain["recordServiceEvent"] | {"id": "x"} == {"id": "x", "drivers": [], "themeKeys": None,
                                                         "driverImpacts": []}


@pytest.mark.parametrize(("extra", "code"), [
    ({"drivers": ["staff", "friendliness"]}, "UNKNOWN_DRIVER"),
    ({"drivers": ["x" * 10_000]}, "UNKNOWN_DRIVER"),
    ({"drivers": ["ease"] * 500}, "UNKNOWN_DRIVER"),
    ({"themeKeys": ["Queue Times"]}, "INVALID_THEME_KEY"),
    ({"themeKeys": [""]}, "INVALID_THEME_KEY"),
    ({"themeKeys": ["a" * 65]}, "INVALID_THEME_KEY"),
    ({"themeKeys": [f"t{i}" for i in range(11)]}, "TOO_MANY_THEMES"),
    ({"themeKeys": ["t"] * 100_000}, "TOO_MANY_THEMES"),
])
def test_cited_drivers_and_theme_keys_are_validated(api: Api, extra: dict[str, Any], code: str) -> None:
    body = api.gql(LINKED_EVENT, {"input": event_input("2026-02-15", True) | extra}, token="org_a")
    assert error_code(body) == code
    assert "x" * 100 not in body["errors"][0]["message"]  # caller text is not echoed at length
    assert data(api.gql('{ publicServiceEvents { id } }'))["publicServiceEvents"] == []
