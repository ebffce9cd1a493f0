"""Real headless Chromium for the browser tests: Debian's ``chromium`` driven by Playwright (no browser download).

Importing this module skips the importing test module when Chromium or Playwright is missing, unless
``ARVIO_TEST_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns that into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]

if not CHROMIUM.exists():
    if os.environ.get("ARVIO_TEST_REQUIRE_BROWSER") == "1":
        raise RuntimeError("/usr/bin/chromium is missing; install it with apt-get install -y chromium")
    pytest.skip("Debian chromium is not installed (apt-get install -y chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def launch_chromium() -> Iterator[Any]:
    """A Chromium browser for a module-scoped fixture; closed when the module's tests are done."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
