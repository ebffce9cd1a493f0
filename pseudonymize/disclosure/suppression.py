"""Primary and secondary cell suppression for breakdown tables of up to two dimensions, with their margins.

A *table* has 0, 1 or 2 dimensions, each with a fixed, ordered list of levels. Its *entries* are the inner
cells, the margins (``None`` in a position means "all levels of that dimension") and the grand total.
The counts come per *component* — in arvio one service in one quarter, the unit within which each person
counts at most once — so the number of distinct respondents behind an entry is at least the largest
count any single component gives it (a person may appear in several components; nothing better can be known
without linking people across components, which the pseudonyms are designed to prevent).

The rule, applied to one period unit (a quarter):

1. **Primary**: every entry whose respondent floor is below the threshold is suppressed, and every entry that a
   subgroup published on its own would turn into a small difference (:func:`difference_sensitive`). If the
   total is, all is.
2. **One dimension**: if exactly one level of a dimension is suppressed, the smallest published level is
   suppressed too (the total would otherwise give it away). The suppressed levels of a dimension are the same
   in every table that shows that dimension, because they depend on that dimension's margins only.
3. **Two dimensions**: inner cells are added, cheapest first (smallest count, then level order), until
   (a) every suppressed entry lies on a cycle of suppressed entries in the table augmented with its margins —
   the exact condition for it not to be determined by the published entries (each row and column of the
   augmented table is a linear equation; an entry is determined iff it is a bridge of the graph of unknowns) —
   and (b) the rows of suppressed margins are connected through suppressed inner cells (likewise the columns),
   so that no other table sharing a dimension can pin down a combination of suppressed margins.

Guarantee: with the same rule applied to every table of one scope and quarter (0, 1 or 2 of the dimensions),
no suppressed entry is a linear combination of published entries of all those tables together (over the
reals; tested by rank analysis in ``tests/pseudonymize``). :func:`period_pattern` extends it to periods of
several quarters: a period suppresses whatever any of its quarters suppresses, so its published entries are
sums of published quarter entries and add nothing that could uncover a quarter.
Limits: the guarantee is linear, not integer (bounds from non-negativity remain). Between *scopes*, suppression
only stops the differencing of a group and a subgroup published on its own (rule 1); other combinations of
overlapping groups are answered by noise.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

EntryKey = tuple[str | None, ...]
"""One entry of a table: a level per dimension, ``None`` where the entry sums over all levels (a margin)."""

Node = tuple[int, str | None]
"""A row (0) or column (1) of the table augmented with its margins; ``None`` is the margin row or column."""


@dataclass(frozen=True)
class TableShape:
    """The dimensions of a table: for each (at most two), its levels in publication order.

    Guarantee: at most two dimensions, each with at least two distinct, non-empty levels.
    """

    levels: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        levels = tuple(tuple(dimension) for dimension in self.levels)
        if len(levels) > 2:
            raise ValueError(f"a table has at most two dimensions, got {len(levels)}; ask for two at a time.")
        for index, dimension in enumerate(levels):
            if len(dimension) < 2 or len(set(dimension)) != len(dimension):
                raise ValueError(f"dimension {index} needs at least two distinct levels, got {dimension!r}.")
            if not all(isinstance(level, str) and level for level in dimension):
                raise ValueError(f"levels of dimension {index} must be non-empty strings, got {dimension!r}.")
        object.__setattr__(self, "levels", levels)

    @property
    def total(self) -> EntryKey:
        """The grand total's key (``()`` for a table without dimensions)."""
        return (None,) * len(self.levels)

    def inner(self) -> tuple[EntryKey, ...]:
        """The inner cells in publication order (for no dimension: the total alone)."""
        return tuple(itertools.product(*self.levels))

    def entries(self) -> tuple[EntryKey, ...]:
        """Inner cells, then the margins of each dimension, then the total (each once)."""
        found = dict.fromkeys(self.inner())
        if len(self.levels) == 2:
            found.update(dict.fromkeys((x, None) for x in self.levels[0]))
            found.update(dict.fromkeys((None, y) for y in self.levels[1]))
        found[self.total] = None
        return tuple(found)

    def entries_of(self, cell: EntryKey) -> tuple[EntryKey, ...]:
        """The entries inner ``cell`` is counted in: itself, its margins and the total (each once)."""
        return tuple(_entries_of(self, cell))

    def covers(self, entry: EntryKey, cell: EntryKey) -> bool:
        """Whether inner ``cell`` is counted in ``entry``."""
        return all(part is None or part == level for part, level in zip(entry, cell, strict=True))


