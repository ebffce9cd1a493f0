"""Tables of researcher breakdowns: the privacy-budget ledger and the cache of differentially private answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, UTCDateTime


class PrivacyBudget(Base):
    """One ledger of differential-privacy budget: a researcher's (``researcher:<label>``) or everyone's
    (``global``). Amounts are epsilon in millionths, so comparisons are exact.

    Invariant (kept by ``federation.research.ledger.debit``'s conditional UPDATE): ``spent_micro <= cap_micro``
    after every debit; lowering a cap below what was spent only stops further spending.
    """

    __tablename__ = "privacy_budget"

    ledger: Mapped[str] = mapped_column(String(220), primary_key=True)
    cap_micro: Mapped[int] = mapped_column(BigInteger)
    spent_micro: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ResearchAnswer(Base):
    """A released differentially private answer, keyed by the SHA-256 of its canonical request: asking the
    identical question again returns it at no cost (re-releasing the same noisy values reveals nothing new)."""

    __tablename__ = "research_answer"

    request_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    request: Mapped[dict[str, object]] = mapped_column(JSON)
    answer: Mapped[dict[str, object]] = mapped_column(JSON)
    cost_micro: Mapped[int] = mapped_column(BigInteger)
    ledger: Mapped[str] = mapped_column(String(220))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class RegisteredResearcher(Base):
    """A researcher an admin registered: budgets, tokens and the audit trail name them by ``key``, the normalised
    name (NFKC, case-folded, inner spaces collapsed), so ``"Res1 "`` and ``"RES1"`` are one researcher with one
    budget, whatever label a token was issued under."""

    __tablename__ = "researcher"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[str] = mapped_column(String(200))
