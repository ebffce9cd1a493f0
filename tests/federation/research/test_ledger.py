"""The privacy-budget ledger under concurrency (SQLite and PostgreSQL): many sessions debiting at once never spend
more than a cap, and exactly what was granted is recorded."""

from __future__ import annotations

import threading
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from federation.db import Database
from federation.research.ledger import GLOBAL_LEDGER, balance, debit, researcher_ledger, set_cap
from federation.research.models import PrivacyBudget
from federation.research.shapes import BreakdownRefusal
from tests.conftest import NOW


def race(database: Database, attempts: list[tuple[str, int]], caps: dict[str, int]) -> list[bool]:
    """Every attempt (ledger, cost) in its own thread and transaction, started together; which were granted."""
    granted = [False] * len(attempts)
    barrier = threading.Barrier(len(attempts))

    def attempt(index: int, ledger: str, cost: int) -> None:
        barrier.wait()
        try:
            with database.transaction() as session:
                debit(session, [(ledger, caps[ledger]), (GLOBAL_LEDGER, caps[GLOBAL_LEDGER])], cost, NOW)
            granted[index] = True
        except BreakdownRefusal:
            pass

    threads = [threading.Thread(target=attempt, args=(i, ledger, cost)) for i, (ledger, cost) in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return granted


def spent(database: Database) -> dict[str, int]:
    with database.transaction(write=False) as session:
        return {row[0]: row[1] for row in session.execute(select(PrivacyBudget.ledger, PrivacyBudget.spent_micro))}


def test_concurrent_debits_stop_exactly_at_the_cap(database: Database) -> None:
    caps = {researcher_ledger("a"): 1_000_000, GLOBAL_LEDGER: 10_000_000}
    granted = race(database, [(researcher_ledger("a"), 70_000)] * 30, caps)
    assert sum(granted) == 14  # 14 × 0.07 = 0.98 ≤ 1 < 15 × 0.07
    assert spent(database) == {researcher_ledger("a"): 980_000, GLOBAL_LEDGER: 980_000}


def test_the_global_cap_binds_all_researchers_together(database: Database) -> None:
    caps = {researcher_ledger(n): 1_000_000 for n in "abc"} | {GLOBAL_LEDGER: 1_500_000}
    granted = race(database, [(researcher_ledger(n), 100_000) for n in "abc" for _ in range(10)], caps)
    assert sum(granted) == 15
    totals = spent(database)
    assert totals[GLOBAL_LEDGER] == 1_500_000
    assert sum(v for k, v in totals.items() if k != GLOBAL_LEDGER) == 1_500_000
    assert all(totals.get(researcher_ledger(n), 0) <= 1_000_000 for n in "abc")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None,
          max_examples=15)
@given(cap=st.integers(0, 2_000_000), costs=st.lists(st.integers(1, 700_000), min_size=1, max_size=12))
def test_no_interleaving_overspends(database: Database, cap: int, costs: list[int]) -> None:
    with database.transaction() as session:
        session.execute(delete(PrivacyBudget))
    ledger = researcher_ledger("r")
    granted = race(database, [(ledger, cost) for cost in costs], {ledger: cap, GLOBAL_LEDGER: 10**12})
    total = sum(cost for cost, ok in zip(costs, granted, strict=True) if ok)
    assert total <= cap
    assert spent(database).get(ledger, 0) == total
    # Whatever was refused did not fit in what was left when it was tried, so it does not fit now either.
    assert all(ok or cost > cap - total for cost, ok in zip(costs, granted, strict=True))


def test_caps_can_be_set_and_read(database: Database) -> None:
    with database.transaction() as session:
        set_cap(session, researcher_ledger("a"), 2_500_000, NOW)
        debit(session, [(researcher_ledger("a"), 0), (GLOBAL_LEDGER, 10_000_000)], 500_000, NOW)
    with database.transaction() as session:
        lowered = set_cap(session, researcher_ledger("a"), 100_000, NOW)
        assert (lowered.cap, lowered.spent, lowered.remaining) == (Fraction(1, 10), Fraction(1, 2), 0)
        assert balance(session, researcher_ledger("new"), 3_000_000).remaining == 3
    with pytest.raises(ValueError) as error, database.transaction() as session:
        debit(session, [(GLOBAL_LEDGER, 1)], 0, NOW)
    assert str(error.value) == "a debit must cost more than 0, got 0 millionths of epsilon."
