"""Disclosure control: policy messages, rounding and coding, cell-key noise, and suppression — including a rank
attack over every table of a scope (all 0-, 1- and 2-dimensional tables over four attributes, several periods)."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from pseudonymize.disclosure import (
    CellKeyNoise,
    CellStatistics,
    DisclosurePolicy,
    EntryKey,
    Metric,
    PublishedShare,
    ShareCoding,
    TableShape,
    combine_content_keys,
    deviation_probability,
    period_pattern,
    publish,
    respondent_floors,
    round_count,
    suppression_pattern,
)

SECRET = bytes(range(32))
DIMS = {"a": ("a1", "a2", "a3", "a4"), "r": ("r1", "r2", "r3"), "l": ("l1", "l2", "l3"), "g": ("g1", "g2")}
ATOMS = list(itertools.product(*DIMS.values()))


def test_policy_messages() -> None:
    with pytest.raises(ValueError) as error:
        DisclosurePolicy(threshold=0)
    assert str(error.value) == "DisclosurePolicy.threshold must be a whole number from 1 to 1000, got 0."
    with pytest.raises(ValueError) as error:
        DisclosurePolicy(extreme_share_percent=50)
    assert str(error.value) == "DisclosurePolicy.extreme_share_percent must be a whole number from 0 to 49, got 50."


def test_table_shape_messages() -> None:
    with pytest.raises(ValueError) as error:
        TableShape((("a", "b"),) * 3)
    assert str(error.value) == "a table has at most two dimensions, got 3; ask for two at a time."
    with pytest.raises(ValueError) as error:
        TableShape((("a", "a"),))
    assert str(error.value) == "dimension 0 needs at least two distinct levels, got ('a', 'a')."


@pytest.mark.parametrize(("value", "rounded"), [(0, 0), (2, 0), (3, 5), (7, 5), (8, 10), (12, 10), (13, 15), (-4, 0)])
def test_counts_round_to_five(value: int, rounded: int) -> None:
    assert round_count(value, 5) == rounded


def test_publish_rounds_clamps_and_codes_small_cells() -> None:
    policy = DisclosurePolicy()
    metrics = frozenset(Metric)
    small = publish(CellStatistics(count=12, value_sum=48, top_two=12, yes=0, promoters=0, detractors=1), metrics,
                    minimum=1, maximum=5, policy=policy)
    assert small.count == 10
    assert small.mean == Fraction(5)  # 1 + 48/12 = 5
    assert small.top_two_box == PublishedShare(95, ShareCoding.AT_LEAST)
    assert small.yes_share == PublishedShare(5, ShareCoding.AT_MOST)
    assert small.nps == -8
    large = publish(CellStatistics(count=200, value_sum=620, top_two=199), frozenset({Metric.MEAN, Metric.TOP_TWO_BOX}),
                    minimum=1, maximum=5, policy=policy)
    assert (large.count, large.mean, large.top_two_box) == (None, Fraction(41, 10), PublishedShare(100,
                                                                                                   ShareCoding.EXACT))
    beyond = publish(CellStatistics(count=10, value_sum=-7, top_two=14), frozenset(Metric), minimum=1, maximum=5,
                     policy=policy)
    assert (beyond.mean, beyond.top_two_box) == (Fraction(1), PublishedShare(95, ShareCoding.AT_LEAST))


@given(st.integers(-50, 500), st.integers(-3000, 3000), st.integers(-50, 500), st.integers(-50, 500))
def test_published_values_stay_in_range(count: int, value_sum: int, top: int, promoters: int) -> None:
    cell = publish(CellStatistics(count, value_sum, top, top, promoters, count - promoters), frozenset(Metric),
                   minimum=0, maximum=10, policy=DisclosurePolicy())
    assert cell.count is not None and cell.count >= 0 and cell.count % 5 == 0
    if cell.mean is not None:
        assert 0 <= cell.mean <= 10 and (cell.mean * 10).denominator == 1
    for share in (cell.top_two_box, cell.yes_share):
        assert share is None or 0 <= share.percent <= 100
    assert cell.nps is None or -100 <= cell.nps <= 100


def test_cell_key_noise_is_consistent_and_keyed() -> None:
    noise = CellKeyNoise(SECRET)
    first = [noise.deviation(f"cell{i}", "count", 17, 3) for i in range(50)]
    assert first == [noise.deviation(f"cell{i}", "count", 17, 3) for i in range(50)]
    assert first != [CellKeyNoise(bytes(32)).deviation(f"cell{i}", "count", 17, 3) for i in range(50)]
    assert first != [noise.deviation(f"cell{i}", "count", 18, 3) for i in range(50)]
    assert all(-3 <= d <= 3 for d in first)
    keys = [noise.content_key(f"service@2025Q{q}") for q in range(1, 5)]
    assert combine_content_keys(keys) == combine_content_keys(reversed(keys))
    with pytest.raises(ValueError) as error:
        CellKeyNoise(b"short")
    assert str(error.value) == ("the cell-key secret must be at least 32 bytes; derive it with "
                                "pseudonymize.keys.derive_key(master, 'research-cell-key', ...).")


def test_cell_key_noise_follows_the_triangular_distribution() -> None:
    noise = CellKeyNoise(SECRET)
    tally = Counter(noise.deviation(f"cell{i}", "count", i % 40, 3) for i in range(20_000))
    expected = [20_000 * float(deviation_probability(d, 3)) for d in range(-3, 4)]
    assert stats.chisquare([tally[d] for d in range(-3, 4)], expected).pvalue > 1e-6


def components_for(counts: dict[tuple[str, ...], int], dims: tuple[str, ...]) -> dict[EntryKey, int]:
    idx = [list(DIMS).index(d) for d in dims]
    out: dict[EntryKey, int] = {}
    for atom, n in counts.items():
        key = tuple(atom[i] for i in idx)
        out[key] = out.get(key, 0) + n
    return out


def family(quarters: list[dict[str, dict[tuple[str, ...], int]]], threshold: int = 10
           ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Every table (0–2 of the four dimensions) for every period of consecutive quarters, as functionals over
    (quarter, atom): published rows and suppressed rows."""
    published, suppressed = [], []
    width = len(ATOMS)
    for first, last in itertools.combinations_with_replacement(range(len(quarters)), 2):
        for k in range(3):
            for dims in itertools.combinations(DIMS, k):
                shape = TableShape(tuple(DIMS[d] for d in dims))
                idx = [list(DIMS).index(d) for d in dims]
                patterns = []
                for q in range(first, last + 1):
                    parts = {c: components_for(counts, dims) for c, counts in quarters[q].items()}
                    if any(any(p.values()) for p in parts.values()):
                        patterns.append(suppression_pattern(shape, parts, threshold=threshold))
                pattern = period_pattern(patterns) if patterns else frozenset(shape.entries())
                for entry in shape.entries():
                    row = np.zeros(width * len(quarters))
                    mask = [all(p is None or p == atom[i] for p, i in zip(entry, idx, strict=True)) for atom in ATOMS]
                    for q in range(first, last + 1):
                        row[q * width:(q + 1) * width] = mask
                    (suppressed if entry in pattern else published).append(row)
    return published, suppressed


