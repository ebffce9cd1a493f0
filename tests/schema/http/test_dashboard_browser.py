"""The analytics dashboard in real headless Chromium (Debian ``chromium``) against arvio served by uvicorn.

The demo federation (at a tenth of its size, through the real ingest path) is served with a fixed clock. The tests
read the numbers the charts carry (``data-*`` of the SVG marks and the table alternatives) and compare them with
the GraphQL figures, drive the charts with the keyboard, sign an organisation in with its token, record a change,
switch languages, and check that no request leaves 127.0.0.1 and no console error or CSP violation happens. At
390 px (a phone) and 1280 px every view fits its width (no sideways scrolling, no element wider than the window),
chart text is drawn at 11 px or more, and axe-core (``.ci/node``, injected from ``node_modules``) finds no
violation.
Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from federation.demo import SERVICES
from federation.privacy.protector import PrivacyProtector
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.cli.demo import load_demo_volumes
from schema.wiring import build_app
from tests.accessibility import axe_check, record, require_axe
from tests.browser import ARTIFACTS, launch_chromium
from tests.conftest import NOW, TEST_KEY, Api
from tests.live import serve
from tests.schema.analytics_support import seed_demo

pytestmark = pytest.mark.browser

PARKING = next(s for s in SERVICES if s.key == "parking-permit")
PET = next(s for s in SERVICES if s.key == "pet-registration")



@dataclass
class Live:
    """arvio over real HTTP with the demo federation, and what the pages did that they should not."""

    base: str
    token: str
    problems: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)

    def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = httpx.post(f"{self.base}/graphql", json={"query": query, "variables": variables or {}},
                          headers=headers, timeout=30).json()
        assert "errors" not in body, body
        return body["data"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def live(api: Api, app_settings: Settings) -> Iterator[Live]:
    seed_demo(api.database, now=NOW, scale=0.1, protector=PrivacyProtector(KeyRing((TEST_KEY,))))
    with api.database.transaction() as session:
        load_demo_volumes(session, now=NOW, scale=0.1)
    app = build_app(app_settings, database=api.database, run_migrations=False, clock=api.clock)
    with serve(app) as base:
        yield Live(base, api.tokens["org_a"])


def open_page(browser: Any, live: Live, path: str, width: int = 1100, bypass_csp: bool = False) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    page.on("console", lambda m: live.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: live.problems.append(str(e)))

    def keep(request: Any) -> None:  # playwright wants a Python function, not a bound built-in
        live.requests.append(request)

    page.on("request", keep)
    page.goto(f"{live.base}{path}")
    page.wait_for_selector('body[data-ready="true"]')
    return page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def marks(page: Any, selector: str, *names: str) -> list[list[str | None]]:
    found: list[list[str | None]] = page.eval_on_selector_all(
        selector, "(els, names) => els.map(e => names.map(n => e.getAttribute('data-' + n)))", list(names))
    return found


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def active(page: Any, attribute: str) -> str | None:
    value: str | None = page.evaluate("(a) => document.activeElement.getAttribute(a)", attribute)
    return value


def as_number(text: str | None) -> float | None:
    return None if text in (None, "") else float(text)  # type: ignore[arg-type]


PUBLIC = """query($id: ID!) { publicServiceAnalytics(serviceId: $id) {
  score { count mean distribution { value count } }
  series(granularity: MONTH) { label value count interval { low high } }
  heatmap { cells { weekday hour count } }
  events { occurredOn description(locale: EN) }
} serviceComparison(peerOf: $id) { rankedCount focus { rank } } }"""


def test_public_service_page_shows_the_graphql_figures_and_works_by_keyboard(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"/dashboard/services/{PARKING.id}?lang=en")
    assert page.inner_text("h1") == "Resident parking permit"
    page.select_option("#granularity", "MONTH")
    page.wait_for_selector('body[data-ready="true"]')
    truth = live.gql(PUBLIC, {"id": PARKING.id})
    analytics = truth["publicServiceAnalytics"]
    published = [p for p in analytics["series"] if p["value"] is not None]
    assert len(published) >= 10
    drawn = marks(page, "#trend circle.point", "label", "value", "low", "high", "count")
    assert [(d[0], as_number(d[1]), as_number(d[2]), as_number(d[3]), as_number(d[4])) for d in drawn] == [
        (p["label"], p["value"], p["interval"]["low"], p["interval"]["high"], p["count"]) for p in published]
    tabled = marks(page, "#trend tbody tr td:first-of-type", "value")
    assert [as_number(v[0]) for v in tabled] == [p["value"] for p in analytics["series"]]
    bars = marks(page, "#distribution rect.bar", "key", "count")
    assert sorted((int(k or 0), int(c or 0)) for k, c in bars) == sorted(
        (d["value"], d["count"]) for d in analytics["score"]["distribution"])
    cells = marks(page, "#heatmap rect.heat-cell", "count")
    assert [as_number(c[0]) for c in cells] == [c["count"] for c in analytics["heatmap"]["cells"]]
    assert page.locator(".event").count() == len(analytics["events"]) == 1
    assert analytics["events"][0]["description"] in page.inner_text("#events-panel")
    rank = truth["serviceComparison"]["focus"]["rank"]
    assert page.get_attribute("#peer-position", "data-rank") == str(rank)

    tab_to(page, "#trend circle.point")
    first, second = drawn[0], drawn[1]
    assert active(page, "data-label") == first[0]
    assert page.inner_text("#trend-readout").startswith(f"{first[0]}: ")
    page.keyboard.press("ArrowRight")
    assert active(page, "data-label") == second[0]
    assert page.inner_text("#trend-readout").startswith(f"{second[0]}: ")
    page.keyboard.press("End")
    assert active(page, "data-label") == drawn[-1][0]
    tab_to(page, "#heatmap rect.heat-cell")
    page.keyboard.press("ArrowDown")
    assert (active(page, "data-weekday"), active(page, "data-hour")) == ("2", "0")
    shot(page, "dashboard-service.png")

    page.get_by_role("button", name="Svenska").click()
    page.wait_for_selector('body[data-ready="true"]')
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert page.inner_text("#trend-panel-title") == "Utveckling"
    assert page.inner_text("h1") == "Boendeparkeringstillstånd"
    assert live.problems == []
    assert all(r.url.startswith(live.base) for r in live.requests)
    record("keyboard-dashboard-service", [])  # the charts walked by keyboard above


def test_a_small_service_shows_nothing_unpublished(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"/dashboard/services/{PET.id}?lang=fi")
    assert page.locator("#trend circle.point").count() == 0
    assert page.locator("#analytics > .note").inner_text() == "Arvio: ei julkaistu"
    assert "ei järjestetty" in page.inner_text("#peers-panel")
    assert live.problems == []


ORGANISATION = """query($id: ID!) {
  serviceAnalytics(serviceId: $id, lastDays: 365) { series(granularity: WEEK) { label value count } }
  alerts(lastDays: 365) { serviceId direction } }"""


def test_organisation_signs_in_with_its_token_and_records_a_change(browser: Any, live: Live) -> None:
    page = open_page(browser, live, "/dashboard/organisation?lang=en")
    assert page.evaluate("document.activeElement.id") == "token"
    page.keyboard.type(live.token)
    page.keyboard.press("Enter")
    page.wait_for_selector("#analytics .panel")
    page.wait_for_selector('body[data-ready="true"]')
    assert page.evaluate("sessionStorage.getItem('arvio.token')") == live.token
    graphql = [r for r in live.requests if r.url.endswith("/graphql")]
    assert graphql and all(r.headers.get("authorization") == f"Bearer {live.token}" for r in graphql
                           if "Viewer" in (r.post_data or "") or "OrgService" in (r.post_data or ""))
    assert page.inner_text("h1") == "City of Esimerkkilä"
    page.focus("#service")
    page.select_option("#service", PARKING.id)
    page.wait_for_selector('body[data-ready="true"]')
    truth = live.gql(ORGANISATION, {"id": PARKING.id}, live.token)
    drawn = marks(page, "#trend circle.point", "label", "value", "count")
    assert len(drawn) > 40  # the organisation sees its weeks below the publication threshold too
    assert [(d[0], as_number(d[1]), as_number(d[2])) for d in drawn] == [
        (p["label"], p["value"], p["count"]) for p in truth["serviceAnalytics"]["series"] if p["value"] is not None]
    alerts = marks(page, "#alerts-panel li.alert", "service-id", "direction")
    assert alerts == [[a["serviceId"], a["direction"]] for a in truth["alerts"]]

    events_before = page.locator(".event").count()
    page.fill("#event-date", "2026-03-02")
    page.fill("#event-fi", "Lomakkeen ohjeita selkeytettiin")
    page.focus("#event-en")
    page.keyboard.type("The form's instructions were clarified")
    page.keyboard.press("Enter")
    page.locator(".event").nth(events_before).wait_for()
    page.wait_for_selector('body[data-ready="true"]')
    assert "The form's instructions were clarified" in page.inner_text("#events-panel")  # shown in English
    assert "internal" in page.inner_text("#events-panel")
    shot(page, "dashboard-organisation.png")

    page.click("#sign-out")
    assert page.evaluate("sessionStorage.getItem('arvio.token')") is None
    page.wait_for_selector("#token")
    assert live.problems == []
    assert all(r.url.startswith(live.base) for r in live.requests)


def test_start_page_lists_services_and_leads_to_them_by_keyboard(browser: Any, live: Live) -> None:
    page = open_page(browser, live, "/dashboard/?lang=en")
    services = live.gql("{ services { id } }")["services"]
    assert page.locator("table.services tbody tr").count() == len(services) == len(SERVICES) + 2
    shot(page, "dashboard-index.png")
    tab_to(page, f'a[href^="/dashboard/services/{SERVICES[0].id}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/dashboard/services/{SERVICES[0].id}**")
    page.wait_for_selector('body[data-ready="true"]')
    assert page.inner_text("h1") == SERVICES[0].en
    assert live.problems == []
    record("keyboard-dashboard-index", [])  # reached and opened a service by keyboard above


STRUCTURE = """() => {
  const problems = [];
  for (const chart of document.querySelectorAll('svg.chart-svg')) {
    const figure = chart.closest('figure');
    const caption = document.getElementById(chart.getAttribute('aria-labelledby'));
    if (chart.getAttribute('role') !== 'group' || !caption || caption.tagName !== 'FIGCAPTION')
      problems.push('chart without a caption: ' + figure.id);
    if (!figure.querySelector('details > table caption')) problems.push('chart without a table: ' + figure.id);
    const marks = chart.querySelectorAll('[tabindex]');
    if (marks.length && [...marks].filter(m => m.getAttribute('tabindex') === '0').length !== 1)
      problems.push('chart without exactly one tab stop: ' + figure.id);
    for (const mark of marks) if (!mark.getAttribute('aria-label')) problems.push('unlabelled mark in ' + figure.id);
  }
  for (const control of document.querySelectorAll('select, input')) {
    if (!document.querySelector(`label[for="${control.id}"]`)) problems.push('unlabelled control: ' + control.id);
  }
  for (const section of document.querySelectorAll('section')) {
    if (!document.getElementById(section.getAttribute('aria-labelledby'))) problems.push('unnamed section');
  }
  if (!document.documentElement.lang) problems.push('no lang');
  if (!document.querySelector('main h1')) problems.push('no h1');
  return problems;
}"""

CONTRAST = """(selector) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  const fg = rgb(el instanceof SVGElement ? style.fill : style.color);
  let bg = null;
  for (let node = el; node && !bg; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length < 4 || c[3] > 0) bg = c;
  }
  const [a, b] = [lum(fg), lum(bg || [255, 255, 255])].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_pages_are_structured_for_assistive_technology_and_readable(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"/dashboard/services/{PARKING.id}?lang=fi")
    assert page.evaluate(STRUCTURE) == []
    for selector in ("h1", "#trend-panel-title", ".note", "figcaption", "summary", ".impact", "button.language",
                     'button[aria-pressed="true"]', "svg .tick", "label"):
        assert page.evaluate(CONTRAST, selector) >= 4.5, selector
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-9999px"
    signed_in = open_page(browser, live, "/dashboard/organisation?lang=sv")
    signed_in.fill("#token", live.token)
    signed_in.keyboard.press("Enter")
    signed_in.wait_for_selector("#analytics .panel")
    signed_in.wait_for_selector('body[data-ready="true"]')
    assert signed_in.evaluate(STRUCTURE) == []
    assert live.problems == []


