"""The accessibility statement, the privacy notice, the receipt page and the widget in real headless Chromium:
axe-core at 390 and 1280 px, a keyboard walk of the statement, its languages, and the results it lists.

Each check is one of CHECKS (schema/http/accessibility_checks.py); its findings are compared with the committed
results file by tests/accessibility.py (``ARVIO_A11Y_REGENERATE=1`` writes them instead).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from federation.settings import Settings
from schema.http.accessibility import text
from schema.http.accessibility_checks import CHECKS, LOCALES, NOT_RUN, committed_results
from schema.wiring import build_app
from tests.accessibility import axe_check, axe_violations, record, require_axe
from tests.browser import ARTIFACTS, launch_chromium
from tests.conftest import SERVICE_A, Api
from tests.live import serve
from tests.schema.graphql.test_feedback import INBOX, REPLY, give_feedback
from tests.schema.widget_support import pin_question

pytestmark = pytest.mark.browser

EVENT = """mutation($input: RecordServiceEventInput!) { recordServiceEvent(input: $input) { id } }"""


@dataclass
class Live:
    """arvio over real HTTP, and a receipt code whose page carries a reply and the service change it links."""

    base: str
    code: str


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def live(api: Api, app_settings: Settings) -> Iterator[Live]:
    pin_question(api, "national.transaction-smooth")
    code = give_feedback(api)
    item = api.gql(INBOX, token="org_a")["data"]["feedbackInbox"]["items"][0]["id"]
    event = api.gql(EVENT, {"input": {"serviceId": SERVICE_A, "occurredOn": api.clock.now.date().isoformat(),
                                      "description": {"fi": "Lisäsimme ajanvarauksen.", "sv": "Vi lade till "
                                                      "tidsbokning.", "en": "Appointments added."},
                                      "public": True}}, token="org_a")["data"]["recordServiceEvent"]["id"]
    body = api.gql(REPLY, {"input": {"feedbackId": item, "text": "Kiitos, lisäsimme ajanvarauksen.",
                                     "language": "FI", "eventId": event}}, token="org_a")
    assert "errors" not in body, body
    with serve(build_app(app_settings, database=api.database, run_migrations=False)) as base:
        yield Live(base, code)


def open_page(browser: Any, url: str, width: int, bypass_csp: bool = False) -> tuple[Any, list[str]]:
    """``url`` at ``width``; ``bypass_csp`` lets axe-core be injected (the CSP allows no inline script)."""
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    return page, problems


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


def test_the_pages_in_a_locale_without_translations_pass_axe(browser: Any, live: Live) -> None:
    """Northern Sámi: the page is ``se``, its Finnish fallbacks marked; axe-core finds nothing (not a committed
    check: the statement lists the fi/sv/en ones)."""
    require_axe()
    for path in ("/accessibility?locale=se", "/privacy?locale=se", f"/r/{live.code}?lang=se"):
        page, problems = open_page(browser, live.base + path, 390, True)
        assert page.evaluate("document.documentElement.lang") == "se" and fits(page), path
        assert page.locator("h1").get_attribute("lang") == "fi" or page.locator("main").get_attribute("lang") == "fi"
        assert axe_violations(page) == [], path
        assert problems == [], path


@pytest.mark.parametrize("width", [390, 1280])
def test_the_statement_privacy_notice_receipt_and_widget_pass_axe(browser: Any, live: Live, width: int) -> None:
    require_axe()
    for locale in LOCALES:
        statement, problems = open_page(browser, f"{live.base}/accessibility?locale={locale}", width, True)
        assert statement.evaluate("document.documentElement.lang") == locale
        assert statement.inner_text("main h1") == text(locale, "title").text
        assert text(locale, "feedback.heading").text in statement.inner_text("main")
        assert fits(statement), (locale, width)
        assert axe_check(statement, f"statement-{locale}-{width}") == [], locale
        ARTIFACTS.mkdir(exist_ok=True)
        statement.screenshot(path=str(ARTIFACTS / f"accessibility-{locale}-{width}.png"), full_page=True)
        privacy, more = open_page(browser, f"{live.base}/privacy?locale={locale}", width, True)
        assert privacy.get_by_role("main").count() == 1 and fits(privacy)
        assert axe_check(privacy, f"privacy-{locale}-{width}") == [], locale
        receipt, most = open_page(browser, f"{live.base}/r/{live.code}?lang={locale}", width, True)
        assert "Kiitos, lisäsimme ajanvarauksen." in receipt.inner_text("main") and fits(receipt)
        assert axe_check(receipt, f"receipt-{locale}-{width}") == [], locale
        assert problems + more + most == []
    widget, problems = open_page(browser, f"{live.base}/widget/demo?locale=fi", width, True)
    widget.wait_for_selector(".arvio-w legend")
    assert axe_check(widget, f"widget-{width}") == []
    widget.locator("label.arvio-opt").nth(4).click()
    widget.get_by_role("button", name="Lähetä").click()
    widget.get_by_role("button", name="Ohita").click()  # the follow-up, skipped
    widget.locator(".arvio-ref").wait_for()
    widget.locator(".arvio-info").click()
    widget.get_by_role("link", name=text("fi", "title").text).wait_for()  # the notice links to the statement
    assert axe_check(widget, f"widget-notice-{width}") == []
    assert problems == []


WALK = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return { index: [...document.querySelectorAll('a[href]')].indexOf(el), tag: el.tagName,
           outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
}"""