def determined(published: list[np.ndarray], suppressed: list[np.ndarray]) -> int:
    """How many suppressed functionals lie in the span of the published ones (least-squares residual ≈ 0)."""
    if not suppressed:
        return 0
    matrix = np.array(published) if published else np.zeros((1, len(suppressed[0])))
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[: int((singular > 1e-9).sum())]
    targets = np.array(suppressed)
    residual = targets - (targets @ basis.T) @ basis
    return int((np.linalg.norm(residual, axis=1) < 1e-7).sum())


def random_quarter(rng: random.Random) -> dict[str, dict[tuple[str, ...], int]]:
    weights = [0] * 20 + [1, 2, 3, 5, 8, 15, 30]
    return {f"s{c}": {atom: rng.choice(weights) for atom in ATOMS} for c in range(rng.randint(1, 3))}


@pytest.mark.parametrize("seed", range(12))
def test_no_suppressed_entry_is_determined_by_the_whole_family(seed: int) -> None:
    rng = random.Random(seed)
    published, suppressed = family([random_quarter(rng) for _ in range(1 + seed % 3)])
    assert suppressed, "the generated data should need suppression"
    assert determined(published, suppressed) == 0


def test_the_rank_attack_finds_what_primary_suppression_alone_leaves_open(monkeypatch: pytest.MonkeyPatch) -> None:
    from pseudonymize.disclosure import suppression

    monkeypatch.setattr(suppression, "_protect_levels", lambda shape, axis, primary, totals: [
        level for level in shape.levels[axis]
        if tuple(level if p == axis else None for p in range(len(shape.levels))) in primary])
    monkeypatch.setattr(suppression._Protector, "run", lambda self: self.suppressed)
    rng = random.Random(3)
    found = sum(determined(*family([random_quarter(rng)])) for _ in range(6))
    assert found > 0


@given(st.lists(st.tuples(st.sampled_from(["s1", "s2", "s3"]), st.sampled_from(DIMS["a"]),
                          st.sampled_from(DIMS["r"]), st.integers(0, 30)), max_size=40), st.randoms())
def test_suppression_is_deterministic_and_keeps_the_threshold(cells: list[tuple[str, str, str, int]],
                                                               shuffle: random.Random) -> None:
    shape = TableShape((DIMS["a"], DIMS["r"]))
    components: dict[str, dict[EntryKey, int]] = {}
    for service, a, r, n in cells:
        components.setdefault(service, {})[(a, r)] = n
    pattern = suppression_pattern(shape, components, threshold=10)
    items = list(components.items())
    shuffle.shuffle(items)
    reordered = {s: dict(shuffle.sample(list(c.items()), len(c))) for s, c in items}
    assert suppression_pattern(shape, reordered, threshold=10) == pattern
    floors = respondent_floors(shape, components)
    assert all(floors[entry] >= 10 for entry in shape.entries() if entry not in pattern)
    assert sum(1 for a in DIMS["a"] if (a, None) in pattern) != 1
    assert sum(1 for r in DIMS["r"] if (None, r) in pattern) != 1


def test_a_period_suppresses_what_any_of_its_quarters_suppresses() -> None:
    shape = TableShape((DIMS["a"],))
    q1 = suppression_pattern(shape, {"s": {("a1",): 3, ("a2",): 40, ("a3",): 40, ("a4",): 50}}, threshold=10)
    q2 = suppression_pattern(shape, {"s": {("a1",): 30, ("a2",): 40, ("a3",): 4, ("a4",): 50}}, threshold=10)
    assert q1 == {("a1",), ("a2",)} and q2 == {("a3",), ("a1",)}
    assert period_pattern([q1, q2]) == {("a1",), ("a2",), ("a3",)}


def test_respondent_floor_is_the_largest_single_component() -> None:
    shape = TableShape((DIMS["g"],))
    components = {"s1@q1": {("g1",): 6, ("g2",): 30}, "s2@q1": {("g1",): 6, ("g2",): 1}}
    # 12 answers in g1, but one person could be in both services: only 6 are sure to be different people.
    assert respondent_floors(shape, components)[("g1",)] == 6
    assert suppression_pattern(shape, components, threshold=10) == {("g1",), ("g2",)}
