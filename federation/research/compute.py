"""Turning cube rows into a protected answer: suppression per quarter, statistics per entry, noise, rounding.

Pure (no I/O): rows in, :class:`Answer` out. Two ways to noise the published entries:

- :func:`release_with_cell_key` (disclosure control): every published entry — cell, margin or total — gets
  consistent cell-key noise keyed by its content (the cube cells it sums, each with its counts), so the same
  cell carries the same noise in every answer that shows it, through whatever shape or scope;
- :func:`release_with_dp` (differential privacy): every inner cell's statistics get fresh discrete Laplace
  noise calibrated to the contribution bound (one answer per person per service and quarter), and margins are
  sums of the noisy cells (post-processing).

Both publish only what the suppression pattern allows, then round and code as the policy says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from fractions import Fraction

from federation.battery.scales import Scale
from federation.research.reading import CubeRow, levels
from federation.research.shapes import Dimension
from pseudonymize.disclosure import (
    CellKeyNoise,
    CellStatistics,
    DisclosurePolicy,
    EntryKey,
    Metric,
    PublishedCell,
    TableShape,
    combine_content_keys,
    period_pattern,
    publish,
    scope_pattern,
)
from pseudonymize.noise import DiscreteLaplace, RandomSource

_STATISTICS_OF: dict[Metric, tuple[str, ...]] = {
    Metric.COUNT: ("count",), Metric.MEAN: ("value_sum",), Metric.TOP_TWO_BOX: ("top_two",),
    Metric.YES_SHARE: ("yes",), Metric.NPS: ("promoters", "detractors"),
}


@dataclass(frozen=True)
class BreakdownSpec:
    """What is computed: the question (scale, wording), the dimensions in canonical order and the metrics."""

    question_id: str
    wording_version: int
    scale: Scale
    dimensions: tuple[Dimension, ...]
    metrics: frozenset[Metric]

    @property
    def shape(self) -> TableShape:
        """The table's levels per dimension."""
        return TableShape(tuple(levels(d) for d in self.dimensions))


@dataclass(frozen=True)
class PublishedEntry:
    """One entry of an answer: a level per dimension (``None`` = all levels, a margin), and its values unless
    suppressed."""

    levels: tuple[str | None, ...]
    suppressed: bool
    values: PublishedCell | None


@dataclass(frozen=True)
class Answer:
    """A protected answer: the quarters of the period that hold answers in the scope, and every entry."""

    quarters_with_answers: tuple[str, ...]
    entries: tuple[PublishedEntry, ...]


@dataclass(frozen=True)
class Prepared:
    """The true figures behind an answer (never released as such): the pattern, the statistics of every entry and
    of every inner cell, and which cube cells each entry sums (``cells`` describes them, ``contents`` indexes them).
    """

    spec: BreakdownSpec
    quarters_with_answers: tuple[str, ...]
    suppressed: frozenset[EntryKey]
    inner: Mapping[EntryKey, CellStatistics]
    entries: Mapping[EntryKey, CellStatistics]
    cells: tuple[str, ...]
    contents: Mapping[EntryKey, tuple[int, ...]]


def prepare(rows: Iterable[CubeRow], spec: BreakdownSpec, *, threshold: int,
            subgroups: Iterable[frozenset[str]] = (), members: frozenset[str] = frozenset()) -> Prepared:
    """Aggregate rows per service-quarter component, decide suppression per quarter and take the union.

    ``members`` are the scope's services and ``subgroups`` the service sets of the askable scopes strictly inside
    it (see :func:`~pseudonymize.disclosure.scope_pattern`). Guarantee: depends on the multiset of rows (and the
    sets given) only, not on their order. A quarter without any answer in the scope is left out of the pattern:
    it contributes nothing to any entry.
    """
    subgroups = tuple(subgroups)
    shape, scale = spec.shape, spec.scale
    per_component: dict[tuple[str, str], dict[EntryKey, CellStatistics]] = defaultdict(dict)
    cells: list[str] = []
    contents: dict[EntryKey, list[int]] = {entry: [] for entry in shape.entries()}
    inner: dict[EntryKey, CellStatistics] = {cell: CellStatistics() for cell in shape.inner()}
    entries: dict[EntryKey, CellStatistics] = {entry: CellStatistics() for entry in shape.entries()}
    covering = {cell: shape.entries_of(cell) for cell in shape.inner()}
    for row in rows:
        stats = CellStatistics.from_histogram(row.slots, scale.minimum, scale.maximum)
        if not stats.count:
            continue
        component = per_component[(row.quarter, row.service_id)]
        component[row.levels] = component.get(row.levels, CellStatistics()) + stats
        inner[row.levels] += stats
        cells.append("|".join((f"{row.service_id}@{row.quarter}", *row.attributes, *map(str, row.slots))))
        for entry in covering[row.levels]:
            entries[entry] += stats
            contents[entry].append(len(cells) - 1)
    quarters = sorted({quarter for quarter, _ in per_component})
    patterns = [scope_pattern(shape, {service: {c: s.count for c, s in found.items()}
                                      for (q, service), found in per_component.items() if q == quarter},
                              members, threshold=threshold, subgroups=subgroups) for quarter in quarters]
    suppressed = period_pattern(patterns) if quarters else frozenset(shape.entries())
    return Prepared(spec, tuple(quarters), suppressed, inner, entries, tuple(cells),
                    {entry: tuple(found) for entry, found in contents.items()})


