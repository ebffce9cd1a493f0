"""Invariants of breakdowns over generated data (Hypothesis): every published cell and margin rests on at least
10 distinct respondents, whatever the scope, period and shape; input order never changes an answer; and DP margins
are the sums of their noisy cells."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from federation.battery.scales import Scale
from federation.research.compute import (
    BreakdownSpec,
    prepare,
    release_with_cell_key,
    release_with_dp,
)
from federation.research.reading import level_of
from federation.research.shapes import Dimension
from pseudonymize.disclosure import CellKeyNoise, DisclosurePolicy, Metric
from pseudonymize.noise import SeededRandomSource
from tests.federation.research.conftest import SECRET
from tests.federation.research.cubes import SMOOTH, Answer, as_cube_rows, counted, cube_rows

SHAPES = [dims for k in range(3) for dims in itertools.combinations(Dimension, k)]
SCOPES = [("s1",), ("s2",), ("s1", "s2")]
PERIODS = [("2025Q3",), ("2025Q4",), ("2025Q3", "2025Q4")]
NOISE = CellKeyNoise(SECRET)
POLICY = DisclosurePolicy()

# Groups of alike people, so that cells land on both sides of the threshold: each group is `size` people with the
# same attributes, answering `repeat` times in each of its services and quarters (the cube keeps the latest).
groups = st.lists(st.tuples(st.sampled_from(["30-34", "35-39", "40-44", "70-74", ""]),
                            st.sampled_from(["01", "02", ""]), st.sampled_from(["fi", "sv", ""]),
                            st.sampled_from(["female", "male", ""]),
                            st.integers(0, 30), st.sampled_from([("s1",), ("s2",), ("s1", "s2")]),
                            st.sampled_from([("2025Q3",), ("2025Q4",), ("2025Q3", "2025Q4")]), st.integers(1, 3),
                            st.integers(0, 4)), max_size=10)
Group = tuple[str, str, str, str, int, tuple[str, ...], tuple[str, ...], int, int]


def microdata(drawn: list[Group]) -> list[Answer]:
    answers = []
    for number, (age, region, language, gender, size, services, quarters, repeat, offset) in enumerate(drawn):
        for person, service, quarter, moment in itertools.product(range(size), services, quarters, range(repeat)):
            value = 1 + (person + moment + offset) % 5
            answers.append(Answer(f"g{number}p{person}", service, quarter, moment, value, age, region, language,
                                  gender))
    return answers


def spec(dims: tuple[Dimension, ...], metrics: frozenset[Metric] = frozenset({Metric.COUNT, Metric.MEAN})
         ) -> BreakdownSpec:
    return BreakdownSpec(SMOOTH, 1, Scale.STARS_5, dims, metrics)


def covers(answer: Answer, dims: tuple[Dimension, ...], levels: tuple[str | None, ...]) -> bool:
    stored = {Dimension.AGE_BAND: answer.age_band, Dimension.REGION: answer.region,
              Dimension.LANGUAGE: answer.language, Dimension.GENDER: answer.gender}
    return all(level is None or level_of(d, stored[d]) == level for d, level in zip(dims, levels, strict=True))


@given(groups)
def test_no_published_entry_rests_on_fewer_than_ten_respondents(drawn: list[Group]) -> None:
    data = microdata(drawn)
    kept = counted(data)
    rows = cube_rows(data)
    for dims, services, quarters in itertools.product(SHAPES, SCOPES, PERIODS):
        chosen = [r for r in rows if r["service_id"] in services and r["quarter"] in quarters]
        parts = [frozenset({service}) for service in services] if len(services) > 1 else []
        prepared = prepare(as_cube_rows(chosen, dims), spec(dims), threshold=POLICY.threshold, subgroups=parts,
                           members=frozenset(services))
        answer = release_with_cell_key(prepared, NOISE, POLICY)
        for entry in answer.entries:
            if entry.suppressed:
                continue
            respondents = {a.person for a in kept if a.service in services and a.quarter in quarters
                           and covers(a, dims, entry.levels)}
            assert len(respondents) >= 10, (dims, services, quarters, entry.levels)


@given(groups, st.randoms())
def test_shuffled_input_gives_identical_output(drawn: list[Group], shuffle: object) -> None:
    rows = cube_rows(microdata(drawn))
    for dims in (SHAPES[0], (Dimension.AGE_BAND,), (Dimension.REGION, Dimension.GENDER)):
        ordered = as_cube_rows(rows, dims)
        mixed = list(ordered)
        shuffle.shuffle(mixed)  # type: ignore[attr-defined]
        first = prepare(ordered, spec(dims), threshold=10)
        second = prepare(mixed, spec(dims), threshold=10)
        assert first.suppressed == second.suppressed and first.entries == second.entries
        assert release_with_cell_key(first, NOISE, POLICY) == release_with_cell_key(second, NOISE, POLICY)
        rng_a, rng_b = SeededRandomSource(5), SeededRandomSource(5)
        assert release_with_dp(first, Fraction(1), 4, rng_a, POLICY, NOISE) == release_with_dp(
            second, Fraction(1), 4, rng_b, POLICY, NOISE)


def test_dp_margins_are_sums_of_the_noisy_cells() -> None:
    data = [Answer(f"p{i}", "s1", "2025Q3", 0, 1 + i % 5, ("30-34", "40-44")[i % 2], "01", "fi",
                   ("female", "male", "other", "unspecified", "")[i % 5]) for i in range(400)]
    dims = (Dimension.AGE_BAND, Dimension.GENDER)
    prepared = prepare(as_cube_rows(cube_rows(data), dims), spec(dims, frozenset({Metric.COUNT})), threshold=10)
    exact = DisclosurePolicy(count_base=1)
    answer = release_with_dp(prepared, Fraction(5), 1, SeededRandomSource(3), exact, NOISE)
    published = {e.levels: e.values.count for e in answer.entries if e.values is not None}
    for band in ("30-39", "40-49"):
        cells = [published[(band, g)] for g in ("female", "male", "other", "unspecified", "not-given")]
        assert published[(band, None)] == sum(cells)
    assert published[(None, None)] == published[("30-39", None)] + published[("40-49", None)]
