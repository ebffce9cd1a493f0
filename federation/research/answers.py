"""The cache of released differentially private answers (``research_answer``) and its JSON form.

An identical repeated request (same canonical shape, same epsilon) is answered from here at no cost: releasing
the same noisy values again reveals nothing new, whereas fresh noise would let repeated queries be averaged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from fractions import Fraction
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from federation.research.compute import Answer, PublishedEntry
from federation.research.models import ResearchAnswer
from federation.upsert import dialect_insert
from pseudonymize.disclosure import PublishedCell, PublishedShare, ShareCoding

_TABLE: Table = ResearchAnswer.__table__  # type: ignore[assignment]


def request_key(canonical_json: str) -> str:
    """The cache key of a request: SHA-256 of its canonical JSON."""
    return hashlib.sha256(canonical_json.encode()).hexdigest()


def cached_answer(session: Session, key: str) -> Answer | None:
    """The answer released for this request key, if any."""
    stored = session.scalar(select(_TABLE.c.answer).where(_TABLE.c.request_key == key))
    return None if stored is None else answer_from_json(stored)


def store_answer(session: Session, key: str, request: dict[str, object], answer: Answer, *, cost_micro: int,
                 ledger: str, now: dt.datetime) -> bool:
    """Keep a released answer; False if another transaction stored one for the same key first."""
    stmt = dialect_insert(session, _TABLE).values(
        request_key=key, request=request, answer=answer_to_json(answer), cost_micro=cost_micro, ledger=ledger,
        created_at=now).on_conflict_do_nothing(index_elements=["request_key"]).returning(_TABLE.c.request_key)
    return session.execute(stmt).first() is not None


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """A JSON-ready form of an answer (exact: means as fractions in text)."""
    return {"quarters": list(answer.quarters_with_answers),
            "entries": [_entry_to_json(entry) for entry in answer.entries]}


def answer_from_json(data: dict[str, Any]) -> Answer:
    """The answer stored by :func:`answer_to_json`."""
    return Answer(tuple(data["quarters"]), tuple(_entry_from_json(item) for item in data["entries"]))


def _entry_to_json(entry: PublishedEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"levels": list(entry.levels), "suppressed": entry.suppressed}
    values = entry.values
    if values is not None:
        out.update(count=values.count, mean=None if values.mean is None else str(values.mean), nps=values.nps,
                   topTwoBox=_share_to_json(values.top_two_box), yesShare=_share_to_json(values.yes_share))
    return out


def _entry_from_json(item: dict[str, Any]) -> PublishedEntry:
    values = None
    if not item["suppressed"]:
        values = PublishedCell(count=item["count"], mean=None if item["mean"] is None else Fraction(item["mean"]),
                               top_two_box=_share_from_json(item["topTwoBox"]),
                               yes_share=_share_from_json(item["yesShare"]), nps=item["nps"])
    return PublishedEntry(tuple(item["levels"]), item["suppressed"], values)


def _share_to_json(share: PublishedShare | None) -> list[Any] | None:
    return None if share is None else [share.percent, share.coding.value]


def _share_from_json(data: list[Any] | None) -> PublishedShare | None:
    return None if data is None else PublishedShare(int(data[0]), ShareCoding(data[1]))
