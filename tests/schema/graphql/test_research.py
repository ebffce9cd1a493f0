"""Researcher breakdowns through the real ASGI app: the `breakdown` query, budgets, the audit trail, refusals, and
that a RESEARCHER token reaches nothing but published figures anywhere else in the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from federation.auth.models import Role
from federation.research.shapes import ResearchPolicy
from tests.conftest import NOW, SERVICE_A, Api
from tests.federation.research.cubes import Answer, cube_rows, insert_cube

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


@pytest.mark.parametrize(("first", "last"), [("9999Q4", "9999Q4"), ("2025Q1", "9999"), ("1999", "2025"),
                                             ("2025Q4", "2025Q1")])
def test_periods_outside_the_years_or_backwards_are_refused_at_once(cube: Api, first: str, last: str) -> None:
    body = cube.gql(BREAKDOWN, {"input": breakdown_input(**{"from": first, "to": last})}, token="researcher")
    assert codes(body) == ["INVALID_PERIOD"]


def test_a_quarter_opens_to_research_thirty_days_after_it_ends(cube: Api) -> None:
    cube.clock.now = dt.datetime(2026, 1, 30, 12, tzinfo=dt.UTC)
    body = cube.gql(BREAKDOWN, {"input": breakdown_input()}, token="researcher")
    assert codes(body) == ["PERIOD_NOT_ENDED"]
    assert "opens to research 30 days after it ends" in body["errors"][0]["message"]
    assert "(this one on 2026-01-31)" in body["errors"][0]["message"]
    cube.clock.now = dt.datetime(2026, 1, 31, 0, 1, tzinfo=dt.UTC)
    assert "errors" not in cube.gql(BREAKDOWN, {"input": breakdown_input()}, token="researcher")


def test_a_budget_belongs_to_the_registered_researcher_whatever_the_spelling(cube: Api) -> None:
    registered = cube.gql('mutation { registerResearcher(name: "  Res1 ") { key name } }', token="admin")
    assert registered["data"]["registerResearcher"] == {"key": "res1", "name": "Res1"}
    again = cube.gql('mutation { registerResearcher(name: "RES1") { key name } }', token="admin")
    assert again["data"]["registerResearcher"] == {"key": "res1", "name": "Res1"}
    spellings = ["res1", "RES1", " Res1  ", "ｒｅｓ１"]
    tokens = [cube.token(Role.RESEARCHER, label=label) for label in spellings]
    dp = breakdown_input(mode="DIFFERENTIAL_PRIVACY", epsilon=2)
    for number, token in enumerate(tokens):
        answer = cube.gql(BREAKDOWN, {"input": dp | {"by": [["GENDER"], ["REGION"], ["LANGUAGE"], ["AGE_BAND"]]
                                                     [number]}}, token=token)
        assert "errors" not in answer, answer
    budget = cube.gql(BUDGET, token=tokens[0])["data"]["researchBudget"]
    assert (budget["ledger"], budget["spent"]) == ("researcher:res1", 8.0)
    listed = cube.gql("{ researchers { key name spent cap } }", token="admin")["data"]["researchers"]
    assert {"key": "res1", "name": "Res1", "spent": 8.0, "cap": 10.0} in listed
    assert codes(cube.gql("{ researchers { key } }", token="researcher")) == ["FORBIDDEN"]


def test_a_token_that_names_no_registered_researcher_is_refused(cube: Api) -> None:
    from sqlalchemy import delete

    from federation.research.models import RegisteredResearcher

    token = cube.token(Role.RESEARCHER, label="gone")
    with cube.database.transaction() as session:
        session.execute(delete(RegisteredResearcher).where(RegisteredResearcher.key == "gone"))
    body = cube.gql(BREAKDOWN, {"input": breakdown_input()}, token=token)
    assert codes(body) == ["RESEARCHER_NOT_REGISTERED"]
    issued = cube.gql('mutation { issueToken(input: {role: RESEARCHER, label: "nobody"}) { id } }', token="admin")
    assert codes(issued) == ["RESEARCHER_NOT_REGISTERED"]


def test_a_refused_breakdown_keeps_no_typed_identifier_in_the_audit(cube: Api) -> None:
    for scope in ({"kind": "SERVICE", "id": "131052-308T"}, {"kind": "ORGANISATION", "id": "131052-308T"},
                  {"kind": "SERVICE_CLASS", "id": "131052-308T"}):
        body = cube.gql(BREAKDOWN, {"input": breakdown_input(scope=scope, questionId="010101-123N",
                                                             **{"from": "131052-308T"})}, token="researcher")
        assert body.get("errors"), body
    trail = cube.gql(AUDIT, token="admin")["data"]["researchAudit"]
    assert len(trail) == 3 and all(e["outcome"] == "refused" for e in trail)
    text = repr(trail)
    assert "131052" not in text and "010101" not in text
    assert "<withheld>" in text
