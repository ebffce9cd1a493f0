"""A copy of the catalogs in a temporary folder, for tests that add or change a catalog."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from federation.i18n import catalogs


@pytest.fixture
def locale_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The catalogs copied to ``tmp_path`` and read from there until the test ends."""
    target = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALE_DIR, target)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", target)
    catalogs.clear_caches()
    yield target
    monkeypatch.undo()
    catalogs.clear_caches()
