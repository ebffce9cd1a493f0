"""The publishing workflow: freeze a period's published scores as a numbered draft, publish it, list them.

A published publication never changes: its scores are stored (not recomputed), so a publisher's figures for
"2026-Q1" stay what they were. A later correction (an erasure, late answers) is a new publication of the same
period that names the one it replaces and carries a changelog of every cell added, removed or changed.
Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.battery.scales import HISTOGRAM_SLOTS, Scale
from federation.errors import DomainError, NotFound, PublicationCode
from federation.locks import serialise
from federation.publication.kpis import discard_kpis, freeze_kpis, live_service_kpis
from federation.publication.models import Publication, PublicationScore, PublicationStatus
from federation.publication.periods import Period
from federation.publication.reading import (
    CellKey,
    PublishedScore,
    RawCell,
    question_scales,
    read_published_scores,
)
from federation.rollups.slots import slot_values, slots_of
from federation.scores.stats import Histogram, summarise


def create_draft(session: Session, period: Period, *, now: dt.datetime, actor: str,
                 publication_threshold: int, note: str | None = None) -> Publication:
    """Freeze the published scores and service KPIs of ``period`` as the next numbered draft (with a
    changelog of the scores when it replaces an earlier publication of the same period)."""
    period.require_ended(now)
    serialise(session, "publication")
    pending = session.scalar(select(Publication.number).where(Publication.period == period.label,
                                                              Publication.status == PublicationStatus.DRAFT))
    if pending is not None:
        raise DomainError(PublicationCode.DRAFT_EXISTS, f"publication {pending} is already a draft of {period.label}; "
                                                        "publish or discard it first.")
    scores = read_published_scores(session, start=period.start, end=period.end,
                                   publication_threshold=publication_threshold)
    previous = latest_published(session, period=period.label)
    number = (session.scalar(select(func.max(Publication.number))) or 0) + 1
    publication = Publication(
        number=number, period=period.label, period_start=period.start, period_end=period.end,
        status=PublicationStatus.DRAFT, publication_threshold=publication_threshold, note=note,
        replaces_number=previous.number if previous else None, created_at=now, created_by=actor,
        changelog=changelog(publication_scores(session, previous), scores) if previous else [],
    )
    session.add(publication)
    session.flush()
    _store_scores(session, publication.id, scores)
    kpis = freeze_kpis(session, number, live_service_kpis(
        session, start=period.start, end=period.end, publication_threshold=publication_threshold).values())
    record(session, actor=actor, action="publication.draft", subject=str(number), now=now,
           period=period.label, cells=len(scores), kpi_services=kpis)
    return publication


def _store_scores(session: Session, publication_id: int, scores: list[PublishedScore]) -> None:
    if not scores:
        return
    rows = []
    for score in scores:
        slots = [0] * HISTOGRAM_SLOTS
        for value, count in score.stats.distribution:
            slots[value] = count
        rows.append({"publication_id": publication_id, "service_id": score.key.service_id,
                     "channel_id": score.key.channel_id, "question_id": score.key.question_id,
                     "wording_version": score.key.wording_version, "skipped": score.histogram.skipped,
                     **slot_values(slots)})
    table: Table = PublicationScore.__table__  # type: ignore[assignment]
    session.execute(insert(table), rows)


def publish(session: Session, number: int, *, now: dt.datetime, actor: str) -> Publication:
    """Make draft ``number`` published: from now on it never changes."""
    serialise(session, "publication")
    publication = get_publication(session, number)
    if publication.status is not PublicationStatus.DRAFT:
        raise DomainError(PublicationCode.ALREADY_PUBLISHED,
                          f"publication {number} was published at "
                          f"{publication.published_at}; it can no longer change. Create "
                          "a new draft of the period to correct it.")
    publication.status = PublicationStatus.PUBLISHED
    publication.published_at = now
    record(session, actor=actor, action="publication.publish", subject=str(number), now=now,
           period=publication.period)
    return publication


def discard_draft(session: Session, number: int, *, now: dt.datetime, actor: str) -> None:
    """Delete draft ``number`` and its scores; published publications can never be deleted."""
    serialise(session, "publication")
    publication = get_publication(session, number)
    if publication.status is not PublicationStatus.DRAFT:
        raise DomainError(PublicationCode.ALREADY_PUBLISHED,
                          f"publication {number} is published and can never be deleted.")
    session.execute(delete(PublicationScore).where(PublicationScore.publication_id == publication.id))
    discard_kpis(session, publication.number)
    session.delete(publication)
    record(session, actor=actor, action="publication.discard", subject=str(number), now=now)


def get_publication(session: Session, number: int) -> Publication:
    """Publication ``number``, or UNKNOWN_PUBLICATION."""
    publication = session.scalar(select(Publication).where(Publication.number == number))
    if publication is None:
        raise NotFound(PublicationCode.UNKNOWN_PUBLICATION, f"there is no publication {number}; list them with "
                                                            "`arvio publication list`.")
    return publication


def latest_published(session: Session, *, period: str | None = None) -> Publication | None:
    """The newest published publication (of ``period``, when given)."""
    stmt = select(Publication).where(Publication.status == PublicationStatus.PUBLISHED)
    if period is not None:
        stmt = stmt.where(Publication.period == period)
    return session.scalar(stmt.order_by(Publication.number.desc()).limit(1))


def list_publications(session: Session, *, include_drafts: bool = True) -> list[Publication]:
    """Every publication, newest first."""
    stmt = select(Publication).order_by(Publication.number.desc())
    if not include_drafts:
        stmt = stmt.where(Publication.status == PublicationStatus.PUBLISHED)
    return list(session.scalars(stmt))


def publication_scores(session: Session, publication: Publication | None,
                       service_ids: Collection[str] | None = None) -> list[PublishedScore]:
    """The frozen scores of ``publication`` (for ``service_ids``, or all), in one query."""
    if publication is None or (service_ids is not None and not service_ids):
        return []
    score = PublicationScore
    stmt = select(score).where(score.publication_id == publication.id)
    if service_ids is not None:
        stmt = stmt.where(score.service_id.in_(sorted(service_ids)))
    cells = {CellKey(r.service_id, r.channel_id, r.question_id, r.wording_version):
             RawCell(slots_of(r), r.skipped) for r in session.scalars(stmt)}
    # Stored cells passed the threshold and suppression when frozen; they are summarised as they are.
    return _frozen(cells, question_scales(session), publication.publication_threshold)


def _frozen(cells: dict[CellKey, RawCell], scales: dict[str, Scale], threshold: int) -> list[PublishedScore]:
    result = []
    for key in sorted(cells, key=lambda k: (k.service_id, k.question_id, k.wording_version, k.channel_id)):
        scale = scales.get(key.question_id)
        if scale is None:
            continue
        histogram = Histogram.from_slots(scale, cells[key].slots, skipped=cells[key].skipped)
        result.append(PublishedScore(key, histogram, summarise(histogram, publication_threshold=threshold)))
    return result


def changelog(before: list[PublishedScore], after: list[PublishedScore]) -> list[dict[str, Any]]:
    """What changed between two sets of published cells: added, removed and changed cells, in key order."""
    old = {s.key: s for s in before}
    new = {s.key: s for s in after}
    entries: list[dict[str, Any]] = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a.histogram == b.histogram:
            continue
        change = "added" if a is None else "removed" if b is None else "changed"
        entries.append({"serviceId": key.service_id, "channelId": key.channel_id or None,
                        "questionId": key.question_id, "wordingVersion": key.wording_version,
                        "change": change, "countBefore": a.stats.count if a else None,
                        "countAfter": b.stats.count if b else None,
                        "meanBefore": _rounded(a), "meanAfter": _rounded(b)})
    return entries


def _rounded(score: PublishedScore | None) -> float | None:
    return None if score is None or score.stats.mean is None else round(score.stats.mean, 4)