def entry_counts(shape: TableShape, inner_counts: Mapping[EntryKey, int]) -> dict[EntryKey, int]:
    """The count of every entry (margins and total summed from the inner cells; missing cells count 0)."""
    known = set(shape.inner())
    for key, count in inner_counts.items():
        if key not in known:
            raise ValueError(f"{key!r} is not an inner cell of the table; use one level of each dimension.")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"the count of {key!r} must be a whole number of zero or more, got {count!r}.")
    totals = dict.fromkeys(shape.entries(), 0)
    for cell, count in inner_counts.items():
        for entry in _entries_of(shape, cell):
            totals[entry] += count
    return totals


def _entries_of(shape: TableShape, cell: EntryKey) -> Iterable[EntryKey]:
    # The inner cell itself and every margin it is counted in (the total once).
    return dict.fromkeys(tuple(itertools.product(*((part, None) for part in cell)))).keys()


def respondent_floors(shape: TableShape, components: Mapping[str, Mapping[EntryKey, int]]) -> dict[EntryKey, int]:
    """For every entry, the fewest distinct respondents it can rest on: the largest count one component gives it.

    Guarantee: a true lower bound when each person counts at most once per component.
    Limits: answers that cannot be linked to a person (no pseudonym) are assumed to be distinct people.
    """
    floors = dict.fromkeys(shape.entries(), 0)
    for counts in components.values():
        for entry, count in entry_counts(shape, counts).items():
            floors[entry] = max(floors[entry], count)
    return floors


