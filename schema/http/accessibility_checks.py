"""Every automated accessibility check of arvio's pages, and the committed results the statement shows.

``CHECKS`` is the one list: the page or view, the viewport width, the tool (axe-core in Chromium, run with the WCAG
tags of ``AXE_TAGS`` and axe's best practices; or a keyboard walk). The browser tests under tests/schema/http/ run
each check and compare what they find with ``accessibility_results.json`` beside this module; they fail, naming
``ARVIO_A11Y_REGENERATE=1``, when the two differ, and with that variable set they write the file (date, axe-core
version, each check's findings) instead. The statement page (schema/http/accessibility.py) reads the file, so it
shows the suite's latest results and never more than the suite found.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "accessibility_results.json"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
"""The rule tags axe-core runs (all its rules run: these are the tags they carry)."""
NOT_RUN = "not-run"
"""The finding of a check the results file lacks (added since the file was written): not claimed to pass."""
WIDTHS = (390, 1280)
LOCALES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Check:
    """One automated check: ``view`` names the page in the statement's texts, ``path`` is where it is."""

    id: str
    view: str
    path: str
    width: int
    tool: str  # "axe" or "keyboard"


def _axe(view: str, path: str, name: str | None = None) -> list[Check]:
    return [Check(f"{name or view}-{width}", view, path, width, "axe") for width in WIDTHS]


def _catalogue() -> tuple[Check, ...]:
    checks = [*_axe("widget", "/widget/demo?locale=fi"), *_axe("widget-notice", "/widget/demo?locale=fi")]
    for view, path in (("dashboard-index", "/dashboard/?lang=fi"), ("dashboard-service", "/dashboard/services/…"),
                       ("dashboard-sign-in", "/dashboard/organisation"),
                       ("dashboard-organisation", "/dashboard/organisation")):
        checks += _axe(view, path)
    checks.append(Check("dashboard-service-resized", "dashboard-service", "/dashboard/services/…", 390, "axe"))
    for locale in LOCALES:
        checks += _axe("privacy", f"/privacy?locale={locale}", f"privacy-{locale}")
        checks += _axe("receipt", f"/r/…?lang={locale}", f"receipt-{locale}")
        checks += _axe("statement", f"/accessibility?locale={locale}", f"statement-{locale}")
    checks += [Check("keyboard-widget", "widget", "/widget/demo?locale=en", 900, "keyboard"),
               Check("keyboard-dashboard-index", "dashboard-index", "/dashboard/?lang=en", 1100, "keyboard"),
               Check("keyboard-dashboard-service", "dashboard-service", "/dashboard/services/…", 1100, "keyboard")]
    checks += [Check(f"keyboard-statement-{locale}-{width}", "statement", f"/accessibility?locale={locale}", width,
                     "keyboard") for locale in LOCALES for width in WIDTHS]
    return tuple(checks)


CHECKS = _catalogue()
"""Every automated accessibility check, in the order the statement lists them."""
BY_ID = {check.id: check for check in CHECKS}


@dataclass(frozen=True)
class Results:
    """The committed results: when they were produced, with which axe-core, and each check's findings (the axe
    rule ids that failed, or the keyboard walk's problems; empty when the check passed)."""

    updated: dt.date
    axe_version: str
    findings: dict[str, tuple[str, ...]]

    @property
    def failed(self) -> list[Check]:
        """The checks that found something, in catalogue order."""
        return [check for check in CHECKS if self.findings.get(check.id)]


def parse_results(raw: dict[str, Any]) -> Results:
    """The results of the file's JSON; ``ValueError`` says what is wrong (a hand edit). A check the file lacks is
    ``NOT_RUN``; a check no longer in ``CHECKS`` is left out."""
    version = str(raw.get("axe", ""))
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ValueError(f"{RESULTS.name}: 'axe' must be axe-core's version such as 4.11.0")
    findings = raw.get("checks")
    if not isinstance(findings, dict) or not all(
            isinstance(v, list) and all(isinstance(i, str) for i in v) for v in findings.values()):
        raise ValueError(f"{RESULTS.name}: 'checks' must map each check's id to a list of strings")
    findings = {check.id: findings.get(check.id, [NOT_RUN]) for check in CHECKS}
    return Results(dt.date.fromisoformat(str(raw.get("updated"))), version,
                   {key: tuple(value) for key, value in findings.items()})


def committed_results() -> Results:
    """The committed results file (read again only when it changes, as when the tests regenerate it)."""
    return _read(RESULTS.stat().st_mtime_ns)


@functools.lru_cache(maxsize=1)
def _read(mtime_ns: int) -> Results:
    return parse_results(json.loads(RESULTS.read_text(encoding="utf-8")))
