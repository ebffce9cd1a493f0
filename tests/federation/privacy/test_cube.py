"""The bounded demographic cube: who counts, once per person, service and quarter, latest answer wins."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from federation.db import Database
from federation.privacy.cube import contribution, quarter_bounds
from pseudonymize.keys import KeyRing, MasterKey
from pseudonymize.pseudonyms import quarter_of
from tests.conftest import NOW, SERVICE_A, SERVICE_B, TEST_KEY
from tests.federation.privacy.helpers import PEOPLE, answer, cube, demographics, register, reset, submit

RING = KeyRing((TEST_KEY,))
Q = "national.transaction-smooth"
SLOTS = 11


def counts(**slots: int) -> tuple[int, ...]:
    values = [0] * SLOTS
    for name, n in slots.items():
        values[int(name[1:])] = n
    return tuple(values)


def cell(quarter: str = "2026Q1", age: str = "", region: str = "", language: str = "", gender: str = "",
         service: str = SERVICE_A, question: str = Q) -> tuple[Any, ...]:
    return (service, question, 1, quarter, age, region, language, gender)


def test_who_counts_in_the_cube(database: Database) -> None:
    register(database)
    at = NOW - dt.timedelta(hours=1)
    submit(database, [
        answer("plain", 5, at=at),
        answer("skip", None, at=at, demo=demographics(language="fi")),
        answer("anon-1", 4, at=at, demo=demographics(birthYear=1980, municipalityCode="091", language="sv-FI",
                                                     gender="nainen")),
        answer("anon-2", 4, at=at, demo=demographics(birthYear=1980, municipalityCode="049", language="sv",
                                                     gender="F")),
        answer("id-only", 3, at=at, demo=demographics(PEOPLE[0])),
        answer("partial", 2, at=at, demo=demographics(language="de")),
    ], RING)
    assert cube(database) == {
        cell(age="45-49", region="01", language="sv", gender="female"): counts(c4=2),
        cell(language="other"): counts(c2=1),
    }


def test_a_person_counts_once_per_service_and_quarter_with_the_latest_answer(database: Database) -> None:
    register(database)
    person = demographics(PEOPLE[0], gender="male")
    submit(database, [answer("late", 5, at=NOW - dt.timedelta(hours=1), demo=person)], RING)
    # an earlier answer arriving later does not replace the later one
    submit(database, [answer("early", 1, at=NOW - dt.timedelta(days=3), demo=person, question="national.nps")], RING)
    assert cube(database) == {cell(gender="male"): counts(c5=1)}
    submit(database, [answer("latest", 2, at=NOW - dt.timedelta(minutes=5), demo=demographics(PEOPLE[0],
                                                                                              gender="female"))],
           RING)
    assert cube(database) == {cell(gender="female"): counts(c2=1)}
    # another quarter and another service are other domains: they count separately
    submit(database, [answer("q4", 3, at=NOW - dt.timedelta(days=90), demo=person)], RING,
           now=NOW - dt.timedelta(days=89))
    submit(database, [answer("other-service", 4, at=NOW - dt.timedelta(hours=2), demo=person, service=SERVICE_B)],
           RING)
    assert cube(database) == {cell(gender="female"): counts(c2=1), cell("2025Q4", gender="male"): counts(c3=1),
                              cell(gender="male", service=SERVICE_B): counts(c4=1)}


def test_a_late_answer_is_left_out_once_its_quarter_has_closed(database: Database) -> None:
    # With an identifier its person's earlier answers can no longer be matched; with or without, the quarter is
    # open to research from then on and its figures must not change.
    register(database)
    december = dt.datetime(2025, 12, 20, 12, tzinfo=dt.UTC)
    demo = demographics(PEOPLE[0], language="sv")
    submit(database, [answer("in-time", 4, at=december, demo=demo)], RING, now=dt.datetime(2026, 1, 30, tzinfo=dt.UTC))
    submit(database, [answer("too-late", 2, at=december + dt.timedelta(hours=1), demo=demo),
                      answer("anonymous", 5, at=december, demo=demographics(language="sv"))],
           RING, now=dt.datetime(2026, 1, 31, tzinfo=dt.UTC))
    assert cube(database) == {cell("2025Q4", language="sv"): counts(c4=1)}


def test_within_one_batch_the_latest_answer_wins_and_the_first_stays_out(database: Database) -> None:
    register(database)
    person = demographics(PEOPLE[1], language="fi")
    submit(database, [answer("b", 2, at=NOW - dt.timedelta(hours=2), demo=person),
                      answer("a", 4, at=NOW - dt.timedelta(hours=1), demo=person)], RING)
    assert cube(database) == {cell(language="fi"): counts(c4=1)}


def test_de_duplication_works_across_a_key_rotation(database: Database) -> None:
    register(database)
    person = demographics(PEOPLE[2], language="en")
    submit(database, [answer("before", 1, at=NOW - dt.timedelta(days=2), demo=person)], RING)
    rotated = RING.with_new_key(bytes(range(100, 132)))
    submit(database, [answer("after", 5, at=NOW - dt.timedelta(days=1), demo=person)], rotated)
    assert cube(database) == {cell(language="en"): counts(c5=1)}
    # with v3 current and v2 destroyed, the counted v2 answer can no longer be linked: documented, counted anew
    newer = rotated.with_new_key(bytes(range(50, 82)))
    submit(database, [answer("newest", 3, at=NOW - dt.timedelta(hours=1), demo=person)],
           newer.without(1).without(2))
    assert cube(database) == {cell(language="en"): counts(c3=1, c5=1)}


def test_quarters_follow_the_utc_calendar_of_the_pseudonym_domains() -> None:
    start, end = quarter_bounds("2026Q1")
    assert (start, end) == (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    row = {"value": 3, "service_id": "s", "question_id": "q", "wording_version": 1, "age_band": None,
           "region": "01", "language": None, "gender": None,
           "answered_at": dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))}
    part = contribution({**row, "received_at": dt.datetime(2026, 4, 2, tzinfo=dt.UTC)})
    assert part is not None and part.cell[3] == "2026Q1"


moments = st.integers(0, 24 * 150).map(lambda h: NOW - dt.timedelta(hours=h))
people = st.one_of(st.none(), st.sampled_from(PEOPLE))
values = st.integers(1, 5)
rows = st.lists(st.tuples(people, values, moments, st.sampled_from(["fi", "sv"])), min_size=1, max_size=12,
                unique_by=lambda r: r[2])


def expected_cube(data: list[tuple[str | None, int, dt.datetime, str]]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """The cube as a pure function of the answers received at NOW: nothing of a quarter closed by NOW (before
    2026-01-01), else the latest per (person, quarter) and every anonymous answer."""
    latest: dict[tuple[str, str], tuple[dt.datetime, int, str]] = {}
    counted: Counter[tuple[tuple[Any, ...], int]] = Counter()
    for person, value, at, language in data:
        quarter = quarter_of(at.date())
        if at < dt.datetime(2026, 1, 1, tzinfo=dt.UTC):
            continue
        if person is None:
            counted[cell(quarter, language=language), value] += 1
        elif (person, quarter) not in latest or latest[person, quarter][0] < at:
            latest[person, quarter] = (at, value, language)
    for (_, quarter), (_, value, language) in latest.items():
        counted[cell(quarter, language=language), value] += 1
    result: dict[tuple[Any, ...], list[int]] = {}
    for (key, value), n in counted.items():
        result.setdefault(key, [0] * SLOTS)[value] += n
    return {key: tuple(v) for key, v in result.items()}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=rows, order=st.randoms(use_true_random=False), split=st.integers(1, 12))
def test_order_and_batching_never_change_the_cube(database: Database, data: list[Any], order: Any,
                                                  split: int) -> None:
    reset(database)
    items = [answer(f"r{i}", value, at=at, demo=demographics(person, language=language))
             for i, (person, value, at, language) in enumerate(data)]
    order.shuffle(items)
    for start in range(0, len(items), split):
        submit(database, items[start:start + split], RING)
    assert cube(database) == expected_cube(data)


def test_a_second_key_ring_reads_the_same_people_after_rotation_in_the_same_batch(database: Database) -> None:
    register(database)
    old = KeyRing((MasterKey(1, bytes(range(32))),))
    ring = old.with_new_key(bytes(range(7, 39)))
    person = demographics(PEOPLE[3], gender="other")
    submit(database, [answer("x1", 2, at=NOW - dt.timedelta(hours=3), demo=person)], old)
    submit(database, [answer("x2", 3, at=NOW - dt.timedelta(hours=2), demo=person),
                      answer("x3", 4, at=NOW - dt.timedelta(hours=1), demo=person)], ring)
    assert cube(database) == {cell(gender="other"): counts(c4=1)}


def test_concurrent_batches_of_one_person_leave_one_count(database: Database) -> None:
    register(database)
    demo = demographics(PEOPLE[0], gender="female")
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def send(i: int) -> None:
        try:
            barrier.wait()
            submit(database, [answer(f"c{i}", 1 + i % 5, at=NOW - dt.timedelta(minutes=60 - i), demo=demo)], RING)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cube(database) == {cell(gender="female"): counts(c1=1)}  # the latest, i = 5, answered 1


def test_erasure_leaves_a_closed_quarter_of_the_cube_as_it_is(database: Database) -> None:
    from federation.privacy.erasure import ErasureScope, erase_respondent

    register(database)
    december = dt.datetime(2025, 12, 20, 12, tzinfo=dt.UTC)
    person = demographics(PEOPLE[0], language="sv")
    submit(database, [answer("q4", 4, at=december, demo=person)], RING, now=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    submit(database, [answer("q1", 2, at=NOW - dt.timedelta(hours=1), demo=person)], RING)
    before = cube(database)
    assert before == {cell("2025Q4", language="sv"): counts(c4=1), cell(language="sv"): counts(c2=1)}
    # Retention has not run yet, so the closed quarter's rating can still be found: it is deleted, but the
    # researchers' figures of 2025Q4 (closed since 2026-01-31) do not move.
    with database.transaction() as session:
        outcome = erase_respondent(session, PEOPLE[0], ring=RING, scope=ErasureScope(), actor="test", now=NOW)
    assert outcome.receipt.ratings_deleted == 2
    assert cube(database) == {cell("2025Q4", language="sv"): counts(c4=1)}
