"""The bounded demographic cube (``demographic_cell``), kept in the ingest and erasure transactions.

Rules (docs/DESIGN.md "Privacy"):

- A rating counts in the cube when it has a value (skips do not) and at least one generalised demographic
  attribute; attributes not sent are keyed as :data:`~federation.privacy.models.NOT_GIVEN` (``""``).
- Contribution bounding: a respondent with a pseudonym counts at most once per (service, quarter) — whichever
  question they answered — with their **latest** answer (latest ``answered_at``; ties go to the rating stored
  last). A later answer replaces the earlier one in the cube, also when the earlier one was pseudonymised under
  an older key version (the respondent's pseudonyms under every key in the ring are matched).
- Ratings with demographics but without a pseudonym cannot be linked to a person: each counts as it is.
- A rating that arrives after the pseudonyms of its quarter were due to be cleared (30 days after the quarter
  ended; answers may be up to a year old) is left out: with a pseudonym, the person's earlier answers can no longer
  be matched, so counting it could count them twice; with or without one, the quarter is then *closed* — open to
  researcher breakdowns, whose figures must not change afterwards (comparing a quarter's answers before and after a
  late arrival would show that arrival exactly; see federation/research/compute.py).
- Cells that reach zero are deleted, so the cube is a function of the stored ratings alone (not of the order
  they arrived in or were erased): erasing a respondent leaves exactly the cube of a world without them.

Limits: pseudonyms under a destroyed key version can no longer be matched, so a later answer of the same person
counts anew; ratings sent without an identifier are not bounded at all. On PostgreSQL each respondent's group is
serialised with a transaction-scoped advisory lock keyed by their pseudonym under the current key, so every process
must run with the same current key (restart servers after ``arvio keys rotate``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from federation.battery.scales import HISTOGRAM_SLOTS
from federation.privacy.models import NOT_GIVEN, DemographicCell
from federation.privacy.pruning import delete_zero_rows
from federation.ratings.models import Rating
from federation.rollups.slots import slot_columns, slot_values, slots_added
from federation.upsert import dialect_insert
from pseudonymize.pseudonyms import quarter_end, quarter_of

ATTRIBUTES = ("age_band", "region", "language", "gender")
"""The generalised attributes stored on a rating and keyed in the cube."""

CellKey = tuple[str, str, int, str, str, str, str, str]
"""(service id, question id, wording version, quarter, age band, region, language, gender)."""

PSEUDONYM_GRACE_DAYS = 30
"""Days after the end of its quarter that a pseudonym is kept (docs/DESIGN.md "Privacy"); retention clears it then."""

_KEY_COLUMNS = ("service_id", "question_id", "wording_version", "quarter", *ATTRIBUTES)
_CHUNK = 500  # bound on the size of IN (…) lists


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one stored rating adds to the cube: one count in slot ``value`` of ``cell``."""

    cell: CellKey
    value: int


@dataclass(frozen=True, slots=True)
class CountedAnswer:
    """A stored rating that may count in the cube, with what decides which answer of a person is the latest."""

    rating_id: int
    answered_at: dt.datetime
    contribution: Contribution


@dataclass(frozen=True)
class Arrival:
    """A rating that was just stored, with every pseudonym of its respondent in the rating's (service, quarter)
    domain — one per key version in the ring, the stored one included; empty without an identifier."""

    row: Mapping[str, Any]
    aliases: frozenset[str] = field(default_factory=frozenset)


def contribution(row: Mapping[str, Any]) -> Contribution | None:
    """The cube contribution of a rating (mapping of rating columns); None for a skip, no demographics, or a
    rating received after its quarter closed (its pseudonyms were due to be cleared)."""
    if row["value"] is None or all(row[name] is None for name in ATTRIBUTES):
        return None
    if row["answered_at"] < pseudonyms_kept_from(row["received_at"]):
        return None
    quarter = quarter_of(row["answered_at"].astimezone(dt.UTC).date())
    cell: CellKey = (row["service_id"], row["question_id"], row["wording_version"], quarter,
                     *(row[name] or NOT_GIVEN for name in ATTRIBUTES))
    return Contribution(cell, row["value"])


def latest(answers: Iterable[CountedAnswer]) -> CountedAnswer | None:
    """The answer that counts for a person: the latest answered, ties to the one stored last."""
    return max(answers, key=lambda a: (a.answered_at, a.rating_id), default=None)


def pseudonyms_kept_from(now: dt.datetime) -> dt.datetime:
    """Ratings answered before this moment have lost (or are due to lose) their pseudonym at ``now``: the start of
    the quarter holding the day :data:`PSEUDONYM_GRACE_DAYS` before ``now`` — every earlier quarter ended more
    than that long ago."""
    day = (now.astimezone(dt.UTC) - dt.timedelta(days=PSEUDONYM_GRACE_DAYS)).date()
    return quarter_bounds(quarter_of(day))[0]


