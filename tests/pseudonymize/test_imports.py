"""pseudonymize/ imports only the standard library and cryptography (docs/DESIGN.md "Layers")."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pseudonymize

PACKAGE = Path(pseudonymize.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"cryptography", "pseudonymize", "__future__"}


def imported_top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_pseudonymize_imports_only_the_standard_library_and_cryptography() -> None:
    offending = {
        str(path.relative_to(PACKAGE)): sorted(imported_top_level_names(path) - ALLOWED)
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_every_public_name_is_documented() -> None:
    undocumented = [
        name
        for name in pseudonymize.__all__
        if callable(getattr(pseudonymize, name)) and not (getattr(pseudonymize, name).__doc__ or "").strip()
    ]
    assert undocumented == []
