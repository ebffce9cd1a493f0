"""Architecture rule: no import circles between the repository's own modules.

Every module of the packages below is parsed with ``ast``; every import of one of our modules counts, wherever it is
written — at module level, under ``if TYPE_CHECKING:`` or inside a function — so a circle cannot hide behind a
late import. ``from package import name`` is an edge to ``package.name`` when that is a module, else to
``package``; relative imports are resolved against the importing module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("federation", "schema", "exporters", "pseudonymize")
EXCLUDED = ("federation/migrations/versions",)
"""Alembic revision scripts: loaded by path by Alembic, never imported as modules."""


def module_name(path: Path) -> str:
    """``schema/http/app.py`` → ``schema.http.app``; a package's ``__init__.py`` is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    """Every module of :data:`PACKAGES` by its dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not any(path.relative_to(ROOT).as_posix().startswith(prefix) for prefix in EXCLUDED):
                found[module_name(path)] = path
    return found


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    if level == 0:
        return target or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def imported(module: str, path: Path, known: set[str]) -> Iterator[str]:
    """Our modules that ``module`` imports anywhere in its text."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node.level, node.module)
            names = [f"{source}.{a.name}" if f"{source}.{a.name}" in known else source for a in node.names]
        else:
            continue
        for name in names:
            # `import a.b.c` loads a.b.c; the nearest module we own is the edge (packages count too).
            owned = name
            while owned and owned not in known:
                owned = owned.rpartition(".")[0]
            if owned and owned != module:
                yield owned


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports."""
    modules = our_modules()
    known = set(modules)
    return {name: set(imported(name, path, known)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a long import chain cannot hit the recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def a_cycle(graph: dict[str, set[str]], members: list[str]) -> list[str]:
    """One concrete circle through the component's first module: a → b → … → a."""
    inside = set(members)
    start = members[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & inside):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return members


def test_the_graph_sees_our_modules_and_their_imports() -> None:
    graph = import_graph()
    assert {"schema.wiring", "federation.db", "exporters.formats", "pseudonymize.keys"} <= graph.keys()
    assert "federation.settings" in graph["schema.wiring"]


def test_the_cycle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package: str) -> None:
    graph = import_graph()
    circles = [c for c in cycles(graph) if any(m == package or m.startswith(f"{package}.") for m in c)]
    described = [" → ".join(a_cycle(graph, c)) + f"  (modules: {', '.join(c)})" for c in circles]
    assert described == [], "import cycles:\n" + "\n".join(described)
