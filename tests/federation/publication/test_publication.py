"""Publication domain: which cells are publishable (pure), grouped reads, and the frozen publishing workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event

from federation.battery.scales import Scale
from federation.db import Database
from federation.errors import DomainError
from federation.publication import service
from federation.publication.models import PublicationStatus
from federation.publication.periods import Period
from federation.publication.reading import CellKey, RawCell, publishable, read_published_scores
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, SERVICE_A, SERVICE_B
from tests.exporters.seed import PERIOD, PHONE_VALUES, SMOOTH, add_answers, seed_ratings

Q4 = Period.parse(PERIOD)


def _slots(values: dict[int, int]) -> tuple[int, ...]:
    return tuple(values.get(v, 0) for v in range(11))


def test_periods_parse_to_utc_windows() -> None:
    assert Period.parse("2026 q1") == Period("2026-Q1", dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                                             dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    assert Period.parse("2025-Q4").end == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert Period.parse("2026-12").end == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert Period.parse("2026").label == "2026"
    with pytest.raises(DomainError) as error:
        Period.parse("Q1/2026")
    assert error.value.message == ("period 'Q1/2026' is not understood; write a year (2026), a quarter "
                                   "(2026-Q1) or a month (2026-03).")


def test_a_channel_is_suppressed_when_the_rest_would_be_derivable() -> None:
    cells = {CellKey("s", "c1", "q", 1): RawCell(_slots({5: 12}), 0),
             CellKey("s", "c2", "q", 1): RawCell(_slots({1: 3}), 0)}
    published = publishable(cells, {"q": Scale.STARS_5}, publication_threshold=10)
    # total (15) is published; c1 alone (12) would reveal c2's three answers as total minus c1.
    assert [s.key.channel_id for s in published] == [""]
    assert published[0].stats.count == 15


def test_channels_at_the_threshold_are_published_with_the_total() -> None:
    cells = {CellKey("s", "c1", "q", 1): RawCell(_slots({5: 12}), 2),
             CellKey("s", "c2", "q", 1): RawCell(_slots({4: 10}), 0),
             CellKey("s", "", "q", 1): RawCell(_slots({}), 4)}
    published = publishable(cells, {"q": Scale.STARS_5}, publication_threshold=10)
    assert [(s.key.channel_id, s.stats.count, s.stats.skipped) for s in published] == [
        ("", 22, 6), ("c1", 12, 2), ("c2", 10, 0)]


cell_counts = st.dictionaries(st.sampled_from(["", "c1", "c2", "c3"]),
                              st.dictionaries(st.integers(1, 5), st.integers(0, 15), max_size=5),
                              min_size=1, max_size=4)


@given(cell_counts, st.integers(1, 15))
def test_nothing_below_the_threshold_and_no_derivable_remainder(counts: dict[str, dict[int, int]],
                                                                threshold: int) -> None:
    cells = {CellKey("s", c, "q", 1): RawCell(_slots(v), 0) for c, v in counts.items()}
    published = publishable(cells, {"q": Scale.STARS_5}, publication_threshold=threshold)
    assert all(s.stats.count >= threshold for s in published)
    total = sum(sum(v.values()) for v in counts.values())
    channels = [s for s in published if s.key.channel_id]
    if published:
        assert published[0].key.channel_id == "" and published[0].stats.count == total
        remainder = total - sum(s.stats.count for s in channels)
        assert remainder == 0 or remainder >= threshold
    else:
        assert total < threshold


@contextmanager
def count_queries(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", before)


def test_published_scores_of_every_service_come_from_one_grouped_query(database: Database) -> None:
    seed_ratings(database)
    with database.transaction(write=False) as session, count_queries(database) as selects:
        scores = read_published_scores(session, start=Q4.start, end=Q4.end, publication_threshold=10)
    assert len([s for s in selects if "rollup_hourly" in s]) == 1
    assert len(selects) == 2  # the rollups, and the question scales
    keys = [(s.key.service_id, s.key.channel_id, s.key.question_id) for s in scores]
    assert keys == [(SERVICE_A, "", "national.nps"), (SERVICE_A, CHANNEL_PHONE, "national.nps"),
                    (SERVICE_A, "", SMOOTH), (SERVICE_A, CHANNEL_A, SMOOTH), (SERVICE_A, CHANNEL_PHONE, SMOOTH)]
    total = scores[2].stats
    assert (total.count, total.skipped, round(total.mean or 0, 4)) == (22, 2, round(85 / 22, 4))
    assert SERVICE_B not in {s.key.service_id for s in scores}


def test_a_publication_is_frozen_and_a_correction_carries_a_changelog(database: Database) -> None:
    seed_ratings(database)
    with database.transaction() as session:
        draft = service.create_draft(session, Q4, now=NOW, actor="test", publication_threshold=10)
        assert (draft.number, draft.status, draft.replaces_number, draft.changelog) == (
            1, PublicationStatus.DRAFT, None, [])
        with pytest.raises(DomainError) as twice:
            service.create_draft(session, Q4, now=NOW, actor="test", publication_threshold=10)
        assert twice.value.code == "DRAFT_EXISTS"
        service.publish(session, 1, now=NOW, actor="test")
    with database.transaction() as session:
        # An erasure takes one phone answer back: the phone cell falls below the threshold.
        add_answers(session, SERVICE_A, CHANNEL_PHONE, SMOOTH, [PHONE_VALUES[0]], remove=True)
        first = service.publication_scores(session, service.get_publication(session, 1))
        assert len(first) == 5
        correction = service.create_draft(session, Q4, now=NOW, actor="test", publication_threshold=10,
                                          note="erasure on request")
        service.publish(session, correction.number, now=NOW, actor="test")
        assert correction.replaces_number == 1
        changes = {(c["channelId"], c["questionId"], c["change"], c["countBefore"], c["countAfter"])
                   for c in correction.changelog}
        assert changes == {(None, SMOOTH, "changed", 22, 21), (CHANNEL_A, SMOOTH, "removed", 12, None),
                           (CHANNEL_PHONE, SMOOTH, "removed", 10, None)}
    with database.transaction() as session:
        # Publication 1 still says what it said.
        again = service.publication_scores(session, service.get_publication(session, 1))
        assert [(s.key, s.histogram) for s in again] == [(s.key, s.histogram) for s in first]
        with pytest.raises(DomainError) as republish:
            service.publish(session, 1, now=NOW, actor="test")
        assert republish.value.code == "ALREADY_PUBLISHED"
        with pytest.raises(DomainError):
            service.discard_draft(session, 1, now=NOW, actor="test")
        assert service.latest_published(session).number == 2  # type: ignore[union-attr]


def test_a_period_that_has_not_ended_cannot_be_frozen(database: Database) -> None:
    with database.transaction() as session, pytest.raises(DomainError) as error:
        service.create_draft(session, Period.parse("2026-Q1"), now=NOW, actor="t", publication_threshold=10)
    assert error.value.code == "PERIOD_NOT_ENDED"


def test_a_draft_can_be_discarded(database: Database) -> None:
    seed_ratings(database)
    with database.transaction() as session:
        service.create_draft(session, Q4, now=NOW, actor="t", publication_threshold=10)
        service.discard_draft(session, 1, now=NOW, actor="t")
        assert service.list_publications(session) == []
