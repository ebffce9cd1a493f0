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