def suppression_pattern(shape: TableShape, components: Mapping[str, Mapping[EntryKey, int]], *,
                        threshold: int, subgroups: Iterable[frozenset[str]] = ()) -> frozenset[EntryKey]:
    """The entries to suppress in one quarter's table (primary and secondary; see the module rule).

    ``subgroups`` are sets of components that are published on their own (in arvio: the services, organisations
    and service classes inside the scope). An entry is also primary when publishing it next to a subgroup's would
    reveal the rest: when the components outside some subgroup give it a nonzero count resting on fewer than
    ``threshold`` respondents (see :func:`difference_sensitive`).
    Guarantee: deterministic — the same counts give the same pattern whatever the order of ``components``, of
    their cells or of ``subgroups``; every entry whose respondent floor is below ``threshold`` is in it.
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}.")
    totals: dict[EntryKey, int] = dict.fromkeys(shape.entries(), 0)
    for counts in components.values():
        for entry, count in entry_counts(shape, counts).items():
            totals[entry] += count
    floors = respondent_floors(shape, components)
    primary = {entry for entry in shape.entries() if floors[entry] < threshold}
    primary |= difference_sensitive(shape, components, subgroups, threshold=threshold)
    if shape.total in primary:
        return frozenset(shape.entries())
    dims = len(shape.levels)
    if dims == 0:
        return frozenset()
    margins = [_protect_levels(shape, axis, primary, totals) for axis in range(dims)]
    if dims == 1:
        return frozenset((level,) for level in margins[0])
    suppressed = {cell for cell in shape.inner() if cell in primary}
    suppressed |= {(x, None) for x in margins[0]} | {(None, y) for y in margins[1]}
    return frozenset(_Protector(shape, totals, suppressed, margins).run())


def difference_sensitive(shape: TableShape, components: Mapping[str, Mapping[EntryKey, int]],
                         subgroups: Iterable[frozenset[str]], *, threshold: int) -> set[EntryKey]:
    """Entries that would give away a small group by differencing: for some ``subgroup`` (a strict part of the
    components, published on its own), the components outside it count the entry more than zero times but rest on
    fewer than ``threshold`` respondents — the whole minus the subgroup would be that small group.

    Guarantee: no pair (whole, subgroup) publishes an entry whose difference rests on 1 to ``threshold − 1``
    respondents. Limits: combinations of three or more overlapping groups are left to the noise.
    """
    ranking: dict[EntryKey, list[tuple[int, str]]] = {entry: [] for entry in shape.entries()}
    for component in sorted(components):
        for entry, count in entry_counts(shape, components[component]).items():
            if count:
                ranking[entry].append((count, component))
    for ranked in ranking.values():
        ranked.sort(key=lambda item: (-item[0], item[1]))
    sensitive: set[EntryKey] = set()
    for group in subgroups:
        if not set(components) - group:
            continue
        for entry, ranked in ranking.items():
            outside = next((count for count, component in ranked if component not in group), 0)
            if 0 < outside < threshold:
                sensitive.add(entry)
    return sensitive


def scope_pattern(shape: TableShape, components: Mapping[str, Mapping[EntryKey, int]], members: frozenset[str], *,
                  threshold: int, subgroups: Iterable[frozenset[str]] = ()) -> frozenset[EntryKey]:
    """The pattern of a scope (the components ``members``) among the other askable scopes ``subgroups`` inside it.

    A scope that splits into two askable scopes publishes an entry only where both parts do — so, like a period
    over its quarters, it adds nothing that could uncover either part (a part without any answer imposes
    nothing). Applied recursively, a hierarchy of small groups is as safe as its smallest members. A scope that
    does not split so is protected by :func:`suppression_pattern` with the subgroup difference rule.
    Guarantee: deterministic; every entry resting on fewer than ``threshold`` respondents is suppressed.
    Limits: differences of three or more overlapping scopes are left to the noise.
    """
    groups = frozenset(subgroups)
    memo: dict[frozenset[str], frozenset[EntryKey]] = {}

    def pattern(scope: frozenset[str]) -> frozenset[EntryKey]:
        if scope not in memo:
            inner = [group for group in groups if group < scope]
            splits = [(group, scope - group) for group in inner
                      if scope - group in groups and min(group) < min(scope - group)]
            present = {c: components[c] for c in sorted(scope) if c in components and any(components[c].values())}
            if splits and present:
                found: frozenset[EntryKey] = frozenset()
                for part, rest in splits:
                    found |= pattern(part) if _has_data(part, components) else frozenset()
                    found |= pattern(rest) if _has_data(rest, components) else frozenset()
                memo[scope] = found
            else:
                memo[scope] = suppression_pattern(shape, present, threshold=threshold, subgroups=inner)
        return memo[scope]

    return pattern(frozenset(members) | frozenset(components))


def _has_data(scope: frozenset[str], components: Mapping[str, Mapping[EntryKey, int]]) -> bool:
    return any(any(components.get(c, {}).values()) for c in scope)


def period_pattern(patterns: Iterable[frozenset[EntryKey]]) -> frozenset[EntryKey]:
    """The pattern of a period: every entry suppressed in any of its (non-empty) quarters.

    Guarantee: monotone — a period never publishes an entry that one of its quarters suppresses, so the
    suppression pattern of a quarter carries over to every period that contains it.
    """
    result: frozenset[EntryKey] = frozenset()
    for pattern in patterns:
        result |= pattern
    return result


def _protect_levels(shape: TableShape, axis: int, primary: set[EntryKey],
                    totals: Mapping[EntryKey, int]) -> list[str]:
    """Suppressed levels of one dimension: the primary ones, plus the smallest other if only one is."""
    def margin(level: str) -> EntryKey:
        return tuple(level if position == axis else None for position in range(len(shape.levels)))

    levels = shape.levels[axis]
    chosen = [level for level in levels if margin(level) in primary]
    if len(chosen) == 1:
        partner = min((level for level in levels if level not in chosen),
                      key=lambda level: (totals[margin(level)], levels.index(level)))
        chosen.append(partner)
    return [level for level in levels if level in chosen]


class _Protector:
    """Adds inner cells of a two-dimensional table until conditions (a) and (b) of the module rule hold."""

    def __init__(self, shape: TableShape, totals: Mapping[EntryKey, int], suppressed: set[EntryKey],
                 margins: list[list[str]]) -> None:
        self.shape, self.totals, self.suppressed, self.margins = shape, totals, suppressed, margins
        rows: list[str | None] = [*shape.levels[0], None]
        columns: list[str | None] = [*shape.levels[1], None]
        self.nodes: list[Node] = [(0, x) for x in rows] + [(1, y) for y in columns]
        self.order = {node: index for index, node in enumerate(self.nodes)}
        self.entry_order = {entry: index for index, entry in enumerate(shape.entries())}

    def run(self) -> set[EntryKey]:
        """The completed pattern."""
        while True:
            path = self._repair_bridge() or self._repair_connection(0) or self._repair_connection(1)
            if not path:
                return self.suppressed
            self.suppressed.update(path)

    @staticmethod
    def edge(entry: EntryKey) -> tuple[Node, Node]:
        """The two nodes an entry joins: its row and its column of the augmented table."""
        return (0, entry[0]), (1, entry[1])

    @staticmethod
    def entry(a: Node, b: Node) -> EntryKey:
        """The entry joining a row node and a column node."""
        row, column = (a, b) if a[0] == 0 else (b, a)
        return (row[1], column[1])

    def neighbours(self, node: Node) -> list[Node]:
        """Every node of the other side, in a fixed order."""
        return [other for other in self.nodes if other[0] != node[0]]

    def _repair_bridge(self) -> list[EntryKey]:
        bridges = sorted(self._bridges(), key=self.entry_order.__getitem__)
        if not bridges:
            return []
        bridge = bridges[0]
        start, goal = self.edge(bridge)
        return self._cheapest_path({start}, goal, avoid=bridge, inner_only=False)

    def _repair_connection(self, axis: int) -> list[EntryKey]:
        wanted = [(axis, level) for level in self.margins[axis]]
        if len(wanted) < 2:
            return []
        group = self._inner_component(wanted[0])
        for node in wanted[1:]:
            if node not in group:
                return self._cheapest_path(group, node, avoid=None, inner_only=True)
        return []

    def _inner_component(self, start: Node) -> set[Node]:
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for other in self.neighbours(node):
                entry = self.entry(node, other)
                if other not in seen and None not in entry and entry in self.suppressed:
                    seen.add(other)
                    stack.append(other)
        return seen

    def _cheapest_path(self, starts: set[Node], goal: Node, *, avoid: EntryKey | None,
                       inner_only: bool) -> list[EntryKey]:
        """Dijkstra: suppressed entries cost 0, published inner cells their count + 1; margins cannot be added."""
        best: dict[Node, int] = {}
        came: dict[Node, Node] = {}
        heap = [(0, self.order[node], node) for node in starts]
        heapq.heapify(heap)
        for node in starts:
            best[node] = 0
        while heap:
            cost, _, node = heapq.heappop(heap)
            if node == goal:
                break
            if cost > best[node]:
                continue
            for other in self.neighbours(node):
                entry = self.entry(node, other)
                step = self._step_cost(entry, avoid, inner_only)
                if step is None or best.get(other, cost + step + 1) <= cost + step:
                    continue
                best[other], came[other] = cost + step, node
                heapq.heappush(heap, (cost + step, self.order[other], other))
        if goal not in best:
            raise RuntimeError("no protecting path exists; the table's margins violate the one-dimension rule")
        path, node = [], goal
        while node not in starts:
            previous = came[node]
            path.append(self.entry(previous, node))
            node = previous
        return [entry for entry in path if entry not in self.suppressed]

    def _step_cost(self, entry: EntryKey, avoid: EntryKey | None, inner_only: bool) -> int | None:
        if entry == avoid or (inner_only and None in entry):
            return None
        if entry in self.suppressed:
            return 0
        if None in entry:
            return None
        return self.totals[entry] + 1

    def _bridges(self) -> list[EntryKey]:
        """Suppressed entries that lie on no cycle of suppressed entries (Tarjan's bridge-finding)."""
        adjacency: dict[Node, list[Node]] = {node: [] for node in self.nodes}
        for entry in sorted(self.suppressed, key=self.entry_order.__getitem__):
            a, b = self.edge(entry)
            adjacency[a].append(b)
            adjacency[b].append(a)
        discovered: dict[Node, int] = {}
        low: dict[Node, int] = {}
        bridges: list[EntryKey] = []

        def visit(node: Node, parent: Node | None) -> None:
            discovered[node] = low[node] = len(discovered)
            for other in adjacency[node]:
                if other == parent:
                    continue
                if other in discovered:
                    low[node] = min(low[node], discovered[other])
                    continue
                visit(other, node)
                low[node] = min(low[node], low[other])
                if low[other] > discovered[node]:
                    bridges.append(self.entry(node, other))

        for node in self.nodes:
            if node not in discovered:
                visit(node, None)
        return bridges
