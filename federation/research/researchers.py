"""Researchers registered by an admin: the identity that owns a privacy budget and that RESEARCHER tokens name.

A budget belongs to a registered researcher, not to a free token label: names are normalised (Unicode NFKC,
case-folded, runs of white space made one space, ends stripped) into the researcher's key, so ``"res1 "``,
``"RES1"`` and ``"res１"`` are one researcher with one budget. A RESEARCHER token can only be issued for a
registered key (federation/auth/tokens.py), and a breakdown asked with a token whose researcher is not registered
is refused with ``RESEARCHER_NOT_REGISTERED``. Registering is audited.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.errors import DomainError, Forbidden, ResearchCode
from federation.locks import serialise
from federation.research.models import PrivacyBudget, RegisteredResearcher

MAX_NAME = 100
_SPACES = re.compile(r"\s+")
REGISTER_ACTION = "research.researcher"


def researcher_key(name: str) -> str:
    """The normalised key of a researcher's name; refuses empty, over-long and control-character names."""
    if not isinstance(name, str):
        raise DomainError(ResearchCode.INVALID_RESEARCHER_NAME, "the researcher's name must be text.")
    key = _SPACES.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    if not key or len(key) > MAX_NAME or any(unicodedata.category(c)[0] == "C" for c in key):
        raise DomainError(ResearchCode.INVALID_RESEARCHER_NAME, f"a researcher's name must be 1–{MAX_NAME} printable "
                                                                "characters, e.g. 'Maija Meikäläinen (THL)'.")
    return key


def register_researcher(session: Session, name: str, *, actor: str, now: dt.datetime) -> RegisteredResearcher:
    """Register a researcher (idempotent: the same normalised name returns the existing entry, unchanged)."""
    key = researcher_key(name)
    serialise(session, "researcher", key)
    found = session.get(RegisteredResearcher, key)
    if found is not None:
        return found
    row = RegisteredResearcher(key=key, name=_SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip(),
                               registered_at=now, registered_by=actor[:200])
    session.add(row)
    session.flush()
    record(session, actor=actor, action=REGISTER_ACTION, subject=key, now=now)
    return row


def registered(session: Session, key: str) -> RegisteredResearcher:
    """The registered researcher of a RESEARCHER token's key; refuses one that is not (or no longer) registered."""
    found = session.get(RegisteredResearcher, key)
    if found is None:
        raise Forbidden("this RESEARCHER token does not name a registered researcher; ask an admin to register you "
                        "(arvio researcher register NAME) and to issue your token for that name.",
                        code=ResearchCode.RESEARCHER_NOT_REGISTERED)
    return found


@dataclass(frozen=True)
class Spending:
    """What one registered researcher has spent of their differential-privacy budget (caps in epsilon)."""

    key: str
    name: str
    registered_at: dt.datetime
    spent: Fraction
    cap: Fraction | None


def spending(session: Session, default_cap: Fraction) -> list[Spending]:
    """Every registered researcher with what they spent and their cap (``default_cap`` for a ledger never used),
    by key."""
    ledgers = {row.ledger: row for row in session.scalars(select(PrivacyBudget))}
    out = []
    for researcher in session.scalars(select(RegisteredResearcher).order_by(RegisteredResearcher.key)):
        ledger = ledgers.get(f"researcher:{researcher.key}")
        out.append(Spending(researcher.key, researcher.name, researcher.registered_at,
                            Fraction(ledger.spent_micro if ledger else 0, 1_000_000),
                            Fraction(ledger.cap_micro, 1_000_000) if ledger else default_cap))
    return out