def quarter_bounds(quarter: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a quarter in UTC — the same calendar as the pseudonym domains (UTC dates)."""
    end = quarter_end(quarter)
    start = dt.date(end.year, end.month - 2, 1)
    return (dt.datetime.combine(start, dt.time(), dt.UTC),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC))


class CubeDelta:
    """Counts to add to (or take from) the cube, gathered in memory and applied in one upsert."""

    def __init__(self) -> None:
        self._counts: dict[CellKey, list[int]] = {}
        self._decreased: set[CellKey] = set()

    def add(self, part: Contribution, sign: int = 1) -> None:
        """Count ``part`` (``sign`` −1 takes it back out)."""
        row = self._counts.setdefault(part.cell, [0] * HISTOGRAM_SLOTS)
        row[part.value] += sign
        if sign < 0:
            self._decreased.add(part.cell)

    def replace(self, before: CountedAnswer | None, after: CountedAnswer | None) -> None:
        """A person's counted answer changes from ``before`` to ``after`` (either may be None)."""
        if before == after:
            return
        if before is not None:
            self.add(before.contribution, -1)
        if after is not None:
            self.add(after.contribution)

    def apply(self, session: Session) -> None:
        """Upsert every changed cell in key order, then delete the cells that reached zero."""
        rows = [_as_row(key, counts) for key, counts in sorted(self._counts.items()) if any(counts)]
        if rows:
            table: Table = DemographicCell.__table__  # type: ignore[assignment]
            stmt = dialect_insert(session, table)
            stmt = stmt.on_conflict_do_update(
                index_elements=list(_KEY_COLUMNS),
                set_=slots_added(table, stmt.excluded),
            )
            session.execute(stmt, rows)
            delete_zero_rows(session, table, _KEY_COLUMNS, sorted(self._decreased), slot_columns(table))
        self._counts.clear()
        self._decreased.clear()


def _as_row(key: CellKey, counts: Sequence[int]) -> dict[str, Any]:
    row: dict[str, Any] = dict(zip(_KEY_COLUMNS, key, strict=True))
    row.update(slot_values(counts))
    return row


# Respondent groups: every stored rating of one person in one (service, quarter) domain.

_GROUP_COLUMNS = (Rating.id, Rating.organisation_id, Rating.client_ref, Rating.pseudonym, Rating.service_id,
                  Rating.channel_id, Rating.question_id, Rating.wording_version, Rating.value, Rating.answered_at,
                  Rating.received_at, Rating.drivers, Rating.age_band, Rating.region, Rating.language, Rating.gender)


def lock_people(session: Session, people: Collection[str]) -> None:
    """Serialise work on these respondents (keyed by pseudonym under the current key) until the transaction
    ends. PostgreSQL: advisory locks taken in one sorted order; SQLite: writers are serialised already."""
    if not people or session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({int(person.rpartition(":")[2][:15], 16) for person in people})
    session.execute(text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k"),
                    {"keys": keys})


StoredRow = dict[str, Any]
"""A rating as read for a respondent group: the columns of ``_GROUP_COLUMNS`` by name."""


def load_groups(session: Session, people: Mapping[str, frozenset[str]]) -> dict[str, list[StoredRow]]:
    """Every stored rating of each person (key: pseudonym under the current key; value: all their pseudonyms
    in the domain), read in chunks through the pseudonym index."""
    person_of = {alias: person for person, aliases in people.items() for alias in aliases | {person}}
    groups: dict[str, list[StoredRow]] = {person: [] for person in people}
    aliases = sorted(person_of)
    for start in range(0, len(aliases), _CHUNK):
        chunk = aliases[start:start + _CHUNK]
        for row in session.execute(select(*_GROUP_COLUMNS).where(Rating.pseudonym.in_(chunk))).mappings():
            groups[person_of[row["pseudonym"]]].append(dict(row))
    return groups


def counted_answers(rows: Iterable[StoredRow]) -> list[CountedAnswer]:
    """The rows that may count in the cube, as :class:`CountedAnswer`."""
    answers = []
    for row in rows:
        part = contribution(row)
        if part is not None:
            answers.append(CountedAnswer(row["id"], row["answered_at"], part))
    return answers


def count_arrivals(session: Session, arrivals: Sequence[Arrival]) -> None:
    """Bring the cube up to date with ratings just inserted in this transaction (called by ingest)."""
    delta = CubeDelta()
    people: dict[str, frozenset[str]] = {}
    new: set[tuple[str, str]] = set()
    for arrival in arrivals:
        part = contribution(arrival.row)
        if part is None:
            continue
        person = arrival.row["pseudonym"]
        if person is None:
            delta.add(part)
            continue
        people[person] = people.get(person, frozenset()) | arrival.aliases
        new.add((arrival.row["organisation_id"], arrival.row["client_ref"]))
    if people:
        lock_people(session, people)
        for rows in load_groups(session, people).values():
            before = [r for r in rows if (r["organisation_id"], r["client_ref"]) not in new]
            delta.replace(latest(counted_answers(before)), latest(counted_answers(rows)))
    delta.apply(session)
