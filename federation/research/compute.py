"""Turning cube rows into a protected answer: suppression per quarter, statistics per entry, noise, rounding.

Pure (no I/O): rows in, :class:`Answer` out.

The guarantee covers the whole query family, not single queries. Every answer — any scope, period, shape or
metric, in either mode, for any number of researchers — is computed from one perturbed copy of the cube: each
*finest* cube cell (one service, one quarter, one 10-year age band, region, language and gender, one question
wording) gets noise keyed by that cell's identity under the server secret (:func:`atom_noise`), and a published
entry is the sum of the perturbed finest cells it covers. Overlapping populations therefore share their noise
instead of drawing it afresh, so averaging over scopes, periods, shapes, repeats or researchers converges to the
perturbed cells, never to the true ones. An attacker who knows everything about a finest cell except one person's
answer, and who can isolate that cell exactly, still sees one draw of uniform noise: with the default bounds (value
sum ±12, top two ±3 on the five-star scale) a 5 and a 2 are told apart at most 62 % of the time (chance 50 %; total
variation 1 − (1 − 3/25)(1 − 1/7)); tests/federation/research/test_family_attacks.py runs the attacks. An
organisation that adds answers it knows changes the sum by exactly what it added (the noise is keyed by identity,
not content): it learns nothing about the others. Research reads only quarters whose cube no longer changes (see
:func:`~federation.research.shapes.check_request`), so comparing answers over time gains nothing either.

Two ways to release:

- :func:`release_with_cell_key` (disclosure control): the entries' statistics are sums of perturbed finest cells;
- :func:`release_with_dp` (differential privacy): the perturbed inner cells additionally get fresh discrete Laplace
  noise calibrated to the contribution bound (one answer per person per service and quarter), and margins are
  sums of the noisy cells (post-processing). A DP answer is a function of the perturbed cube plus fresh noise, so
  DP answers can never reveal more than disclosure-control answers do.

Both publish only what the suppression pattern allows, then round and code as the policy says. Limits: the
suppression pattern is decided on true counts (which cells reach the threshold is visible); the count of a finest
cell is only lightly perturbed (``noise_bound``), so whether someone answered is protected by the threshold and
suppression rules, not by the noise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from fractions import Fraction

from federation.battery.scales import Scale
from federation.research.reading import CubeRow, level_of, levels
from federation.research.shapes import Dimension
from pseudonymize.disclosure import (
    CellKeyNoise,
    CellStatistics,
    DisclosurePolicy,
    EntryKey,
    Metric,
    PublishedCell,
    TableShape,
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
    of every inner cell, and which finest cube cells each entry sums (``atoms`` names them by identity — service,
    quarter and the four stored attributes — ``atom_levels`` gives each one's inner cell, ``contents`` indexes them).
    """

    spec: BreakdownSpec
    quarters_with_answers: tuple[str, ...]
    suppressed: frozenset[EntryKey]
    inner: Mapping[EntryKey, CellStatistics]
    entries: Mapping[EntryKey, CellStatistics]
    atoms: tuple[str, ...]
    atom_levels: tuple[EntryKey, ...]
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
    atoms: dict[str, int] = {}
    atom_levels: list[EntryKey] = []
    contents: dict[EntryKey, set[int]] = {entry: set() for entry in shape.entries()}
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
        atom = "|".join((row.service_id, row.quarter, *finest_levels(row)))
        index = atoms.setdefault(atom, len(atoms))
        if index == len(atom_levels):
            atom_levels.append(row.levels)
        for entry in covering[row.levels]:
            entries[entry] += stats
            contents[entry].add(index)
    quarters = sorted({quarter for quarter, _ in per_component})
    patterns = [scope_pattern(shape, {service: {c: s.count for c, s in found.items()}
                                      for (q, service), found in per_component.items() if q == quarter},
                              members, threshold=threshold, subgroups=subgroups) for quarter in quarters]
    suppressed = period_pattern(patterns) if quarters else frozenset(shape.entries())
    return Prepared(spec, tuple(quarters), suppressed, inner, entries, tuple(atoms), tuple(atom_levels),
                    {entry: tuple(sorted(found)) for entry, found in contents.items()})