def cell_key(spec: BreakdownSpec, content: int) -> str:
    """The key of an entry: question, wording and the combined key of the cube cells it sums — so two entries
    with the same content (e.g. a margin and its only non-empty cell, or one cell reached through two scopes)
    are the same cell and get the same noise, whatever query shows them (as record keys do in the ABS method)."""
    return f"{spec.question_id}|{spec.wording_version}|{content:016x}"


def release_with_cell_key(prepared: Prepared, noise: CellKeyNoise, policy: DisclosurePolicy) -> Answer:
    """Disclosure-control release: consistent cell-key noise on every published entry's statistics.

    Guarantee: a deterministic function of the true figures and the secret — the same content (same cube cells
    with the same counts) gets the same published values in every answer; any change of content draws afresh.
    Limits: not differential privacy; see :class:`~pseudonymize.disclosure.CellKeyNoise`.
    """
    spec = prepared.spec
    span = spec.scale.maximum - spec.scale.minimum
    cell_keys = [noise.content_key(cell) for cell in prepared.cells]

    def noisy(entry: EntryKey) -> CellStatistics:
        key = cell_key(spec, combine_content_keys(cell_keys[i] for i in prepared.contents[entry]))

        def deviation(statistic: str, value: int) -> int:
            bound = policy.noise_bound * (span if statistic == "value_sum" else 1)
            return noise.deviation(key, statistic, value, bound)

        return prepared.entries[entry].perturbed(deviation)

    return _answer(prepared, policy, {e: noisy(e) for e in prepared.entries if e not in prepared.suppressed})


def dp_scales(spec: BreakdownSpec, epsilon: Fraction, domains: int) -> dict[str, DiscreteLaplace]:
    """The discrete Laplace distribution of each released statistic.

    Epsilon is split equally between the statistic groups released (the count, plus one group per other
    metric). One person adds at most one answer per (service, quarter) — the cube's contribution bound — so over
    ``domains`` service-quarters the L1 sensitivity of a group across all inner cells is ``domains`` (times the
    value range for the value sum; promoters and detractors together, as one person is at most one of them).
    """
    groups = [("count",), *(_STATISTICS_OF[m] for m in sorted(spec.metrics, key=lambda m: m.value)
                            if m is not Metric.COUNT)]
    share = epsilon / len(groups)
    span = spec.scale.maximum - spec.scale.minimum
    return {statistic: DiscreteLaplace.for_privacy(domains * (span if statistic == "value_sum" else 1), share)
            for group in groups for statistic in group}


def release_with_dp(prepared: Prepared, epsilon: Fraction, domains: int, rng: RandomSource,
                    policy: DisclosurePolicy) -> Answer:
    """Differential-privacy release: ``epsilon``-DP noise on the inner cells, margins summed from them.

    Guarantee: the published values are ``epsilon``-differentially private with respect to adding or removing
    one person's answers (at most one per service-quarter, ``domains`` service-quarters in the query), given
    the suppression pattern. Limits: the pattern is decided on true counts (disclosure control demands it) and
    is outside the guarantee; answers without a pseudonym are not bounded per person.
    """
    laplace = dp_scales(prepared.spec, epsilon, domains)
    noisy_inner = {}
    for cell, true in prepared.inner.items():
        noisy_inner[cell] = CellStatistics(*(
            getattr(true, f.name) + laplace[f.name].sample(rng) if f.name in laplace else 0
            for f in fields(CellStatistics)))
    shape = prepared.spec.shape
    sums: dict[EntryKey, CellStatistics] = {entry: CellStatistics() for entry in prepared.entries}
    for cell, values in noisy_inner.items():
        for entry in shape.entries_of(cell):
            sums[entry] += values
    return _answer(prepared, policy, {e: s for e, s in sums.items() if e not in prepared.suppressed})


def _answer(prepared: Prepared, policy: DisclosurePolicy, noisy: Mapping[EntryKey, CellStatistics]) -> Answer:
    spec = prepared.spec
    out = []
    for entry in spec.shape.entries():
        if entry in noisy:
            values = publish(noisy[entry], spec.metrics, minimum=spec.scale.minimum, maximum=spec.scale.maximum,
                             policy=policy)
            out.append(PublishedEntry(entry, False, values))
        else:
            out.append(PublishedEntry(entry, True, None))
    return Answer(prepared.quarters_with_answers, tuple(out))
