"""Helpers of the citizen-flow tests: ticket keys, draws, answers, exposure flushes through the real app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from federation.ratings.tickets import TicketKey, mint_ticket
from schema.http.lifespan import flush_exposures
from tests.conftest import CHANNEL_A, SERVICE_A, Api

ROTATE = "mutation($org: String) { rotateTicketKey(organisationId: $org) { organisationId version key } }"
STAR_QUESTIONS = {"national.transaction-smooth", "national.language-clear", "national.found-easily",
                  "national.easy-to-use", "national.helped-progress", "national.recommend"}


def ticket_key(api: Api, token: str = "org_a") -> TicketKey:
    """Create (or rotate) the calling organisation's ticket key through GraphQL."""
    body = api.gql(ROTATE, token=token)
    assert "errors" not in body, body
    return TicketKey.parse(body["data"]["rotateTicketKey"]["key"])


def mint(api: Api, key: TicketKey, service: str = SERVICE_A, channel: str | None = CHANNEL_A,
         lifetime: dt.timedelta = dt.timedelta(hours=1), nonce: str | None = None) -> str:
    """A ticket minted at the app's current time."""
    return mint_ticket(key, service_id=service, channel_id=channel, now=api.clock.now, lifetime=lifetime,
                       nonce=nonce)


def draw(api: Api, service: str = SERVICE_A, channel: str | None = CHANNEL_A, locale: str = "fi",
         status: int = 200) -> dict[str, Any]:
    """GET /widget/draw."""
    params = {"service": service, "locale": locale} | ({"channel": channel} if channel else {})
    response = api.client.get("/widget/draw", params=params)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def post(api: Api, path: str, payload: dict[str, Any], status: int = 200) -> dict[str, Any]:
    """POST a widget JSON route and check the HTTP status."""
    response = api.client.post(path, json=payload)
    assert response.status_code == status, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    body: dict[str, Any] = response.json()
    return body


def answer(api: Api, drawn: dict[str, Any], ticket: str | None, value: int | None = None, *,
           skipped: bool = False, status: int = 200, locale: str = "fi") -> dict[str, Any]:
    """POST /widget/answer for a draw."""
    return post(api, "/widget/answer", {"drawId": drawn["drawId"], "ticket": ticket, "value": value,
                                        "skipped": skipped, "locale": locale}, status)


def follow_up(api: Api, drawn: dict[str, Any], ticket: str | None, drivers: list[str], text: str | None = None,
              status: int = 200) -> dict[str, Any]:
    """POST /widget/follow-up for a draw."""
    return post(api, "/widget/follow-up", {"drawId": drawn["drawId"], "ticket": ticket, "drivers": drivers,
                                           "text": text}, status)


def flush(api: Api) -> int:
    """Write the in-memory exposure counts to the rollups now."""
    return flush_exposures(api.client.app.state.arvio)  # type: ignore[attr-defined]


def pin_question(api: Api, question_id: str, token: str = "org_a") -> None:
    """Make ``question_id`` the only question the organisation draws on the web (weights 0 elsewhere)."""
    for other in STAR_QUESTIONS - {question_id}:
        body = api.gql(SET_WEIGHT, {"input": {"questionId": other, "weight": 0}}, token=token)
        assert "errors" not in body, body


SET_WEIGHT = """mutation($input: SetQuestionWeightInput!) { setQuestionWeight(input: $input) {
  organisationId questionId weight serviceId channelId } }"""