def keyboard_walk(page: Any) -> list[str]:
    """Tab through the page once: the links Tab never reaches, and those reached without a visible focus."""
    links = page.locator("a[href]").count()
    reached: set[int] = set()
    problems = []
    for _ in range(links + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(WALK)
        if focused["index"] < 0:
            continue
        if focused["index"] in reached:
            break
        reached.add(focused["index"])
        if focused["outline"] == "none" or focused["width"] < 2:
            problems.append(f"focus-not-visible:{focused['index']}")
    problems += [f"not-reached:{index}" for index in range(links) if index not in reached]
    return problems


@pytest.mark.parametrize("width", [390, 1280])
def test_the_statement_can_be_walked_by_keyboard(browser: Any, live: Live, width: int) -> None:
    for locale in LOCALES:
        page, problems = open_page(browser, f"{live.base}/accessibility?locale={locale}", width)
        assert page.locator("a[href]").count() >= 6  # languages, contact, authority, privacy
        found = keyboard_walk(page)
        record(f"keyboard-statement-{locale}-{width}", found)
        assert found == [], locale
        assert problems == []


def outcome(findings: tuple[str, ...]) -> str:
    return "not-run" if findings == (NOT_RUN,) else "fail" if findings else "pass"


LISTED = """() => [...document.querySelectorAll('ul.checks [data-check]')].map(e =>
  [e.dataset.check, e.dataset.outcome, e.dataset.findings])"""


def test_the_statement_lists_the_committed_results(browser: Any, live: Live) -> None:
    results = committed_results()
    page, problems = open_page(browser, f"{live.base}/accessibility?locale=en", 1280)
    assert page.evaluate(LISTED) == [[c.id, outcome(results.findings[c.id]), " ".join(results.findings[c.id])]
                                     for c in CHECKS]
    text = page.inner_text("main")
    assert f"axe-core {results.axe_version}" in text and results.updated.isoformat() in text
    # no expert evaluation is recorded (schema/http/accessibility.py MANUAL_EVALUATION): partially compliant
    assert "The service is partially compliant" in text
    assert page.get_attribute("#compliance", "data-status") == "partial"
    for check in results.failed:  # each failing check is named under "Non-accessible content"
        assert page.locator(f'#known ~ ul [data-check="{check.id}"]').count() == 1
    assert problems == []
