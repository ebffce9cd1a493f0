"""The public contract only grows: no breaking change against the released schema unless it is listed on purpose.

`docs/schema.released.graphql` is the contract organisations integrate against (copy `schema.graphql` over it
when a release goes out). A removal goes through `@deprecated` first; a breaking change that is really meant is
listed in `docs/schema-breaking-allowed.txt` as `description of the change  # why`.
"""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema, find_breaking_changes

ROOT = Path(__file__).resolve().parents[3]


def allowed_changes() -> set[str]:
    path = ROOT / "docs" / "schema-breaking-allowed.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()}


def test_no_unintended_breaking_change() -> None:
    released = build_schema((ROOT / "docs" / "schema.released.graphql").read_text(encoding="utf-8"))
    current = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    breaking = [change.description for change in find_breaking_changes(released, current)]
    assert [c for c in breaking if c not in allowed_changes()] == []


def test_the_check_notices_a_removed_field() -> None:
    released = build_schema("type Query { publicScore: Int, other: Int }")
    current = build_schema("type Query { other: Int }")
    assert [c.description for c in find_breaking_changes(released, current)] == ["Field Query.publicScore was removed."]
