"""Erasure on request (GDPR Art. 17): delete every rating of one respondent, correct every aggregate, keep a receipt.

How: the identifier (a HETU) is validated and normalised, then its pseudonym is recomputed for every
(service, quarter) domain that holds pseudonymised ratings in the caller's scope, under every key version in the
ring. Every matching rating is deleted, and ``rollup_hourly``, ``rollup_driver_hourly`` and the demographic cube
are corrected so that each equals, row for row, a world where those answers never arrived (rows that reach zero
are deleted; in the cube the respondent's place goes to their latest remaining answer, if another organisation
still holds one). The receipt (``erasure_receipt``) and the audit event hold counts only — never the identifier,
nor which services the person used.

Limits: ratings whose pseudonym was cleared by retention (30 days after their quarter ended) or made under a
destroyed key version can no longer be linked to the identifier, so they cannot be found — they are then
pseudonymous to nobody. Ratings sent without an identifier were never linkable and are not touched. Free text is
deleted with its rating. Frozen publications of published scores are not rewritten.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.battery.models import Question
from federation.errors import AuthCode, DomainError, Forbidden, NotFound, PrivacyCode, RegistryCode
from federation.privacy.cube import (
    CubeDelta,
    StoredRow,
    counted_answers,
    latest,
    load_groups,
    lock_people,
    pseudonyms_kept_from,
)
from federation.privacy.models import ErasureReceipt
from federation.privacy.protector import validate_hetu
from federation.ratings.drivers import split_drivers
from federation.ratings.models import Rating
from federation.registry.models import Service, ServiceOrganisation
from federation.rollups.writing import DriverDelta, RollupDelta, RollupKey, delete_emptied, rollup_key
from pseudonymize.keys import KeyRing
from pseudonymize.pseudonyms import PseudonymDomain, pseudonyms_for_all_keys, quarter_end, quarter_of

_CHUNK = 500


@dataclass(frozen=True)
class ErasureScope:
    """Whose ratings an erasure may delete: one organisation's (an ORGANISATION caller) or every organisation's
    (``organisation_id`` None: ADMIN and the CLI), optionally only of one service."""

    organisation_id: str | None = None
    service_id: str | None = None

    def covers(self, row: Mapping[str, Any]) -> bool:
        """Whether a stored rating is inside the scope."""
        return ((self.organisation_id is None or row["organisation_id"] == self.organisation_id)
                and (self.service_id is None or row["service_id"] == self.service_id))


@dataclass(frozen=True)
class ErasureOutcome:
    """The stored receipt and the services whose scores changed (to invalidate caches; not stored)."""

    receipt: ErasureReceipt
    touched_services: frozenset[str]


def erase_respondent(session: Session, identifier: str, *, ring: KeyRing, scope: ErasureScope, actor: str,
                     now: dt.datetime, request_id: str | None = None) -> ErasureOutcome:
    """Delete every rating of the person with ``identifier`` in ``scope``; the caller commits.

    :class:`DomainError` ``INVALID_PERSONAL_IDENTIFIER`` (the message never repeats the identifier),
    ``UNKNOWN_SERVICE`` or ``NOT_YOUR_SERVICE`` for a service outside the scope. Erasing twice is harmless:
    the second receipt says 0 ratings.
    """
    try:
        normalised = validate_hetu(identifier)
    except ValueError as error:
        raise DomainError(PrivacyCode.INVALID_PERSONAL_IDENTIFIER, f"{error} Nothing was erased.") from None
    _check_scope(session, scope)
    people = _candidate_people(session, normalised, ring, scope)
    found = {person: people[person] for person, rows in load_groups(session, people).items() if rows}
    lock_people(session, found)  # then read again: the groups cannot change until we commit
    groups = load_groups(session, found)
    doomed, cube, domains = _plan(groups, scope, pseudonyms_kept_from(now))
    _delete(session, [row["id"] for row in doomed])
    cube.apply(session)
    _subtract_from_rollups(session, doomed)
    receipt = ErasureReceipt(
        request_id=request_id or str(uuid.uuid4()), erased_at=now, actor=actor,
        organisation_scope=scope.organisation_id, service_scope=scope.service_id, ratings_deleted=len(doomed),
        domains_affected=domains, key_versions_searched=",".join(str(v) for v in ring.versions))
    session.add(receipt)
    record(session, actor=actor, action="privacy.erase", subject=receipt.request_id, now=now,
           ratings_deleted=receipt.ratings_deleted, domains_affected=domains,
           organisation_scope=scope.organisation_id, service_scope=scope.service_id,
           key_versions_searched=receipt.key_versions_searched)
    session.flush()
    return ErasureOutcome(receipt, frozenset(row["service_id"] for row in doomed))


def _check_scope(session: Session, scope: ErasureScope) -> None:
    if scope.service_id is None:
        return
    if session.get(Service, scope.service_id) is None:
        raise NotFound(RegistryCode.UNKNOWN_SERVICE,
                       f"serviceId {scope.service_id} is not registered in arvio; use the "
                       "service's PTV id, or leave it out to erase from every service.")
    if scope.organisation_id is not None and session.get(
            ServiceOrganisation, (scope.service_id, scope.organisation_id)) is None:
        raise Forbidden(f"organisation {scope.organisation_id} is not registered for service {scope.service_id}; "
                        "you can erase only what you reported, for your own services.", code=AuthCode.NOT_YOUR_SERVICE)


def quarters_between(first: dt.date, last: dt.date) -> Iterator[str]:
    """Every quarter from the one holding ``first`` to the one holding ``last``, in order."""
    quarter, final = quarter_of(first), quarter_of(last)
    while True:
        yield quarter
        if quarter >= final:
            return
        quarter = quarter_of(quarter_end(quarter) + dt.timedelta(days=1))


def _candidate_people(session: Session, normalised: str, ring: KeyRing,
                      scope: ErasureScope) -> dict[str, frozenset[str]]:
    """The person's pseudonyms (under every key) in every domain holding pseudonymised ratings in scope, keyed
    by the pseudonym under the current key (the lock key shared with ingest)."""
    stmt = (select(Rating.service_id, func.min(Rating.answered_at), func.max(Rating.answered_at))
            .where(Rating.pseudonym.is_not(None)).group_by(Rating.service_id))
    if scope.organisation_id is not None:
        stmt = stmt.where(Rating.organisation_id == scope.organisation_id)
    if scope.service_id is not None:
        stmt = stmt.where(Rating.service_id == scope.service_id)
    people: dict[str, frozenset[str]] = {}
    for service_id, first, last in session.execute(stmt):
        for quarter in quarters_between(first.astimezone(dt.UTC).date(), last.astimezone(dt.UTC).date()):
            aliases = pseudonyms_for_all_keys(normalised, PseudonymDomain(service_id, quarter), ring)
            people[aliases[ring.current.version]] = frozenset(aliases.values())
    return people


def _plan(groups: Mapping[str, list[StoredRow]], scope: ErasureScope,
          closed_before: dt.datetime) -> tuple[list[StoredRow], CubeDelta, int]:
    """The rows to delete, the cube correction and how many (service, quarter) domains are affected.

    The cube of a quarter that has closed (answered before ``closed_before``: its pseudonyms were due to be cleared,
    and researchers read it) is left as it is, as retention leaves it: it is an anonymous aggregate by then, and a
    change would show the erased answer to anyone comparing the quarter's figures before and after. Only a lagging
    retention run leaves such ratings findable at all."""
    cube = CubeDelta()
    doomed: list[StoredRow] = []
    domains = 0
    for rows in groups.values():
        gone = {row["id"] for row in rows if scope.covers(row)}
        if not gone:
            continue
        domains += 1
        if min(row["answered_at"] for row in rows) >= closed_before:
            cube.replace(latest(counted_answers(rows)),
                         latest(counted_answers(r for r in rows if r["id"] not in gone)))
        doomed.extend(row for row in rows if row["id"] in gone)
    return doomed, cube, domains


def _delete(session: Session, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(Rating).where(Rating.id.in_(ids[start:start + _CHUNK])))


def _subtract_from_rollups(session: Session, doomed: Sequence[StoredRow]) -> None:
    """Take the deleted answers out of the hourly answer and driver rollups; delete rows that reach zero."""
    if not doomed:
        return
    questions = sorted({row["question_id"] for row in doomed})
    scales = {row.id: row.scale for row in session.execute(
        select(Question.id, Question.scale).where(Question.id.in_(questions)))}
    answers, drivers = RollupDelta(), DriverDelta()
    keys: set[RollupKey] = set()
    for row in doomed:
        key = rollup_key(row["service_id"], row["channel_id"], row["question_id"], row["wording_version"],
                         row["answered_at"])
        keys.add(key)
        answers.subtract_answer(key, row["value"])
        if row["drivers"]:
            drivers.add(key, scales[row["question_id"]], row["value"], split_drivers(row["drivers"]), sign=-1)
    answers.apply(session)
    drivers.apply(session)
    delete_emptied(session, keys)
