"""Ingest of one batch at the domain level (federation/ratings/ingest.py), without HTTP: every item gets its own
result in order, only accepted items reach the table and the rollups, and checking in a read session then storing
in a write session gives what one session gives."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from federation.battery.national import TRANSACTION_SMOOTH
from federation.db import Database
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import FollowUp, ItemCode, ItemStatus, RatingSubmission
from federation.ratings.ingest import BatchTooLarge, IngestPolicy, prepare_batch, store_batch, submit_ratings
from federation.ratings.models import Rating
from federation.registry.service import Names, upsert_organisation, upsert_service
from federation.rollups.models import RollupDriverHourly
from federation.rollups.reading import read_histograms
from pseudonymize.keys import KeyRing
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B, TEST_KEY

PROTECTOR = PrivacyProtector(KeyRing((TEST_KEY,)))


def item(ref: str, value: int | None = 4, *, service: str = SERVICE_A, hours_ago: float = 1,
         **extra: object) -> RatingSubmission:
    fields: dict[str, object] = {"value": value, "skipped": value is None, **extra}
    return RatingSubmission(ref, service, TRANSACTION_SMOOTH, NOW - dt.timedelta(hours=hours_ago),
                            **fields)  # type: ignore[arg-type]


@pytest.fixture
def registry(database: Database) -> Database:
    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("A"), now=NOW)
        upsert_organisation(session, ORG_B, Names("B"), now=NOW)
        session.flush()
        upsert_service(session, SERVICE_A, Names("S"), now=NOW, organisation_ids=(ORG_A,))
        upsert_service(session, SERVICE_B, Names("T"), now=NOW, organisation_ids=(ORG_B,))
    return database


def stored(database: Database) -> tuple[int, int, int]:
    """Ratings stored, answers counted in the rollups, skips counted in the rollups."""
    with database.transaction(write=False) as session:
        ratings = session.scalar(select(func.count()).select_from(Rating)) or 0
        [total] = read_histograms(session, services=None, questions=None, start=NOW - dt.timedelta(days=2),
                                  end=NOW + dt.timedelta(days=1))
    return int(ratings), total.answered, total.skipped


def test_every_item_gets_its_result_in_order_and_only_accepted_ones_count(registry: Database) -> None:
    batch = [item("a", 5), item("b", None), item("a", 3), item("c", 9), item("d", 2, service=SERVICE_B),
             item("e", 4, hours_ago=-1), item("f", 1)]
    with registry.transaction() as session:
        result = submit_ratings(session, ORG_A, batch, now=NOW, protector=PROTECTOR)
    outcome = [(r.index, r.status, r.code) for r in result.results]
    assert outcome == [
        (0, ItemStatus.ACCEPTED, None), (1, ItemStatus.ACCEPTED, None),
        (2, ItemStatus.DUPLICATE, ItemCode.DUPLICATE_IN_BATCH),
        (3, ItemStatus.REJECTED, ItemCode.VALUE_OUT_OF_RANGE), (4, ItemStatus.REJECTED, ItemCode.NOT_YOUR_SERVICE),
        (5, ItemStatus.REJECTED, ItemCode.TIMESTAMP_IN_FUTURE), (6, ItemStatus.ACCEPTED, None)]
    assert (result.accepted, result.duplicates, result.rejected) == (3, 1, 3)
    assert result.touched_services == frozenset({SERVICE_A})
    assert stored(registry) == (3, 2, 1)


def test_a_resent_batch_is_recognised_and_changes_nothing(registry: Database) -> None:
    batch = [item(f"r{i}", 1 + i % 5) for i in range(20)]
    for expected_status in (ItemStatus.ACCEPTED, ItemStatus.DUPLICATE):
        with registry.transaction() as session:
            result = submit_ratings(session, ORG_A, batch, now=NOW, protector=PROTECTOR)
        assert {r.status for r in result.results} == {expected_status}
        assert stored(registry) == (20, 20, 0)
    assert {r.code for r in result.results} == {ItemCode.ALREADY_RECEIVED}


def test_checked_in_a_read_session_then_stored_in_a_write_session(registry: Database) -> None:
    batch = [item(f"x{i}", 1 + i % 5, hours_ago=i) for i in range(30)] + [item("bad", 0)]
    with registry.transaction(write=False) as reading:
        prepared = prepare_batch(reading, ORG_A, batch, now=NOW, protector=PROTECTOR)
    assert stored(registry) == (0, 0, 0)  # checking wrote nothing
    with registry.transaction() as writing:
        result = store_batch(writing, prepared, PROTECTOR)
    assert (result.accepted, result.rejected) == (30, 1)
    assert stored(registry) == (30, 30, 0)


def test_follow_up_drivers_are_counted_with_their_answer(registry: Database) -> None:
    batch = [item("low", 2, follow_up=FollowUp(("ease", "efficiency"), None)),
             item("high", 5, follow_up=FollowUp(("staff",), None)),
             item("odd", 3, follow_up=FollowUp(("waiting",), None))]
    with registry.transaction() as session:
        result = submit_ratings(session, ORG_A, batch, now=NOW, protector=PROTECTOR)
    assert [r.code for r in result.results] == [None, None, ItemCode.UNKNOWN_DRIVER]
    with registry.transaction(write=False) as session:
        counts = {(r.polarity, r.driver): r.count for r in session.scalars(select(RollupDriverHourly))}
    assert sum(counts.values()) == 3 and {d for _, d in counts} == {"ease", "efficiency", "staff"}
    assert len({p for p, _ in counts}) == 2  # a low answer's drivers and a high answer's are told apart


def test_a_batch_over_the_limit_is_refused_whole(registry: Database) -> None:
    with registry.transaction() as session, pytest.raises(BatchTooLarge, match="at most 3 ratings; you sent 4"):
        submit_ratings(session, ORG_A, [item(f"r{i}") for i in range(4)], now=NOW, protector=PROTECTOR,
                       policy=IngestPolicy(max_items=3))
    assert stored(registry) == (0, 0, 0)
