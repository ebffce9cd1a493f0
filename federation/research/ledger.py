"""The privacy-budget ledger: per researcher and global, debited atomically before an answer is released.

A debit is one conditional ``UPDATE privacy_budget SET spent = spent + cost WHERE ledger = … AND spent + cost <=
cap`` per ledger, and succeeds only if it changed exactly one row. The database evaluates the condition on the
row it updates (PostgreSQL re-checks it after waiting for a concurrent writer; SQLite writers are serialised),
so concurrent queries can never spend more than the cap, whatever their interleaving. Both ledgers are debited in
the caller's transaction, in name order (one lock order, no deadlock); if either refuses, the caller's
transaction rolls back and nothing is spent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from federation.errors import ResearchCode
from federation.research.models import PrivacyBudget
from federation.research.shapes import BreakdownRefusal
from federation.upsert import dialect_insert

GLOBAL_LEDGER = "global"
"""The ledger every differentially private answer is debited from, whoever asks."""

_MICRO = 1_000_000
_TABLE: Table = PrivacyBudget.__table__  # type: ignore[assignment]


def researcher_ledger(label: str) -> str:
    """The ledger of one researcher, named by the label their tokens were issued under (tokens issued under
    the same label share a budget)."""
    return f"researcher:{label}"


@dataclass(frozen=True)
class Balance:
    """A ledger's cap and what has been spent, in epsilon (exact)."""

    ledger: str
    cap: Fraction
    spent: Fraction

    @property
    def remaining(self) -> Fraction:
        """What can still be spent (never negative)."""
        return max(Fraction(0), self.cap - self.spent)


def _ensure(session: Session, ledger: str, cap_micro: int, now: dt.datetime) -> None:
    stmt = dialect_insert(session, _TABLE).values(ledger=ledger, cap_micro=cap_micro, spent_micro=0, updated_at=now)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["ledger"]))


def balance(session: Session, ledger: str, default_cap_micro: int) -> Balance:
    """The ledger's balance; a ledger never used has its default cap and nothing spent."""
    row = session.execute(select(_TABLE.c.cap_micro, _TABLE.c.spent_micro)
                          .where(_TABLE.c.ledger == ledger)).first()
    cap, spent = (default_cap_micro, 0) if row is None else (row[0], row[1])
    return Balance(ledger, Fraction(cap, _MICRO), Fraction(spent, _MICRO))


def debit(session: Session, charges: Sequence[tuple[str, int]], cost_micro: int, now: dt.datetime) -> None:
    """Spend ``cost_micro`` from every ledger in ``charges`` (ledger name, cap used if the ledger is new).

    Guarantee: either every ledger is debited or :class:`BreakdownRefusal` ``PRIVACY_BUDGET_EXHAUSTED`` is raised
    (the caller must then roll back its transaction, undoing any debit made here); ``spent <= cap`` holds for
    every ledger under any concurrency.
    """
    if cost_micro <= 0:
        raise ValueError(f"a debit must cost more than 0, got {cost_micro} millionths of epsilon.")
    for ledger, default_cap in sorted(charges):
        _ensure(session, ledger, default_cap, now)
        result = session.execute(
            update(_TABLE)
            .where(_TABLE.c.ledger == ledger, _TABLE.c.spent_micro + cost_micro <= _TABLE.c.cap_micro)
            .values(spent_micro=_TABLE.c.spent_micro + cost_micro, updated_at=now))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            left = balance(session, ledger, default_cap)
            whose = "everyone's shared" if ledger == GLOBAL_LEDGER else "your"
            raise BreakdownRefusal(
                ResearchCode.PRIVACY_BUDGET_EXHAUSTED,
                f"this answer costs epsilon {_text(Fraction(cost_micro, _MICRO))} but {whose} privacy budget has "
                f"{_text(left.remaining)} left of {_text(left.cap)}; ask for a smaller epsilon, repeat a query "
                "already answered (free), use DISCLOSURE_CONTROL mode, or ask an administrator.")


def set_cap(session: Session, ledger: str, cap_micro: int, now: dt.datetime) -> Balance:
    """Set a ledger's cap (creating the ledger); lowering it below what was spent stops further spending."""
    if cap_micro < 0:
        raise ValueError("a budget cap must be zero or more.")
    _ensure(session, ledger, cap_micro, now)
    session.execute(update(_TABLE).where(_TABLE.c.ledger == ledger).values(cap_micro=cap_micro, updated_at=now))
    return balance(session, ledger, cap_micro)


def _text(value: Fraction) -> str:
    return f"{float(value):g}"
