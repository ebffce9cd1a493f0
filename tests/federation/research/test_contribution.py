"""Contribution bounding through the real ingest (SQLite and PostgreSQL): however many answers one person adds in a
service and quarter, no count any breakdown rests on moves by more than one."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from federation.db import Database
from federation.models import Base
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import RatingSubmission
from federation.ratings.ingest import submit_ratings
from federation.research.compute import BreakdownSpec, prepare
from federation.research.reading import read_rows, resolve_question, resolve_scope
from federation.research.shapes import Dimension, ResearchPolicy, Scope, ScopeKind
from pseudonymize.disclosure import Metric
from pseudonymize.keys import KeyRing
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B, TEST_KEY
from tests.federation.research.conftest import register
from tests.federation.research.cubes import SMOOTH, quarter_start

OWNER = {SERVICE_A: ORG_A, SERVICE_B: ORG_B}
KEEP = {"organisation", "service", "channel", "service_organisation", "service_channel", "question",
        "question_version", "question_weight"}
SHAPES = [dims for k in range(3) for dims in itertools.combinations(Dimension, k)]
_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu(number: int) -> str:
    """A valid (fictitious) Finnish personal identity code, different for every number below 800."""
    day, month, year, individual = 1 + number % 28, 1 + number // 28 % 12, 50 + number // 336 % 40, 2 + number % 800
    digits = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    return f"{day:02d}{month:02d}{year:02d}-{individual:03d}{_CHECK[int(digits) % 31]}"


attributes = st.fixed_dictionaries({}, optional={
    "birthYear": st.sampled_from([1950, 1975, 1984, 1999]), "municipalityCode": st.sampled_from(["091", "853"]),
    "language": st.sampled_from(["fi", "sv"]), "gender": st.sampled_from(["female", "male"])})
answers = st.tuples(st.sampled_from([SERVICE_A, SERVICE_B]), st.sampled_from(["2025Q3", "2025Q4"]),
                    st.integers(0, 2000), st.integers(1, 5), attributes)


def submission(ref: str, person: int, service: str, quarter: str, hour: int, value: int,
               given_attributes: dict[str, Any]) -> RatingSubmission:
    demographics = {"legalBasis": "PUBLIC_TASK", "personalIdentifier": hetu(person), **given_attributes}
    if len(demographics) == 2:
        demographics["language"] = "fi"  # the cube counts answers with at least one attribute
    return RatingSubmission(ref, service, SMOOTH, quarter_start(quarter) + dt.timedelta(hours=hour), value=value,
                            demographics=demographics)


def submit(database: Database, items: list[RatingSubmission]) -> None:
    protector = PrivacyProtector(KeyRing((TEST_KEY,)))
    with database.transaction() as session:
        for service, owner in OWNER.items():
            mine = [item for item in items if item.service_id == service]
            if mine:
                result = submit_ratings(session, owner, mine, now=NOW, protector=protector)
                assert all(r.status.value == "ACCEPTED" for r in result.results), result.results


def true_counts(database: Database) -> dict[tuple[Any, ...], int]:
    policy = ResearchPolicy()
    counts: dict[tuple[Any, ...], int] = {}
    with database.transaction(write=False) as session:
        question = resolve_question(session, SMOOTH, None, policy)
        for scope_kind, quarters, dims in itertools.product(
                (Scope(ScopeKind.SERVICE, SERVICE_A), Scope(ScopeKind.NATION)),
                (("2025Q3",), ("2025Q4",), ("2025Q3", "2025Q4")), SHAPES):
            scope = resolve_scope(session, scope_kind, policy)
            spec = BreakdownSpec(SMOOTH, 1, question.scale, dims, frozenset({Metric.COUNT}))
            prepared = prepare(read_rows(session, question, scope, quarters, dims), spec, threshold=10)
            for entry, stats in prepared.entries.items():
                key: tuple[Any, ...] = (scope_kind.kind, quarters, dims, entry)
                counts[key] = stats.count
    return counts


def reset(database: Database) -> None:
    with database.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP:
                session.execute(delete(table))


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(base=st.lists(st.tuples(st.integers(0, 60), answers), max_size=25), person=st.integers(0, 61),
       place=st.tuples(st.sampled_from([SERVICE_A, SERVICE_B]), st.sampled_from(["2025Q3", "2025Q4"])),
       extra=st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 5), attributes), min_size=1, max_size=4),
       batches=st.integers(1, 2))
def test_one_person_moves_any_count_by_at_most_one(database: Database, base: list[tuple[int, Any]], person: int,
                                                   place: tuple[str, str], extra: list[tuple[int, int, Any]],
                                                   batches: int) -> None:
    reset(database)
    register_once(database)
    submit(database, [submission(f"b{i}", who, *answer) for i, (who, answer) in enumerate(base)])
    before = true_counts(database)
    added = [submission(f"x{i}", person, *place, hour, value, attrs) for i, (hour, value, attrs) in enumerate(extra)]
    for start in range(batches):
        submit(database, added[start::batches])
    after = true_counts(database)
    moved = {key: after[key] - before[key] for key in before if abs(after[key] - before[key]) > 1}
    assert moved == {}


def register_once(database: Database) -> None:
    from federation.registry.models import Service

    with database.transaction(write=False) as session:
        if session.get(Service, SERVICE_A) is not None:
            return
    register(database)


def test_hetus_are_valid() -> None:
    from federation.privacy.protector import validate_hetu

    assert all(validate_hetu(hetu(n)) == hetu(n) for n in range(0, 800, 37))


