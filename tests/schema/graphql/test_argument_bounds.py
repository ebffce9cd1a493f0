"""Out-of-range numbers and other organisations' ids are refused with their own codes, never INTERNAL_ERROR."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import CHANNEL_A, ORG_A, ORG_B, SERVICE_A, SERVICE_B, Api

CHANNEL_B = "c5e7f9a1-2d3f-4b5c-9e7f-9b1c3d5f7a9b"
SCORE = "query($w: Int, $from: DateTime, $to: DateTime) { service(id: \"%s\") { score(lastDays: $w, from: $from, " \
        "to: $to) { count } } }" % SERVICE_A
KPIS = "query($from: DateTime, $to: DateTime, $w: Int) { organisationKpis(businessId: \"%s\", from: $from, to: $to, " \
       "lastDays: $w) { firstDay } }" % ORG_A
SERVICE_KPIS = "query($from: DateTime, $to: DateTime, $w: Int) { service(id: \"%s\") { kpis(from: $from, to: $to, " \
               "lastDays: $w) { firstDay } } }" % SERVICE_A
ANALYTICS = "query($from: DateTime, $to: DateTime, $w: Int) { serviceAnalytics(serviceId: \"%s\", from: $from, " \
            "to: $to, lastDays: $w) { headline } }" % SERVICE_A
DELETE_EVENT = "mutation($id: ID!) { deleteServiceEvent(id: $id) }"
SET_WEIGHT = """mutation($input: SetQuestionWeightInput!) { setQuestionWeight(input: $input) {
  organisationId questionId weight serviceId channelId } }"""
WEIGHTS = "{ questionWeights { questionId weight } }"
ROTATE = "mutation($org: String) { rotateTicketKey(organisationId: $org) { organisationId version } }"
REGISTER_CHANNEL = """mutation($input: RegisterChannelInput!) { registerChannel(input: $input) { id } }"""

FAR_FUTURE = "9999-12-30T00:00:00Z"
FAR_PAST = "0001-01-01T00:00:00Z"


def code(body: dict[str, Any]) -> str:
    errors = body.get("errors")
    assert errors, body
    return str(errors[0]["extensions"]["code"])


@pytest.mark.parametrize("query", [SCORE, KPIS, SERVICE_KPIS, ANALYTICS], ids=["score", "orgKpis", "kpis", "analytics"])
@pytest.mark.parametrize(("variables", "expected"), [
    ({"w": 2_147_483_647}, "WINDOW_TOO_LONG"),
    ({"w": 3661}, "WINDOW_TOO_LONG"),
    ({"from": FAR_FUTURE}, "WINDOW_OUT_OF_RANGE"),
    ({"to": FAR_FUTURE}, "WINDOW_OUT_OF_RANGE"),
    ({"to": FAR_PAST}, "WINDOW_OUT_OF_RANGE"),
    ({"from": FAR_PAST, "to": "2026-01-01T00:00:00Z"}, "WINDOW_OUT_OF_RANGE"),
    ({"to": "9999-12-31T23:59:59+14:00"}, "WINDOW_OUT_OF_RANGE"),
])
def test_window_bounds_are_refused_with_a_code(api: Api, query: str, variables: dict[str, Any],
                                               expected: str) -> None:
    body = api.gql(query, variables, token="org_a")
    assert code(body) == expected
    assert "between 1970-01-01 and 3000-01-01" in body["errors"][0]["message"] or expected == "WINDOW_TOO_LONG"


@pytest.mark.parametrize("event_id", ["99999999999999999999", "9223372036854775808", "0", "-1", "²", "١٢", "x", ""])
def test_event_ids_out_of_range_are_invalid(api: Api, event_id: str) -> None:
    body = api.gql(DELETE_EVENT, {"id": event_id}, token="org_a")
    assert code(body) == "INVALID_ID"
    assert "1 to 9223372036854775807" in body["errors"][0]["message"]


def test_largest_event_id_is_simply_unknown(api: Api) -> None:
    assert code(api.gql(DELETE_EVENT, {"id": "9223372036854775807"}, token="org_a")) == "UNKNOWN_EVENT"


def test_weight_for_another_organisation_is_refused(api: Api) -> None:
    body = api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 3, "organisationId": ORG_B}},
                   token="org_a")
    assert code(body) == "NOT_YOUR_ORGANISATION"
    assert api.gql(WEIGHTS, token="org_a")["data"]["questionWeights"] == []
    own = api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 3, "organisationId": ORG_A}},
                  token="org_a")
    assert own["data"]["setQuestionWeight"]["organisationId"] == ORG_A


def test_weight_of_another_organisations_channel_is_refused(api: Api) -> None:
    registered = api.gql(REGISTER_CHANNEL, {"input": {"id": CHANNEL_B, "channelType": "ECHANNEL",
                                                      "names": {"fi": "Lupapiste"}, "services": [SERVICE_B]}},
                         token="admin")
    assert "errors" not in registered, registered
    body = api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 3, "channelId": CHANNEL_B}},
                   token="org_a")
    assert code(body) == "NOT_YOUR_CHANNEL"
    assert api.gql(WEIGHTS, token="org_a")["data"]["questionWeights"] == []
    ok = api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 3, "channelId": CHANNEL_B}},
                 token="org_b")
    assert ok["data"]["setQuestionWeight"]["channelId"] == CHANNEL_B
    assert code(api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 3, "channelId": CHANNEL_A}},
                        token="org_b")) == "NOT_YOUR_CHANNEL"


def test_admin_names_a_registered_organisation(api: Api) -> None:
    unknown = "2000002-4"
    body = api.gql(SET_WEIGHT, {"input": {"questionId": "national.nps", "weight": 3, "organisationId": unknown}},
                   token="admin")
    assert code(body) == "UNKNOWN_ORGANISATION"
    assert code(api.gql(ROTATE, {"org": unknown}, token="admin")) == "UNKNOWN_ORGANISATION"


def test_ticket_key_of_another_organisation_is_refused(api: Api) -> None:
    assert code(api.gql(ROTATE, {"org": ORG_B}, token="org_a")) == "FORBIDDEN"  # its code since the first release
