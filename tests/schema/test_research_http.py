"""Researcher breakdowns through the real ASGI app: the `breakdown` query, budgets, the audit trail, refusals, and
that a RESEARCHER token reaches nothing but published figures anywhere else in the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from federation.auth.models import Role
from federation.research.shapes import ResearchPolicy
from tests.conftest import NOW, SERVICE_A, Api
from tests.research.cubes import Answer, cube_rows, insert_cube

BREAKDOWN = """query($input: BreakdownInput!) { breakdown(input: $input) {
  scope { kind id serviceCount } questionId wordingVersion scale from to quarters quartersWithAnswers by metrics
  mode epsilon cost cached threshold
  cells { kind ageBand region language gender suppressed count mean topTwoBox { percent coding } } } }"""
BUDGET = "{ researchBudget { ledger cap spent remaining globalRemaining } }"
AUDIT = "{ researchAudit { id actor action subject outcome code cost cached request } }"


def breakdown_input(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"scope": {"kind": "SERVICE", "id": SERVICE_A}, "questionId": "national.transaction-smooth",
                            "from": "2025Q3", "to": "2025Q4", "by": ["GENDER"],
                            "metrics": ["COUNT", "MEAN", "TOP_TWO_BOX"]}
    return base | overrides


@pytest.fixture
def cube(api: Api) -> Api:
    answers = [Answer(f"p{i}", SERVICE_A, ("2025Q3", "2025Q4")[i % 2], 0, 1 + i % 5, "40-44", "01", "fi",
                      ("female", "male", "other")[min(i % 7, 2)]) for i in range(160)]
    insert_cube(api.database, cube_rows(answers))
    return api


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def test_a_researcher_gets_a_protected_breakdown(cube: Api) -> None:
    body = cube.gql(BREAKDOWN, {"input": breakdown_input()}, token="researcher")
    assert "errors" not in body
    answer = body["data"]["breakdown"]
    assert {k: v for k, v in answer.items() if k != "cells"} == {
        "scope": {"kind": "SERVICE", "id": SERVICE_A, "serviceCount": 1},
        "questionId": "national.transaction-smooth", "wordingVersion": 1, "scale": "STARS_5", "from": "2025Q3",
        "to": "2025Q4", "quarters": ["2025Q3", "2025Q4"], "quartersWithAnswers": ["2025Q3", "2025Q4"],
        "by": ["GENDER"], "metrics": ["COUNT", "MEAN", "TOP_TWO_BOX"], "mode": "DISCLOSURE_CONTROL",
        "epsilon": None, "cost": 0.0, "cached": False, "threshold": 10}
    cells = {(c["kind"], c["gender"]): c for c in answer["cells"]}
    assert [key for key, c in cells.items() if c["suppressed"]] == [("CELL", "unspecified"), ("CELL", "not-given")]
    for key in (("CELL", "female"), ("CELL", "male"), ("CELL", "other"), ("TOTAL", None)):
        assert cells[key]["count"] % 5 == 0 and 1 <= cells[key]["mean"] <= 5
        assert cells[key]["topTwoBox"]["coding"] in ("EXACT", "AT_LEAST", "AT_MOST")
    assert abs(cells[("TOTAL", None)]["count"] - 160) <= 5
    again = cube.gql(BREAKDOWN, {"input": breakdown_input(by=["GENDER"], metrics=["TOP_TWO_BOX", "COUNT", "MEAN"])},
                     token="researcher")
    assert again == body


def test_shapes_outside_the_rules_are_refused_with_what_is_allowed(cube: Api) -> None:
    body = cube.gql(BREAKDOWN, {"input": breakdown_input(by=["GENDER", "REGION", "LANGUAGE"])}, token="researcher")
    assert codes(body) == ["TOO_MANY_DIMENSIONS"]
    assert body["errors"][0]["message"] == (
        "the breakdown asks for 3 dimensions (GENDER, REGION, LANGUAGE); ask for at most two distinct ones. "
        + ResearchPolicy().allowed())
    body = cube.gql(BREAKDOWN, {"input": breakdown_input(**{"from": "2025-Q3"})}, token="researcher")
    assert codes(body) == ["INVALID_PERIOD"]
    body = cube.gql(BREAKDOWN, {"input": breakdown_input(epsilon=0.5)}, token="researcher")
    assert codes(body) == ["EPSILON_NOT_ALLOWED"]
    body = cube.gql(BREAKDOWN, {"input": breakdown_input(mode="DIFFERENTIAL_PRIVACY", epsilon=0.0005)},
                    token="researcher")
    assert codes(body) == ["EPSILON_OUT_OF_RANGE"]


def test_differential_privacy_spends_the_budget_once(cube: Api) -> None:
    dp = breakdown_input(mode="DIFFERENTIAL_PRIVACY", epsilon=0.75)
    first = cube.gql(BREAKDOWN, {"input": dp}, token="researcher")["data"]["breakdown"]
    assert (first["cost"], first["cached"], first["epsilon"]) == (0.75, False, 0.75)
    second = cube.gql(BREAKDOWN, {"input": dp}, token="researcher")["data"]["breakdown"]
    assert (second["cost"], second["cached"], second["cells"]) == (0.0, True, first["cells"])
    assert cube.gql(BUDGET, token="researcher")["data"]["researchBudget"] == {
        "ledger": "researcher:test", "cap": 10.0, "spent": 0.75, "remaining": 9.25, "globalRemaining": 99.25}


def test_admins_set_budgets_and_read_the_audit_trail(cube: Api) -> None:
    cap = cube.gql("""mutation { setResearchBudget(input: {researcherLabel: "test", cap: 1}) {
        ledger cap spent remaining } }""", token="admin")
    assert cap["data"]["setResearchBudget"] == {"ledger": "researcher:test", "cap": 1.0, "spent": 0.0,
                                                "remaining": 1.0}
    dp = breakdown_input(mode="DIFFERENTIAL_PRIVACY", epsilon=0.6)
    cube.gql(BREAKDOWN, {"input": dp}, token="researcher")
    refused = cube.gql(BREAKDOWN, {"input": dp | {"by": ["LANGUAGE"]}}, token="researcher")
    assert codes(refused) == ["PRIVACY_BUDGET_EXHAUSTED"]
    trail = cube.gql(AUDIT, token="admin")["data"]["researchAudit"]
    assert [(e["action"], e["outcome"], e["code"], e["cost"], e["cached"]) for e in trail] == [
        ("research.budget", None, None, None, None),
        ("research.breakdown", "answered", None, 0.6, False),
        ("research.breakdown", "refused", "PRIVACY_BUDGET_EXHAUSTED", 0.0, False)]
    assert trail[1]["subject"] == f"SERVICE:{SERVICE_A}" and '"epsilon": "3/5"' in trail[1]["request"]
    assert codes(cube.gql(AUDIT, token="researcher")) == ["FORBIDDEN"]


@pytest.mark.parametrize("token", [None, "org_a", "publisher", "admin"])
def test_only_researchers_ask_breakdowns(cube: Api, token: str | None) -> None:
    body = cube.gql(BREAKDOWN, {"input": breakdown_input()}, token=token)
    assert codes(body) == ["UNAUTHENTICATED" if token is None else "FORBIDDEN"]
    assert codes(cube.gql(BUDGET, token=token)) == ["UNAUTHENTICATED" if token is None else "FORBIDDEN"]


FORBIDDEN_TO_RESEARCHERS = [
    "{ freeTexts { items { cursor } } }",
    '{ erasureReceipt(requestId: "x") { requestId } }',
    "{ alerts(lastDays: 30) { __typename } }",
    "{ questionWeights { __typename } }",
    "{ ticketKeys { __typename } }",
    f'{{ drawChances(serviceId: "{SERVICE_A}") {{ __typename }} }}',
    "{ researchAudit { id } }",
    'mutation { submitRatings(input: {ratings: []}) { accepted } }',
    'mutation { eraseRespondent(input: {personalIdentifier: "131052-308T"}) { requestId } }',
    'mutation { issueToken(input: {role: RESEARCHER, label: "me"}) { token } }',
    'mutation { revokeToken(id: 1) }',
    f'mutation {{ registerService(input: {{id: "{SERVICE_A}", names: {{fi: "x"}}}}) {{ id }} }}',
    'mutation { setResearchBudget(input: {cap: 1000}) { cap } }',
    'mutation { attachFollowUp(input: {clientRef: "r1"}) { __typename } }',
    'mutation { rotateTicketKey { __typename } }',
]


@pytest.mark.parametrize("query", FORBIDDEN_TO_RESEARCHERS)
def test_a_researcher_reaches_no_microdata_or_admin_function(cube: Api, query: str) -> None:
    assert codes(cube.gql(query, token="researcher")) == ["FORBIDDEN"]


def test_elsewhere_a_researcher_sees_only_published_scores(api: Api) -> None:
    ratings = [{"clientRef": f"r{i}", "serviceId": SERVICE_A, "questionId": "national.transaction-smooth",
                "value": 4, "answeredAt": (NOW - dt.timedelta(days=2)).isoformat()} for i in range(3)]
    submitted = api.gql("mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { accepted } }",
                        {"input": {"ratings": ratings}}, token="org_a")
    assert submitted["data"]["submitRatings"]["accepted"] == 3
    score = f'{{ service(id: "{SERVICE_A}") {{ score {{ published count mean distribution {{ count }} }} }} }}'
    assert api.gql(score, token="researcher")["data"]["service"]["score"] == {
        "published": False, "count": None, "mean": None, "distribution": None}
    assert api.gql(score, token="org_a")["data"]["service"]["score"]["count"] == 3  # the owner sees it
    analytics = (f'{{ serviceAnalytics(serviceId: "{SERVICE_A}", questionId: "national.transaction-smooth") '
                 "{ publicView score { published count } } }")
    assert api.gql(analytics, token="researcher")["data"]["serviceAnalytics"] == {
        "publicView": True, "score": {"published": False, "count": None}}
    other = api.token(Role.RESEARCHER, label="other")
    assert api.gql(BUDGET, token=other)["data"]["researchBudget"]["ledger"] == "researcher:other"
