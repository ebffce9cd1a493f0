"""Organisations' own breakdowns through the real ASGI app (federation/research/organisations.py): only their own
services, the same disclosure control as researchers' (small cells suppressed), their own budget ledger, audited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ORG_A, ORG_B, SERVICE_A, SERVICE_B, Api
from tests.federation.research.cubes import Answer, cube_rows, insert_cube

ORG_BREAKDOWN = """query($input: BreakdownInput!) { organisationBreakdown(input: $input) {
  scope { kind id serviceCount } questionId mode cost cached threshold
  cells { kind gender suppressed count mean } } }"""
ORG_BUDGET = "{ organisationResearchBudget { ledger cap spent remaining globalRemaining } }"
AUDIT = "{ researchAudit { actor action subject outcome code cost } }"


def ask(scope: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"scope": scope, "questionId": "national.transaction-smooth", "from": "2025Q3",
                            "to": "2025Q4", "by": ["GENDER"], "metrics": ["COUNT", "MEAN"]}
    return {"input": base | overrides}


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
def cube(api: Api) -> Api:
    # SERVICE_A (ORG_A): 150 answers, 3 of them gender "other" (a small cell); SERVICE_B (ORG_B): 60 answers.
    genders = ["female", "male"] * 60 + ["female"] * 27 + ["other"] * 3
    answers = [Answer(f"a{i}", SERVICE_A, ("2025Q3", "2025Q4")[i % 2], 0, 1 + i % 5, "40-44", "01", "fi", g)
               for i, g in enumerate(genders)]
    answers += [Answer(f"b{i}", SERVICE_B, "2025Q3", 0, 1 + i % 5, "40-44", "01", "fi", ("female", "male")[i % 2])
                for i in range(60)]
    insert_cube(api.database, cube_rows(answers))
    return api


def test_an_organisation_breaks_down_its_own_service_with_small_cells_suppressed(cube: Api) -> None:
    body = cube.gql(ORG_BREAKDOWN, ask({"kind": "SERVICE", "id": SERVICE_A}), token="org_a")
    assert "errors" not in body, body
    answer = body["data"]["organisationBreakdown"]
    assert (answer["scope"], answer["mode"], answer["cost"], answer["threshold"]) == (
        {"kind": "SERVICE", "id": SERVICE_A, "serviceCount": 1}, "DISCLOSURE_CONTROL", 0.0, 10)
    cells = {(c["kind"], c["gender"]): c for c in answer["cells"]}
    other = cells[("CELL", "other")]
    assert (other["suppressed"], other["count"], other["mean"]) == (True, None, None)  # 3 < 10 respondents
    shown = {key: c for key, c in cells.items() if not c["suppressed"]}
    assert all(c["count"] % 5 == 0 for c in shown.values()) and ("TOTAL", None) in shown
    assert abs(shown[("TOTAL", None)]["count"] - 150) <= 5
    # the small cell cannot be derived as the total minus the published cells: a second cell is suppressed too
    assert {("CELL", "female"), ("CELL", "male")} - set(shown)
    whole = cube.gql(ORG_BREAKDOWN, ask({"kind": "ORGANISATION", "id": ORG_A}), token="org_a")
    assert whole["data"]["organisationBreakdown"]["scope"]["kind"] == "ORGANISATION"


@pytest.mark.parametrize("scope", [
    {"kind": "SERVICE", "id": SERVICE_B},                     # another organisation's service
    {"kind": "ORGANISATION", "id": ORG_B},                    # another organisation
    {"kind": "NATION"},                                       # everyone's services
    {"kind": "SERVICE_CLASS", "id": "libraries"},
    {"kind": "SERVICE", "id": "not-a-guid-131052-308T"},
    {"kind": "ORGANISATION", "id": "x" * 5000},
])
def test_an_organisation_cannot_ask_about_other_organisations_services(cube: Api, scope: dict[str, Any]) -> None:
    body = cube.gql(ORG_BREAKDOWN, ask(scope), token="org_a")
    assert codes(body) == ["NOT_YOUR_SCOPE"] and body["data"] is None
    assert "131052-308T" not in body["errors"][0]["message"]
    [event] = cube.gql(AUDIT, token="admin")["data"]["researchAudit"]
    assert (event["outcome"], event["code"], event["action"]) == ("refused", "NOT_YOUR_SCOPE", "research.breakdown")
    assert "131052-308T" not in str(event)


@pytest.mark.parametrize("token", [None, "researcher", "publisher", "admin"])
def test_only_organisations_ask_organisation_breakdowns(cube: Api, token: str | None) -> None:
    body = cube.gql(ORG_BREAKDOWN, ask({"kind": "SERVICE", "id": SERVICE_A}), token=token)
    assert codes(body) == ["UNAUTHENTICATED" if token is None else "FORBIDDEN"]


def test_differential_privacy_debits_the_organisations_own_ledger_and_the_global_one(cube: Api) -> None:
    dp = ask({"kind": "SERVICE", "id": SERVICE_A}, mode="DIFFERENTIAL_PRIVACY", epsilon=0.5)
    first = cube.gql(ORG_BREAKDOWN, dp, token="org_a")["data"]["organisationBreakdown"]
    assert (first["cost"], first["cached"]) == (0.5, False)
    assert cube.gql(ORG_BREAKDOWN, dp, token="org_a")["data"]["organisationBreakdown"]["cost"] == 0.0  # repeat
    assert cube.gql(ORG_BUDGET, token="org_a")["data"]["organisationResearchBudget"] == {
        "ledger": f"organisation:{ORG_A}", "cap": 10.0, "spent": 0.5, "remaining": 9.5, "globalRemaining": 99.5}
    assert cube.gql(ORG_BUDGET, token="org_b")["data"]["organisationResearchBudget"]["spent"] == 0.0
    capped = cube.gql(f'mutation {{ setResearchBudget(input: {{organisationId: "{ORG_A}", cap: 0.6}}) '
                      "{ ledger cap spent } }", token="admin")
    assert capped["data"]["setResearchBudget"] == {"ledger": f"organisation:{ORG_A}", "cap": 0.6, "spent": 0.5}
    over = cube.gql(ORG_BREAKDOWN, dp | {"input": dp["input"] | {"by": ["LANGUAGE"]}}, token="org_a")
    assert codes(over) == ["PRIVACY_BUDGET_EXHAUSTED"]
    both = cube.gql(f'mutation {{ setResearchBudget(input: {{organisationId: "{ORG_A}", researcherLabel: "test", '
                    "cap: 1}) { cap } }", token="admin")
    assert codes(both) == ["INVALID_BUDGET"]
    unknown = cube.gql('mutation { setResearchBudget(input: {organisationId: "1234567-1", cap: 1}) { cap } }',
                       token="admin")
    assert codes(unknown) in (["INVALID_ID"], ["UNKNOWN_ORGANISATION"])
