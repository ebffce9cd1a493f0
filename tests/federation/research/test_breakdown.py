"""Breakdowns end to end in the domain (SQLite and PostgreSQL): suppression patterns, consistent noise across
queries and scopes, refusals with their exact messages, the differential-privacy budget, the cache and the audit."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from federation.db import Database
from federation.research.ledger import GLOBAL_LEDGER, researcher_ledger
from federation.research.models import PrivacyBudget
from federation.research.service import budget, research_audit
from federation.research.shapes import (
    BreakdownRefusal,
    Dimension,
    Period,
    ResearchPolicy,
    Scope,
    ScopeKind,
)
from pseudonymize.disclosure import Metric
from tests.conftest import ORG_A, SERVICE_A
from tests.federation.research.conftest import LIBRARIES, RESEARCHER, Ask, request
from tests.federation.research.cubes import NPS, Answer, cube_rows, insert_cube

ALLOWED = ResearchPolicy().allowed()
GENDERS = {"2025Q3": {"female": 30, "male": 25, "other": 2, "": 12},
           "2025Q4": {"female": 28, "male": 22, "": 3}}


def gender_cube() -> list[dict[str, object]]:
    answers, number = [], 0
    for quarter, groups in GENDERS.items():
        for gender, n in groups.items():
            for _ in range(n):
                number += 1
                answers.append(Answer(f"p{number}", SERVICE_A, quarter, 0, 1 + number % 5, "40-44", "01", "fi",
                                      gender))
    return cube_rows(answers)


@pytest.fixture
def cube(registry: Database) -> Database:
    insert_cube(registry, gender_cube())
    return registry


def suppressed(result: object) -> set[tuple[str | None, ...]]:
    return {e.levels for e in result.answer.entries if e.suppressed}  # type: ignore[attr-defined]


def values(result: object) -> dict[tuple[str | None, ...], object]:
    return {e.levels: e.values for e in result.answer.entries}  # type: ignore[attr-defined]


def test_suppression_per_quarter_and_its_union_over_the_period(cube: Database, ask: Ask) -> None:
    q3 = ask(request(Dimension.GENDER, first="2025Q3", last="2025Q3"))
    assert suppressed(q3) == {("other",), ("unspecified",)}
    q4 = ask(request(Dimension.GENDER, first="2025Q4", last="2025Q4"))
    assert suppressed(q4) == {("other",), ("unspecified",), ("not-given",)}
    both = ask(request(Dimension.GENDER))
    assert suppressed(both) == {("other",), ("unspecified",), ("not-given",)}
    assert both.answer.quarters_with_answers == ("2025Q3", "2025Q4")
    year = ask(request(Dimension.GENDER, first="2025", last="2025"))
    assert suppressed(year) == suppressed(both) and year.answer.quarters_with_answers == ("2025Q3", "2025Q4")


def test_published_values_are_close_rounded_and_in_range(cube: Database, ask: Ask) -> None:
    result = ask(request(Dimension.GENDER, metrics=frozenset(Metric) - {Metric.NPS, Metric.YES_SHARE}))
    truth = {("female",): 58, ("male",): 47, (None,): 122}
    for levels, published in values(result).items():
        if levels in truth:
            assert published is not None and published.count is not None  # type: ignore[attr-defined]
            assert published.count % 5 == 0 and abs(published.count - truth[levels]) <= 5  # type: ignore
            assert 1 <= published.mean <= 5 and (published.mean * 10).denominator == 1  # type: ignore
            assert published.top_two_box is not None  # type: ignore[attr-defined]


def test_the_same_cell_gets_the_same_values_in_every_query_and_scope(cube: Database, ask: Ask) -> None:
    total = values(ask(request()))[()]
    assert values(ask(request(Dimension.GENDER)))[(None,)] == total
    assert values(ask(request(Dimension.AGE_BAND, Dimension.REGION)))[(None, None)] == total
    assert values(ask(request(Dimension.REGION, Dimension.GENDER)))[("01", "female")] == \
        values(ask(request(Dimension.GENDER)))[("female",)]
    # Service B has no answers: the class and the nation count exactly what service A counts, so they get the same
    # noise — a second, independent draw would let the two be averaged.
    for scope in (Scope(ScopeKind.ORGANISATION, ORG_A), Scope(ScopeKind.SERVICE_CLASS, LIBRARIES),
                  Scope(ScopeKind.NATION)):
        assert values(ask(request(Dimension.GENDER, scope=scope))) == values(ask(request(Dimension.GENDER)))


def test_an_empty_period_publishes_nothing(registry: Database, ask: Ask) -> None:
    result = ask(request(Dimension.LANGUAGE))
    assert result.answer.quarters_with_answers == ()
    assert all(e.suppressed for e in result.answer.entries)


@pytest.mark.parametrize(("make", "code", "message"), [
    (lambda: request(Dimension.AGE_BAND, Dimension.REGION, Dimension.GENDER), "TOO_MANY_DIMENSIONS",
     "the breakdown asks for 3 dimensions (AGE_BAND, REGION, GENDER); ask for at most two distinct ones."),
    (lambda: request(first="2025Q4", last="2026Q1"), "PERIOD_NOT_ENDED",
     "the period ends on 2026-03-31, which has not passed; ask for quarters that have ended."),
    (lambda: request(first="2022Q4", last="2025Q4"), "PERIOD_TOO_LONG", "the period has 13 quarters."),
    (lambda: request(first="2025", last="2025Q4"), "INVALID_PERIOD",
     "from and to must both be whole quarters ('2025Q1') or both whole years ('2025')."),
    (lambda: request(first="2025Q4", last="2025Q3"), "INVALID_PERIOD", "period starts (2025Q4) after it ends "
                                                                       "(2025Q3)."),
    (lambda: request(metrics=frozenset({Metric.NPS})), "METRIC_NOT_FOR_SCALE",
     "NPS is not defined for national.transaction-smooth, which uses the STARS_5 scale."),
    (lambda: request(question=NPS, metrics=frozenset({Metric.YES_SHARE})), "METRIC_NOT_FOR_SCALE",
     "YES_SHARE is not defined for national.nps, which uses the NPS_11 scale."),
    (lambda: request(metrics=frozenset()), "NO_METRICS", "the breakdown asks for no metric."),
    (lambda: request(question="org.own-question"), "QUESTION_NOT_ALLOWED",
     "the questionId is not a question of the national battery."),
    (lambda: request(scope=Scope(ScopeKind.SERVICE, "not-a-guid")), "UNKNOWN_SCOPE",
     "the scope id is not a valid service id."),
    (lambda: request(scope=Scope(ScopeKind.SERVICE_CLASS, "no such class")), "UNKNOWN_SCOPE",
     "no registered service belongs to the service class asked for."),
    (lambda: request(scope=Scope(ScopeKind.NATION, "FI")), "INVALID_SCOPE", "scope NATION takes no id."),
    (lambda: request(epsilon=Fraction(9)), "EPSILON_OUT_OF_RANGE", "epsilon 9 is out of range."),
])
def test_shapes_outside_the_rules_are_refused_with_what_is_allowed(cube: Database, ask: Ask, make: object,
                                                                   code: str, message: str) -> None:
    with pytest.raises(BreakdownRefusal) as refusal:
        ask(make())  # type: ignore[operator]
    assert (refusal.value.code, refusal.value.message) == (code, f"{message} {ALLOWED}")


def test_a_refusal_is_audited(cube: Database, ask: Ask) -> None:
    with pytest.raises(BreakdownRefusal):
        ask(request(first="2025Q4", last="2026Q1"))
    with cube.transaction(write=False) as session:
        events = research_audit(session, first=10)
    assert [(e.actor, e.action, e.detail["outcome"], e.detail["code"]) for e in events] == [
        (RESEARCHER.actor, "research.breakdown", "refused", "PERIOD_NOT_ENDED")]


def test_differential_privacy_debits_caches_and_audits(cube: Database, ask: Ask) -> None:
    first = ask(request(Dimension.GENDER, epsilon=Fraction(1, 2)), seed=1)
    assert (first.cost, first.cached) == (Fraction(1, 2), False)
    again = ask(request(Dimension.GENDER, epsilon=Fraction(1, 2)), seed=2)
    assert (again.cost, again.cached, again.answer) == (0, True, first.answer)
    assert suppressed(first) == {("other",), ("unspecified",), ("not-given",)}
    with cube.transaction(write=False) as session:
        own, shared = budget(session, RESEARCHER, ResearchPolicy())
        events = research_audit(session, first=10)
    assert (own.spent, own.remaining, shared.spent) == (Fraction(1, 2), Fraction(19, 2), Fraction(1, 2))
    assert [(e.detail["outcome"], e.detail["cost"], e.detail["cached"]) for e in events] == [
        ("answered", "1/2", False), ("answered", "0", True)]


def test_the_budget_is_never_overspent_and_a_refusal_costs_nothing(cube: Database, ask: Ask) -> None:
    policy = ResearchPolicy(researcher_budget=Fraction(1))
    ask(request(Dimension.GENDER, epsilon=Fraction(3, 5)), policy=policy)
    with pytest.raises(BreakdownRefusal) as refusal:
        ask(request(Dimension.LANGUAGE, epsilon=Fraction(3, 5)), policy=policy)
    assert refusal.value.code == "PRIVACY_BUDGET_EXHAUSTED"
    assert refusal.value.message == (
        "this answer costs epsilon 0.6 but your privacy budget has 0.4 left of 1; ask for a smaller epsilon, repeat "
        "a query already answered (free), use DISCLOSURE_CONTROL mode, or ask an administrator.")
    ask(request(Dimension.GENDER, epsilon=Fraction(3, 5)), policy=policy)  # the repeat is free
    with cube.transaction(write=False) as session:
        spent = {row[0]: row[1] for row in session.execute(select(PrivacyBudget.ledger, PrivacyBudget.spent_micro))}
        outcomes = [e.detail["outcome"] for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert spent == {researcher_ledger("dr-virtanen"): 600_000, GLOBAL_LEDGER: 600_000}
    assert outcomes == ["answered", "refused", "answered"]


def test_period_and_scope_shapes() -> None:
    assert Period("2024", "2025").quarters == tuple(f"{y}Q{q}" for y in (2024, 2025) for q in range(1, 5))
    assert Period("2025Q4", "2026Q1").quarters == ("2025Q4", "2026Q1")
    assert Scope(ScopeKind.SERVICE, SERVICE_A).label == f"SERVICE:{SERVICE_A}"


def test_policies_refuse_unsafe_settings_with_exact_messages() -> None:
    from federation.settings import Settings, SettingsError
    from pseudonymize.disclosure import DisclosurePolicy

    with pytest.raises(ValueError) as error:
        ResearchPolicy(disclosure=DisclosurePolicy(threshold=5), production=True)
    assert str(error.value) == ("the research threshold may not be below 10 in production, got 5; raise "
                                "ARVIO_RESEARCH_THRESHOLD.")
    with pytest.raises(ValueError) as error:
        ResearchPolicy(researcher_budget=Fraction(1, 10**7))
    assert str(error.value) == "researcher_budget must be zero or more with at most six decimals, got 1/10000000."
    with pytest.raises(SettingsError) as settings_error:
        Settings(environment="production", research_threshold=9)
    assert str(settings_error.value) == ("ARVIO_RESEARCH_THRESHOLD must be at least 1, and at least 10 in production "
                                         "(every published cell and margin rests on that many respondents).")
    assert Settings.from_env({"ARVIO_RESEARCH_BUDGET_EPSILON": "2.5"}).research_budget_epsilon == 2.5
    with pytest.raises(SettingsError) as settings_error:
        Settings.from_env({"ARVIO_RESEARCH_BUDGET_EPSILON": "lots"})
    assert str(settings_error.value) == "ARVIO_RESEARCH_BUDGET_EPSILON must be a number such as 10 or 0.5, got 'lots'."