def test_pages_carry_a_strict_content_security_policy(live: Live) -> None:
    for path in ("/dashboard/", "/dashboard/organisation", f"/dashboard/services/{PARKING.id}",
                 "/dashboard/organisation/feedback", "/dashboard/static/feedback.js"):
        response = httpx.get(f"{live.base}{path}", timeout=10)
        assert response.status_code == 200
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "default-src 'none'" in policy
    assert httpx.get(f"{live.base}/dashboard/static/..%2Fdemo.html", timeout=10).status_code == 404
    assert httpx.get(f"{live.base}/dashboard/static/missing.js", timeout=10).status_code == 404


FITS = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.width > width + 0.5 || r.right > width + 0.5);
  }).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.getAttribute('class') || ''} `
    + `${Math.round(e.getBoundingClientRect().right)}`);
  return { scrollWidth: document.scrollingElement.scrollWidth, width, wide };
}"""

CHART_TEXT = """() => [...document.querySelectorAll('svg.chart-svg text')].map(e => {
  const css = parseFloat(getComputedStyle(e).fontSize);
  return [e.textContent, css, css * e.ownerSVGElement.getScreenCTM().a];
})"""


def check_view(page: Any, name: str) -> None:
    """The view fits its width (details opened too), its chart text is ≥ 11 px as drawn and axe finds nothing."""
    page.wait_for_selector('body[data-ready="true"]')
    for opened in (False, True):
        if opened:
            page.eval_on_selector_all("details", "els => els.forEach(d => { d.open = true; })")
        fits = page.evaluate(FITS)
        assert fits["scrollWidth"] <= fits["width"], (name, opened, fits)
        assert fits["wide"] == [], (name, opened, fits["wide"][:5])
    texts = page.evaluate(CHART_TEXT)
    small = [(text, css, drawn) for text, css, drawn in texts if css < 11 or drawn < 11]
    assert small == [], (name, small[:5])
    page.eval_on_selector_all("details", "els => els.forEach(d => { d.open = false; })")
    assert axe_check(page, f"dashboard-{name}") == [], name
    shot(page, f"dashboard-{name}.png")


FREE_TEXT = """mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { accepted } }"""
LAYOUT_TRUTH = """query($id: ID!, $days: Int!) {
  alerts(lastDays: $days) { serviceId direction }
  service(id: $id) { kpis(lastDays: $days) { transactionsCompleted digitalTakeUp } } }"""


@pytest.mark.parametrize("width", [390, 1280])
def test_every_view_fits_the_screen_reads_plainly_and_passes_axe(browser: Any, live: Live, width: int) -> None:
    require_axe()
    answered = (NOW - dt.timedelta(days=2)).isoformat()
    ratings = [{"clientRef": f"layout-{i}", "serviceId": PARKING.id, "questionId": "national.transaction-smooth",
                "value": 2 + i, "answeredAt": answered, "locale": "fi",
                "followUp": {"drivers": ["ease"], "text": f"Lomake oli sekava, kohta {i}"}} for i in range(3)]
    assert live.gql(FREE_TEXT, {"input": {"ratings": ratings}}, live.token)["submitRatings"]["accepted"] == 3

    index = open_page(browser, live, "/dashboard/?lang=fi", width, bypass_csp=True)
    row = index.locator(f'tr[data-service-id="{PARKING.id}"] td').first
    assert row.get_attribute("data-organisations") == "1000001-2"
    assert row.inner_text() == "Esimerkkilän kaupunki"
    assert "Tasoitettu keskiarvo" in index.inner_text("dl.terms") and "Kutistettu" not in index.inner_text("thead")
    check_view(index, f"index-{width}")
    service = open_page(browser, live, f"/dashboard/services/{PARKING.id}?lang=sv", width, bypass_csp=True)
    assert "Utjämnat medelvärde" in service.inner_text("#peers-panel dl.terms")
    check_view(service, f"service-{width}")
    if width == 1280:  # turned to a phone's width after loading: the charts are drawn again, text stays readable
        service.set_viewport_size({"width": 390, "height": 900})
        service.wait_for_function("document.querySelector('#trend svg').viewBox.baseVal.width < 400", timeout=15_000)
        check_view(service, "service-resized")

    organisation = open_page(browser, live, "/dashboard/organisation?lang=en", width, bypass_csp=True)
    assert "arvio token issue --role ORGANISATION" in organisation.inner_text("#token-help")
    check_view(organisation, f"sign-in-{width}")
    organisation.fill("#token", live.token)
    organisation.keyboard.press("Enter")
    organisation.wait_for_selector("#analytics .panel")
    organisation.wait_for_selector('body[data-ready="true"]')
    organisation.select_option("#service", PARKING.id)
    organisation.wait_for_selector('body[data-ready="true"]')
    for days in (90, 365):
        organisation.select_option("#window", str(days))
        organisation.wait_for_selector('body[data-ready="true"]')
        truth = live.gql(LAYOUT_TRUTH, {"id": PARKING.id, "days": days}, live.token)
        shown = marks(organisation, "#alerts-panel li.alert", "service-id", "direction")
        assert shown == [[a["serviceId"], a["direction"]] for a in truth["alerts"]], days
        assert f"{days} days" in organisation.inner_text("#alerts-title")
        kpis = truth["service"]["kpis"]
        assert kpis["transactionsCompleted"] > 0
        assert organisation.get_attribute('[data-kpi="transactionsCompleted"] .kpi-value', "data-value") == str(
            kpis["transactionsCompleted"])
    assert ["535f0477-116b-5e19-ba1d-8f265a02cecc", "RISE"] in shown  # the demo's mid-year rise, seen over a year
    texts = organisation.locator("#free-texts-panel .free-text blockquote").all_inner_texts()
    assert texts == [f"Lomake oli sekava, kohta {i}" for i in range(3)]
    check_view(organisation, f"organisation-{width}")


FEEDBACK_TRUTH = """query($filter: FeedbackFilter) { feedbackInbox(filter: $filter, first: 20) {
  items { id status handler notes { text } } } }"""


def test_the_feedback_inbox_page_filters_and_handles_items(browser: Any, live: Live) -> None:
    page = open_page(browser, live, "/dashboard/organisation?lang=en")
    page.keyboard.type(live.token)
    page.keyboard.press("Enter")
    page.wait_for_selector("#feedback-link")
    page.click("#feedback-link")
    page.wait_for_selector('body[data-ready="true"]')
    assert page.inner_text("h1") == "Feedback"
    page.select_option("#filter-band", "LOW")
    page.wait_for_selector('body[data-ready="true"]')
    truth = live.gql(FEEDBACK_TRUTH, {"filter": {"band": "LOW"}}, live.token)["feedbackInbox"]["items"]
    shown = page.eval_on_selector_all(".feedback-item", "els => els.map(e => e.dataset.feedbackId)")
    assert shown == [i["id"] for i in truth] and shown
    first = shown[0]
    item = page.locator(f'[data-feedback-id="{first}"]')

    def reloaded(action: Any) -> None:  # each change reloads the page of the inbox; wait for that reading
        with page.expect_response(lambda r: r.url.endswith("/graphql") and "Inbox" in (r.request.post_data or "")):
            action()
        page.wait_for_selector('body[data-ready="true"]')

    reloaded(lambda: page.select_option(f"#status-{first}", "IN_PROGRESS"))
    page.fill(f"#handler-{first}", "Maija V")
    reloaded(lambda: item.locator("form").nth(0).get_by_role("button").click())
    page.fill(f"#note-{first}", "Soitetaan asiakkaalle")
    reloaded(lambda: item.locator("form").nth(1).get_by_role("button").click())
    assert item.locator(".notes").inner_text() == "Soitetaan asiakkaalle"
    page.fill(f"#reply-{first}", "Thank you, we added staff at peak hours.")
    reloaded(lambda: item.locator("form").nth(2).get_by_role("button").click())
    assert page.inner_text("#status") == "Published"
    low = live.gql(FEEDBACK_TRUTH, {"filter": {"band": "LOW"}}, live.token)["feedbackInbox"]["items"]
    after = {i["id"]: i for i in low}
    assert (after[first]["status"], after[first]["handler"], after[first]["notes"]) == (
        "ANSWERED", "Maija V", [{"text": "Soitetaan asiakkaalle"}])
    reloaded(lambda: page.fill("#filter-from", "2100-01-01"))  # a period with no answers yet
    assert page.locator(".feedback-item").count() == 0
    shot(page, "dashboard-feedback.png")
    assert live.problems == []
    assert all(r.url.startswith(live.base) for r in live.requests)


CITED = """mutation($input: RecordServiceEventInput!) { recordServiceEvent(input: $input) { id } }"""


def test_the_public_log_shows_each_cited_drivers_before_and_after(browser: Any, live: Live) -> None:
    live.gql(CITED, {"input": {"serviceId": PARKING.id, "occurredOn": "2026-01-10", "public": True,
                               "description": {"fi": "Ohjeet selkeytettiin", "en": "Instructions were clarified"},
                               "drivers": ["ease", "transparency"]}}, live.token)
    truth = live.gql("""query($id: ID!) { publicServiceAnalytics(serviceId: $id) { events {
        description(locale: EN) driverImpacts { driver difference } } } }""", {"id": PARKING.id})
    [cited] = [e for e in truth["publicServiceAnalytics"]["events"] if e["driverImpacts"]]
    page = open_page(browser, live, f"/dashboard/services/{PARKING.id}?lang=en")
    shown = marks(page, "#events-panel .driver-impact", "driver", "difference")
    assert [(d, as_number(v)) for d, v in shown] == [(d["driver"], d["difference"]) for d in cited["driverImpacts"]]
    text = page.inner_text("#events-panel")
    assert "Share of improvement answers citing Ease" in text
    assert "Share of improvement answers citing Clarity and transparency" in text
    assert live.problems == []


def test_the_dashboard_in_northern_sami_marks_its_finnish_texts(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"/dashboard/services/{PARKING.id}?lang=se")
    assert page.evaluate("document.documentElement.lang") == "se"
    chosen = page.get_by_role("button", name="Davvisámegiella")  # the one Sámi text the catalog has
    assert (chosen.get_attribute("aria-pressed"), chosen.get_attribute("lang")) == ("true", "se")
    title = page.locator("#trend-panel-title")
    assert (title.inner_text(), title.get_attribute("lang")) == ("Kehitys", "fi")
    heading = page.locator("h1")  # the service's name: catalogue data, in Finnish for se
    assert (heading.inner_text(), heading.get_attribute("lang")) == ("Asukaspysäköintitunnus", "fi")
    assert page.locator("a.skip").get_attribute("lang") == "fi"
    unmarked: list[str] = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && /\\p{L}{3,}/u.test(n.textContent)))
        .filter((e) => e.closest('[lang]') === document.documentElement).map((e) => e.textContent.trim())""")
    assert unmarked == []  # every text with words in it is either Sámi or marked as the Finnish it fell back to
    page.get_by_role("button", name="Svenska").click()
    page.wait_for_selector('body[data-ready="true"]')
    assert page.inner_text("#trend-panel-title") == "Utveckling"
    assert page.locator("#trend-panel-title").get_attribute("lang") is None
    assert page.locator('main [lang="fi"]').count() == 0  # no mark left over from Sámi
    assert live.problems == []
