"""Erasure equals never-inserted: a Hypothesis state machine submits ratings of a few people (with and without
identifiers, demographics, drivers, across quarters and key rotations), erases one person, and compares every
aggregate table and the remaining microdata with a fresh database that only ever got the other ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import Table, func, or_, select

from federation.db import Database
from federation.models import DemographicCell, RollupDriverHourly, RollupHourly
from federation.privacy.erasure import ErasureScope, erase_respondent
from federation.ratings.contract import RatingSubmission
from pseudonymize.keys import KeyRing
from tests.conftest import CHANNEL_A, NOW, ORG_A, SERVICE_A, SERVICE_B, TEST_KEY
from tests.federation.privacy.helpers import PEOPLE, answer, demographics, reset, snapshot, submit

MOMENTS = (NOW - dt.timedelta(hours=1), NOW - dt.timedelta(hours=2), NOW - dt.timedelta(days=30),
           NOW - dt.timedelta(days=80), NOW - dt.timedelta(days=100, hours=3))
"""Answer times in two quarters (2026Q1 and 2025Q4), with room for ties."""


@dataclass(frozen=True)
class Spec:
    """One rating to submit, before it gets its clientRef."""

    person: int | None
    service: str
    value: int | None
    question: str
    moment: dt.datetime
    attributes: dict[str, Any] | None
    drivers: tuple[str, ...]
    channel: str | None


attribute_sets = st.one_of(st.none(), st.fixed_dictionaries({}, optional={
    "birthYear": st.sampled_from([1950, 1980, 2001]),
    "municipalityCode": st.sampled_from(["091", "837"]),
    "language": st.sampled_from(["fi", "sv"]),
    "gender": st.sampled_from(["female", "male"]),
}))
specs = st.builds(
    Spec,
    person=st.one_of(st.none(), st.integers(0, len(PEOPLE) - 1)),
    service=st.sampled_from([SERVICE_A, SERVICE_B]),
    value=st.one_of(st.none(), st.integers(1, 5)),
    question=st.sampled_from(["national.transaction-smooth", "national.easy-to-use"]),
    moment=st.sampled_from(MOMENTS),
    attributes=attribute_sets,
    drivers=st.sampled_from([(), ("ease",), ("staff", "other")]),
    channel=st.sampled_from([None, CHANNEL_A]),
)
COUNTED: tuple[Table, ...] = (RollupHourly.__table__, RollupDriverHourly.__table__,  # type: ignore[assignment]
                             DemographicCell.__table__)
SCOPES = {"admin": ErasureScope(), "organisation A": ErasureScope(organisation_id=ORG_A),
          "service B": ErasureScope(service_id=SERVICE_B)}


class ErasureMachine(RuleBasedStateMachine):
    def __init__(self, main: Database, reference: Database) -> None:
        super().__init__()
        self.main, self.reference = main, reference
        self.ring = KeyRing((TEST_KEY,))
        self.batches: list[tuple[KeyRing, list[tuple[int | None, RatingSubmission]]]] = []
        self.refs = 0

    @initialize()
    def fresh(self) -> None:
        reset(self.main)

    def _submission(self, spec: Spec) -> RatingSubmission:
        self.refs += 1
        person = PEOPLE[spec.person] if spec.person is not None else None
        demo = None
        if spec.attributes is not None or person is not None:
            demo = demographics(person, **(spec.attributes or {}))
        return answer(f"r{self.refs}", spec.value, at=spec.moment, service=spec.service, question=spec.question,
                      demo=demo, drivers=spec.drivers if spec.value is not None else (),
                      channel=spec.channel if spec.service == SERVICE_A else None)

    @rule(batch=st.lists(specs, min_size=1, max_size=5))
    def submit_ratings(self, batch: list[Spec]) -> None:
        items = [(spec.person, self._submission(spec)) for spec in batch]
        results = submit(self.main, [item for _, item in items], self.ring)
        assert sum(r.rejected for r in results) == 0, results
        self.batches.append((self.ring, items))

    @rule()
    def rotate_key(self) -> None:
        if len(self.ring.keys) < 3:
            self.ring = self.ring.with_new_key(bytes([len(self.ring.keys)] * 32))

    @rule(person=st.integers(0, len(PEOPLE) - 1), scope=st.sampled_from(sorted(SCOPES)))
    def erase(self, person: int, scope: str) -> None:
        chosen = SCOPES[scope]
        with self.main.transaction() as session:
            receipt = erase_respondent(session, PEOPLE[person], ring=self.ring, scope=chosen, actor="test",
                                       now=NOW).receipt
        erased = 0
        for _, items in self.batches:
            kept = [(p, i) for p, i in items if not (p == person and _in_scope(chosen, i))]
            erased += len(items) - len(kept)
            items[:] = kept
        assert receipt.ratings_deleted == erased
        reset(self.reference)
        for ring, items in self.batches:
            if items:
                submit(self.reference, [i for _, i in items], ring)
        assert snapshot(self.main) == snapshot(self.reference)

    @invariant()
    def no_negative_counts(self) -> None:
        with self.main.transaction(write=False) as session:
            for table in COUNTED:
                counters = [c for c in table.columns if not c.primary_key]
                assert session.scalar(select(func.count()).select_from(table).where(
                    or_(*(c < 0 for c in counters)))) == 0, table.name


def _in_scope(scope: ErasureScope, item: RatingSubmission) -> bool:
    owner = ORG_A if item.service_id == SERVICE_A else None
    return ((scope.organisation_id is None or scope.organisation_id == owner)
            and (scope.service_id is None or scope.service_id == item.service_id))


def test_erasure_equals_never_inserted(database: Database, reference_database: Database) -> None:
    examples = max(10, settings.default.max_examples // 2)
    run_state_machine_as_test(lambda: ErasureMachine(database, reference_database),
                              settings=settings(max_examples=examples, stateful_step_count=12, deadline=None))
