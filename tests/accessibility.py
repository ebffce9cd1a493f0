"""The automated accessibility checks' shared half for the browser tests: axe-core in the page, and the comparison
of each check's fresh findings with the committed results (schema/http/accessibility_checks.py).

A check whose findings differ from ``schema/http/accessibility_results.json`` fails and names the way to regenerate
the file; with ``ARVIO_A11Y_REGENERATE=1`` the tests write the findings there instead (with today's date and the
installed axe-core's version), for a person to review and commit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from schema.http.accessibility_checks import BY_ID, CHECKS, NOT_RUN, RESULTS

AXE_DIR = Path(__file__).resolve().parents[1] / ".ci" / "node" / "node_modules" / "axe-core"
AXE = AXE_DIR / "axe.min.js"
REGENERATE = "ARVIO_A11Y_REGENERATE"
BROWSER_TESTS = ("tests/schema/http/test_accessibility_browser.py tests/schema/http/test_dashboard_browser.py "
                 "tests/schema/http/test_widget_browser.py")
HOW = f"{REGENERATE}=1 .venv/bin/pytest -q {BROWSER_TESTS}"


def require_axe() -> None:
    """Skip (or fail, when the browser is required) without axe-core in ``.ci/node``."""
    if not AXE.exists():
        message = f"{AXE} is missing: run (cd .ci/node && npm ci)"
        if os.environ.get("ARVIO_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def axe_version() -> str:
    """The installed axe-core's version."""
    version: str = json.loads((AXE_DIR / "package.json").read_text(encoding="utf-8"))["version"]
    return version


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations in ``page``: ``rule-id: up to three targets`` each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => { const r = await axe.run(document); return { passes: r.passes.length, "
                           "violations: r.violations.map(v => v.id + ': ' + "
                           "v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')) }; }")
    assert result["passes"] > 10  # axe ran its rules
    return list(result["violations"])


def axe_check(page: Any, check_id: str) -> list[str]:
    """Run axe-core on ``page`` as the check ``check_id`` and compare (or record) its outcome; the violations."""
    violations = axe_violations(page)
    record(check_id, [v.split(":", 1)[0] for v in violations])
    return violations


def record(check_id: str, findings: list[str]) -> None:
    """Compare ``findings`` of ``check_id`` with the committed results, or write them there when regenerating."""
    assert check_id in BY_ID, f"{check_id} is not in CHECKS of schema/http/accessibility_checks.py"
    found = sorted(set(findings))
    stored = _stored()
    if os.environ.get(REGENERATE) == "1":
        checks = {c.id: stored["checks"].get(c.id, [NOT_RUN]) for c in CHECKS}
        checks[check_id] = found
        RESULTS.write_text(json.dumps({"updated": dt.date.today().isoformat(), "axe": axe_version(),
                                       "checks": checks}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    committed = stored["checks"].get(check_id)
    assert (committed, stored["axe"]) == (found, axe_version()), (
        f"{check_id}: the suite found {found or 'no failures'} with axe-core {axe_version()}, the committed "
        f"{RESULTS.name} says {committed} with axe-core {stored['axe']}; if the change is right, regenerate the "
        f"file with {HOW} and commit it")


def _stored() -> dict[str, Any]:
    try:
        raw: dict[str, Any] = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    return {"axe": raw.get("axe"), "checks": raw.get("checks") if isinstance(raw.get("checks"), dict) else {}}
