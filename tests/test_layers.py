"""Architecture rule: imports point down (schema → exporters → federation → pseudonymize)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB_STACK = {"strawberry", "starlette", "uvicorn"}
FORBIDDEN: dict[str, set[str]] = {
    "pseudonymize": {"schema", "exporters", "federation", "sqlalchemy", "stdnum", "alembic"} | WEB_STACK,
    "federation": {"schema", "exporters"} | WEB_STACK,
    "exporters": {"schema"} | WEB_STACK,
}
STDLIB_ONLY_EXCEPT = {"cryptography"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_down(package: str) -> None:
    offences = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = imported_roots(path) & FORBIDDEN[package]
        if bad:
            offences.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert offences == []


def test_pseudonymize_uses_only_the_standard_library_and_cryptography() -> None:
    import sys

    allowed = set(sys.stdlib_module_names) | STDLIB_ONLY_EXCEPT | {"pseudonymize", "__future__"}
    offences = []
    for path in sorted((ROOT / "pseudonymize").rglob("*.py")):
        bad = imported_roots(path) - allowed
        if bad:
            offences.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert offences == []


PURE_MODULES = (
    "federation/battery/scales.py", "federation/battery/national.py", "federation/battery/rotation.py",
    "federation/battery/followups.py",
    "federation/i18n/markers.py", "federation/battery/wording_rules.py", "federation/scores/stats.py",
    "federation/scores/ranking.py", "federation/scores/nps.py",
    "federation/analytics/series.py", "federation/analytics/heatmap.py", "federation/analytics/significance.py",
    "federation/analytics/change.py", "federation/analytics/alerts.py", "federation/analytics/comparison.py",
    "federation/volumes/kpis.py", "federation/volumes/hourly.py", "federation/volumes/contract.py",
    "federation/ratings/contract.py",
    "federation/registry/kinds.py", "federation/feedback/themes.py", "federation/feedback/vocabulary.py",
    "federation/notify/signing.py",
)
"""Pure maths and plain data (docs/DESIGN.md "Layers"): no database, network, files, subprocesses or clock — testable
with properties alone, and importing only the standard library's pure parts and other pure modules."""
IO_MODULES = {"os", "io", "pathlib", "socket", "ssl", "http", "urllib", "subprocess", "sqlite3", "shutil",
              "tempfile", "logging", "threading", "asyncio", "time", "select", "signal", "sys", "glob"}
"""Standard-library modules that reach outside the process (or its clock) — not for pure modules."""
IO_CALLS = {"open", "print", "input"}
CLOCK_METHODS = {"now", "utcnow", "today", "monotonic", "perf_counter", "time_ns"}


def _module_path(module: str) -> str:
    return module.replace(".", "/") + ".py"


@pytest.mark.parametrize("path", PURE_MODULES)
def test_pure_modules_do_no_io(path: str) -> None:
    import sys

    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    offences: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                root = name.split(".")[0]
                if root in ("federation", "pseudonymize"):
                    if _module_path(name) not in PURE_MODULES and not name.startswith("pseudonymize"):
                        offences.append(f"imports {name}, which is not pure")
                elif root != "__future__" and (root not in sys.stdlib_module_names or root in IO_MODULES):
                    offences.append(f"imports {name}")
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in IO_CALLS:
                offences.append(f"calls {function.id}() on line {node.lineno}")
            if isinstance(function, ast.Attribute) and function.attr in CLOCK_METHODS:
                offences.append(f"reads the clock ({function.attr}) on line {node.lineno}")
    assert offences == [], f"{path}: {offences}"