def finest_levels(row: CubeRow) -> tuple[str, ...]:
    """The finest cell a row belongs to, in published levels of all four dimensions (10-year age bands): nothing
    finer is ever published, so nothing finer needs its own noise."""
    if not row.attributes:
        return row.levels
    return tuple(level_of(d, stored) for d, stored in zip(Dimension, row.attributes, strict=True))


def atom_noise(spec: BreakdownSpec, atom: str, noise: CellKeyNoise, policy: DisclosurePolicy) -> CellStatistics:
    """The noise of one finest cube cell, keyed by its identity (question, wording, service, quarter, stored
    attributes) and drawn once: the same in every answer that covers the cell, whatever it holds.

    Bounds: ``noise_bound`` for the count, ``atom_noise_bound`` for each share statistic and that times the
    scale's range for the value sum. Statistics that are the same quantity share one draw (on YES_NO the yes count
    is the value sum; on NPS_11 the top two are the promoters), so they are not two looks at one value.
    """
    key = f"{spec.question_id}|{spec.wording_version}|{atom}"
    span = spec.scale.maximum - spec.scale.minimum
    share = policy.atom_noise_bound
    value_sum = noise.uniform(key, "value_sum", share * span)
    promoters = noise.uniform(key, "promoters", share)
    return CellStatistics(
        count=noise.uniform(key, "count", policy.noise_bound),
        value_sum=value_sum,
        top_two=promoters if spec.scale is Scale.NPS_11 else noise.uniform(key, "top_two", share),
        yes=value_sum if spec.scale is Scale.YES_NO else noise.uniform(key, "yes", share),
        promoters=promoters,
        detractors=noise.uniform(key, "detractors", share),
    )


def perturbed_atoms(prepared: Prepared, noise: CellKeyNoise, policy: DisclosurePolicy) -> list[CellStatistics]:
    """The noise of every finest cell of ``prepared``, in the order of ``prepared.atoms``."""
    return [atom_noise(prepared.spec, atom, noise, policy) for atom in prepared.atoms]


def release_with_cell_key(prepared: Prepared, noise: CellKeyNoise, policy: DisclosurePolicy) -> Answer:
    """Disclosure-control release: every published entry is the true entry plus the noise of each finest cell it
    covers (:func:`atom_noise`).

    Guarantee: a deterministic function of the true figures and the secret in which every entry is a sum of
    perturbed finest cells, so two entries over the same finest cells are equal in every answer, and no
    combination of entries sees a finest cell with less than its one draw of noise. Limits: not differential
    privacy (bounded noise); see the module docstring for what an attacker can learn.
    """
    drawn = perturbed_atoms(prepared, noise, policy)
    noisy = {}
    for entry, true in prepared.entries.items():
        if entry in prepared.suppressed:
            continue
        total = true
        for index in prepared.contents[entry]:
            total += drawn[index]
        noisy[entry] = total
    return _answer(prepared, policy, noisy)


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
                    policy: DisclosurePolicy, noise: CellKeyNoise) -> Answer:
    """Differential-privacy release: ``epsilon``-DP noise on the perturbed inner cells, margins summed from them.

    Guarantee: the published values are ``epsilon``-differentially private with respect to adding or removing
    one person's answers (at most one per service-quarter, ``domains`` service-quarters in the query), given
    the suppression pattern; and, as they start from the perturbed finest cells (:func:`atom_noise`, identity-keyed
    so the sensitivity is unchanged), averaging any number of them approaches the disclosure-control figures, never
    the true ones. Limits: the suppression pattern and which finest cells are non-empty are decided on true counts
    and are outside the guarantee (it holds given both: a person who is alone in a finest cell also brings that
    cell's fixed noise); answers without a pseudonym are not bounded per person.
    """
    laplace = dp_scales(prepared.spec, epsilon, domains)
    inner = dict(prepared.inner)
    for levels_of_atom, drawn in zip(prepared.atom_levels, perturbed_atoms(prepared, noise, policy), strict=True):
        inner[levels_of_atom] += drawn
    noisy_inner = {}
    for cell, true in inner.items():
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
