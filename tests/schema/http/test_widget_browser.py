"""The widget in real headless Chromium (Debian ``chromium``) against arvio served by uvicorn on 127.0.0.1.

Paths: draw → answer → follow-up → receipt with other users' rating; skip; keyboard only; a host page on
another origin under a strict Content-Security-Policy; Finnish, Swedish and English; Northern Sámi, whose
missing texts fall back to Finnish marked lang="fi". Screenshots go to
``artifacts/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.messages.pofile import read_po, write_po
from sqlalchemy import select

from federation.battery.management import define_own_question, set_weight
from federation.battery.national import NATIONAL_BATTERY, Wording
from federation.battery.scales import Scale
from federation.db import Database, utcnow
from federation.i18n import catalogs
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import RatingSubmission
from federation.ratings.ingest import submit_ratings
from federation.ratings.models import Rating
from federation.ratings.ticket_keys import rotate_ticket_key
from federation.ratings.tickets import mint_ticket
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.wiring import build_app
from tests.accessibility import record
from tests.browser import ARTIFACTS, launch_chromium
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, ORG_A, SERVICE_A, TEST_KEY, Api
from tests.live import serve

pytestmark = pytest.mark.browser

RING = KeyRing((TEST_KEY,))
HEADLINE = "national.transaction-smooth"
YES_NO_QUESTION = "org-a.found-what-needed"



@dataclass
class Live:
    """arvio served over real HTTP, and the database behind it."""

    base: str
    database: Database
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def live(api: Api, app_settings: Settings) -> Iterator[Live]:
    """The registry of ``api`` served by uvicorn with the real clock, ten published answers to the headline
    question, which is the only one drawn on the web channel."""
    _seed_published_answers(api.database)
    _pin(api.database, HEADLINE)
    with serve(build_app(app_settings, database=api.database, run_migrations=False)) as base:
        yield Live(base, api.database)


def _seed_published_answers(database: Database, question: str = HEADLINE,
                            values: tuple[int, ...] = (5, 4, 4, 5, 3, 4, 5, 4, 4, 5),
                            channel: str | None = None) -> None:
    now = utcnow()
    items = [RatingSubmission(client_ref=f"seed-{question}-{i}", service_id=SERVICE_A, question_id=question,
                              channel_id=channel, answered_at=now - dt.timedelta(hours=1), value=v)
             for i, v in enumerate(values)]
    with database.transaction() as session:
        result = submit_ratings(session, ORG_A, items, now=now, protector=PrivacyProtector(RING))
        assert {r.status.value for r in result.results} == {"ACCEPTED"}, result


def _pin(database: Database, question: str) -> None:
    """Make ``question`` the only question ORG_A draws on its non-voice channels (weights 0 for the others)."""
    with database.transaction() as session:
        for other in NATIONAL_BATTERY:
            if other.id != question:
                set_weight(session, ORG_A, other.id, 0.0, service_id=None, channel_id=None, now=utcnow(),
                           actor="test")


def open_page(browser: Any, live: Live, url: str) -> Any:
    page = browser.new_page(viewport={"width": 900, "height": 900})
    page.on("console", lambda m: live.problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: live.problems.append(str(e)))
    page.goto(url)
    page.wait_for_selector(".arvio-w legend")
    return page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def ratings(database: Database) -> list[Rating]:
    with database.transaction(write=False) as session:
        return list(session.scalars(select(Rating).where(Rating.client_ref.like("ticket:%"))))


def focused(page: Any) -> dict[str, Any]:
    """What has the keyboard focus, and how its focus ring looks."""
    result: dict[str, Any] = page.evaluate("""() => {
        const el = document.activeElement;
        const ring = getComputedStyle(el.closest('label.arvio-opt') || el);
        return {tag: el.tagName, type: el.type || null, text: (el.textContent || '').trim(),
                value: el.value || null, outline: ring.outlineStyle, width: parseFloat(ring.outlineWidth)};
    }""")
    return result


def contrast(page: Any, selector: str) -> float:
    """WCAG contrast ratio of an element's text colour against its (first opaque) background."""
    ratio: float = page.evaluate("""(selector) => {
        const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
        let el = document.querySelector(selector);
        const fg = rgb(getComputedStyle(el).color);
        let bg = null;
        for (let node = el; node && !bg; node = node.parentElement) {
            const c = rgb(getComputedStyle(node).backgroundColor);
            if (c.length < 4 || c[3] > 0) bg = c;
        }
        const [a, b] = [lum(fg), lum(bg || [255, 255, 255])].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }""", selector)
    return ratio


def test_answer_follow_up_and_receipt_in_finnish(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=fi")
    assert page.locator(".arvio-w").get_attribute("lang") == "fi"
    page.locator("label.arvio-opt").nth(3).click()  # four stars
    assert page.locator("label.arvio-opt.arvio-on").count() == 4
    shot(page, "widget-question-fi.png")
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Missä onnistuimme erityisesti?").wait_for()
    page.get_by_label("Helppous").check()
    page.get_by_label("Henkilökunta").check()
    page.get_by_label("Kerro halutessasi lisää").fill("Nopeaa ja selkeää, kiitos! maija@example.fi")
    shot(page, "widget-follow-up-fi.png")
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Kiitos palautteestasi!").wait_for()
    others = page.locator(".arvio-others")
    others.get_by_text("Muiden käyttäjien arvio").wait_for()
    # 10 seeded answers plus this one, to the question just answered, which the receipt names
    assert others.inner_text() == ("Muiden käyttäjien arvio: ★★★★☆ 4,3 / 5 (11 vastausta)\n"
                                   "Kysymys: Kuinka asiointisi sujui?")
    assert page.locator(".arvio-ref").inner_text().startswith("Viite: ")
    shot(page, "widget-receipt-fi.png")
    page.get_by_role("button", name="Mihin vastauksia käytetään?").click()
    page.get_by_text("Mihin vastauksiasi käytetään?").wait_for()
    assert page.get_by_role("button", name="Mihin vastauksia käytetään?").get_attribute("aria-expanded") == "true"
    shot(page, "widget-notice-fi.png")
    [stored] = ratings(live.database)
    assert (stored.value, stored.drivers, stored.locale, stored.channel_id) == (4, "ease,staff", "fi", CHANNEL_A)
    assert stored.free_text is not None and b"maija" not in stored.free_text
    assert live.problems == []


def test_skip_is_one_click_in_swedish(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=sv")
    assert page.locator(".arvio-w legend").inner_text() == "Hur gick ditt ärende?"
    page.get_by_role("button", name="Hoppa över").click()
    page.get_by_text("Du hoppade över frågan. Tack!").wait_for()
    page.locator(".arvio-others").get_by_text("Andra användares betyg").wait_for()
    shot(page, "widget-skipped-sv.png")
    [stored] = ratings(live.database)
    assert (stored.skipped, stored.value, stored.locale) == (True, None, "sv")
    assert live.problems == []


def test_keyboard_only_with_visible_focus_in_english(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=en")
    for _ in range(12):
        page.keyboard.press("Tab")
        if focused(page)["type"] == "radio":
            break
    state = focused(page)
    assert (state["type"], state["value"]) == ("radio", "1")
    assert state["outline"] != "none" and state["width"] >= 2
    page.keyboard.press("Enter")  # nothing chosen yet: the widget says so and keeps the focus on the scale
    assert page.get_by_role("alert").inner_text() == "Choose an answer first, or skip the question."
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert focused(page)["value"] == "3"
    page.keyboard.press("Enter")
    page.get_by_text("What could be better?").wait_for()
    assert focused(page) | {"outline": None, "width": None} == {
        "tag": "LEGEND", "type": None, "text": "What could be better?", "value": None, "outline": None,
        "width": None}
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # "Ease"
    for _ in range(6):
        page.keyboard.press("Tab")
    assert focused(page)["tag"] == "TEXTAREA"
    page.keyboard.type("The form could be shorter.")
    page.keyboard.press("Tab")
    send = focused(page)
    assert (send["tag"], send["text"]) == ("BUTTON", "Send")
    assert send["outline"] != "none" and send["width"] >= 2
    shot(page, "widget-keyboard-focus-en.png")
    page.keyboard.press("Enter")
    page.get_by_text("Thank you for your feedback!").wait_for()
    assert focused(page)["text"] == "Thank you for your feedback!"
    for selector in (".arvio-w .arvio-title", ".arvio-w .arvio-others", ".arvio-w .arvio-ref"):
        assert contrast(page, selector) >= 4.5, selector
    [stored] = ratings(live.database)
    assert (stored.value, stored.drivers, stored.locale) == (3, "ease", "en")
    assert live.problems == []
    record("keyboard-widget", [])  # answered, followed up and sent by keyboard with a visible focus above


@contextlib.contextmanager
def host_page(html: str, csp: str) -> Iterator[str]:
    """An e-service page on another origin (another port of 127.0.0.1) sent with ``csp``."""
    body = html.encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/e-service/done" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(body if self.path == "/e-service/done" else b"")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/e-service/done"
    finally:
        server.shutdown()
        server.server_close()


def test_embedded_on_another_origin_under_a_strict_csp(browser: Any, live: Live) -> None:
    with live.database.transaction() as session:
        key = rotate_ticket_key(session, ORG_A, RING, now=utcnow())
    ticket = mint_ticket(key, service_id=SERVICE_A, channel_id=CHANNEL_A)
    csp = (f"default-src 'none'; script-src {live.base}; style-src {live.base}; connect-src {live.base}; "
           f"img-src {live.base}; base-uri 'none'; form-action 'none'")
    html = (f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>E-tjänst</title>'
            f'<link rel="icon" href="{live.base}/widget/favicon.svg"></head><body>'
            f"<h1>Ansökan skickad</h1><script src=\"{live.base}/widget/arvio-widget.js\" "
            f'data-service="{SERVICE_A}" data-channel="{CHANNEL_A}" data-ticket="{ticket}" async></script>'
            "</body></html>")
    with host_page(html, csp) as url:
        page = open_page(browser, live, url)
        assert page.evaluate("getComputedStyle(document.querySelector('.arvio-w')).borderTopStyle") == "solid"
        page.locator("label.arvio-opt").nth(1).click()
        page.get_by_role("button", name="Skicka").click()
        page.get_by_text("Vad borde vi förbättra?").wait_for()
        assert page.get_by_label("Utgången i mitt ärende").is_visible()  # a noun after "what to improve"
        page.get_by_role("button", name="Hoppa över").click()
        page.get_by_text("Tack för din respons!").wait_for()
        page.locator(".arvio-others").get_by_text("Andra användares betyg").wait_for()
        shot(page, "widget-strict-csp-sv.png")
    [stored] = ratings(live.database)
    assert (stored.value, stored.drivers, stored.free_text) == (2, None, None)
    assert live.problems == []


REPLY_TO_ITEM = """mutation($input: PublishFeedbackReplyInput!) { publishFeedbackReply(input: $input) { id } }"""
LATEST_FEEDBACK = """{ feedbackInbox(first: 1, filter: {band: LOW}) { items { id text drivers } } }"""


def test_the_citizen_reads_the_organisations_reply_on_the_receipt_page(browser: Any, live: Live, api: Api) -> None:
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=fi")
    page.locator("label.arvio-opt").nth(0).click()  # one star
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Mitä meidän pitäisi parantaa?").wait_for()
    page.get_by_label("Nopeus").check()
    page.get_by_label("Kerro halutessasi lisää").fill("Jonotin puhelimessa tunnin.")
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Kiitos palautteestasi!").wait_for()
    link = page.locator(".arvio-ref a")
    href, code = link.get_attribute("href"), link.inner_text()
    assert href == f"{live.base}/r/{code}?lang=fi" and re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)

    def gql(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(f"{live.base}/graphql", json={"query": query, "variables": variables},
                              headers={"Authorization": f"Bearer {api.tokens['org_a']}"}, timeout=30)
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body["data"]

    [item] = gql(LATEST_FEEDBACK)["feedbackInbox"]["items"]
    assert (item["text"], item["drivers"]) == ("Jonotin puhelimessa tunnin.", ["efficiency"])
    gql(REPLY_TO_ITEM, {"input": {"feedbackId": item["id"], "language": "FI",
                                  "text": "Kiitos. Lisäsimme puhelinpalveluun kaksi henkilöä."}})
    receipt = browser.new_page()
    receipt.on("console", lambda m: live.problems.append(m.text) if m.type in ("error", "warning") else None)
    receipt.goto(str(href))
    receipt.get_by_role("heading", name="Vastaus palautteeseesi").wait_for()
    assert "Kiitos. Lisäsimme puhelinpalveluun kaksi henkilöä." in receipt.locator("main").inner_text()
    assert "Jonotin" not in receipt.content()
    assert receipt.get_by_role("main").count() == 1 and receipt.get_by_role("banner").count() == 1
    shot(receipt, "receipt-page-fi.png")
    assert live.problems == []


def test_an_nps_answer_is_shown_the_published_nps_of_its_question(browser: Any, live: Live) -> None:
    # promoters 5, passives 3, detractors 2 of 10; with the citizen's 10: 6 and 2 of 11, NPS +36
    _seed_published_answers(live.database, "national.nps", (10, 9, 9, 10, 9, 8, 7, 8, 3, 6), CHANNEL_PHONE)
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=fi&channel={CHANNEL_PHONE}")
    nps = NATIONAL_BATTERY[-1]
    assert page.locator(".arvio-w legend").inner_text() == nps.wording.fi
    page.locator("label.arvio-opt").nth(10).click()
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Missä onnistuimme erityisesti?").wait_for()
    page.get_by_role("button", name="Ohita").click()
    others = page.locator(".arvio-others")
    others.get_by_text("Muiden käyttäjien arvio").wait_for()
    assert others.inner_text() == ("Muiden käyttäjien arvio: NPS +36 – Erittäin hyvä (11 vastausta)\n"
                                   f"Kysymys: {nps.wording.fi}")
    assert page.locator(".arvio-others .arvio-glyphs").count() == 0
    shot(page, "widget-receipt-nps-fi.png")
    [stored] = ratings(live.database)
    assert (stored.question_id, stored.value) == ("national.nps", 10)
    assert live.problems == []


def test_a_yes_no_answer_is_shown_the_share_of_yes_of_its_question(browser: Any, live: Live) -> None:
    wording = Wording("Löysitkö etsimäsi tiedon?", "Hittade du den information du sökte?",
                      "Did you find the information you were looking for?")
    with live.database.transaction() as session:
        define_own_question(session, ORG_A, question_id=YES_NO_QUESTION, scale=Scale.YES_NO, wording=wording,
                            weight=1.0, now=utcnow(), actor="test")
        set_weight(session, ORG_A, HEADLINE, 0.0, service_id=None, channel_id=None, now=utcnow(), actor="test")
    _seed_published_answers(live.database, YES_NO_QUESTION, (1, 1, 1, 1, 1, 1, 1, 0, 0, 0), CHANNEL_A)
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=en")
    assert page.locator(".arvio-w legend").inner_text() == wording.en
    page.locator("label.arvio-opt").nth(1).click()  # value 1, "Yes"
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Where did we succeed especially?").wait_for()
    page.get_by_role("button", name="Skip").click()
    others = page.locator(".arvio-others")
    others.get_by_text("Other users' rating").wait_for()
    assert others.inner_text() == ("Other users' rating: 73 % answered yes (11 answers)\n"
                                   f"Question: {wording.en}")
    shot(page, "widget-receipt-yes-no-en.png")
    assert live.problems == []


@pytest.mark.parametrize(("width", "locale", "top"), [(390, "fi", "Erinomainen"), (1280, "fi", "Erinomainen"),
                                                      (390, "en", "Excellent"), (1280, "sv", "Utmärkt")])
def test_the_end_labels_sit_under_the_first_and_the_fifth_star(browser: Any, live: Live, width: int, locale: str,
                                                                top: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live.base}/widget/demo?locale={locale}")
    page.wait_for_selector(".arvio-w .arvio-cap")
    boxes: dict[str, Any] = page.evaluate("""() => {
        const box = (e) => { const b = e.getBoundingClientRect();
            return {left: b.left, right: b.right, top: b.top, bottom: b.bottom, text: e.textContent}; };
        return {stars: [...document.querySelectorAll('.arvio-w .arvio-stars .arvio-opt')].map(box),
                glyphs: [...document.querySelectorAll('.arvio-w .arvio-stars .arvio-glyph')].map(box),
                caps: [...document.querySelectorAll('.arvio-w .arvio-cap')].map(box),
                widget: box(document.querySelector('.arvio-w'))};
    }""")
    stars, glyphs, caps, widget = boxes["stars"], boxes["glyphs"], boxes["caps"], boxes["widget"]
    assert len(stars) == 5 and len({round(s["top"]) for s in stars}) == 1  # one row of five stars
    assert [c["text"] for c in caps] == [{"fi": "Huono", "sv": "Dålig", "en": "Poor"}[locale], top]
    for cap, star, glyph in ((caps[0], stars[0], glyphs[0]), (caps[1], stars[4], glyphs[4])):
        centre = (cap["left"] + cap["right"]) / 2
        assert abs(centre - (star["left"] + star["right"]) / 2) <= 1, (cap, star)
        assert cap["top"] >= glyph["bottom"] - 1, (cap, glyph)
        assert widget["left"] < cap["left"] and cap["right"] < widget["right"], (cap, widget)
    last = (caps[1]["left"] + caps[1]["right"]) / 2
    assert stars[3]["right"] < last < stars[4]["right"]
    shot(page, f"widget-stars-{locale}-{width}.png")
    page.close()


LANG_OF_TEXTS = """() => [...document.querySelectorAll('.arvio-w *')]
    .filter((e) => ![...e.children].some((c) => c.textContent.trim()) && /\\p{L}/u.test(e.textContent))
    .map((e) => [e.closest('[lang]').getAttribute('lang'), e.textContent.trim()])"""
"""The language (nearest lang attribute) of every element of the widget whose own text has letters."""


def test_northern_sami_shows_finnish_fallbacks_marked_lang_fi(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=se")
    assert page.locator("html").get_attribute("lang") == "se"
    current = page.locator('a[aria-current="page"]')  # the one Sámi text the catalog has: the language's name
    assert (current.inner_text(), current.get_attribute("lang")) == ("Davvisámegiella", "se")
    assert page.locator(".arvio-w").get_attribute("lang") == "se"
    legend = page.locator(".arvio-w legend")
    assert (legend.inner_text(), legend.get_attribute("lang")) == ("Kuinka asiointisi sujui?", "fi")
    assert page.get_by_role("region", name="Palaute palvelusta").count() == 1
    assert page.get_by_role("button", name="Lähetä").get_attribute("lang") == "fi"
    texts = page.evaluate(LANG_OF_TEXTS)
    assert ["fi", "2 / 5 tähteä"] in texts and {lang for lang, _ in texts} == {"fi"}, texts
    shot(page, "widget-question-se.png")
    page.locator("label.arvio-opt").nth(1).click()  # two stars
    page.get_by_role("button", name="Lähetä").click()
    page.get_by_text("Mitä meidän pitäisi parantaa?").wait_for()
    assert page.locator(".arvio-w legend").get_attribute("lang") == "fi"
    page.get_by_label("Nopeus").check()
    assert page.locator(".arvio-check span", has_text="Nopeus").get_attribute("lang") == "fi"
    page.get_by_role("button", name="Lähetä").click()
    page.locator(".arvio-others").get_by_text("Muiden käyttäjien arvio").wait_for()
    assert page.get_by_text("Kiitos palautteestasi!").get_attribute("lang") == "fi"
    page.get_by_role("button", name="Mihin vastauksia käytetään?").click()
    page.get_by_text("Mihin vastauksiasi käytetään?").wait_for()  # the transparency notice: fi/sv/en, here fi
    texts = page.evaluate(LANG_OF_TEXTS)
    assert [t for t in texts if t[0] != "fi"] == [], texts
    shot(page, "widget-receipt-se.png")
    [stored] = ratings(live.database)
    assert (stored.value, stored.drivers, stored.locale) == (2, "efficiency", "se")
    assert live.problems == []


def _sami_test_catalog(target: Path) -> None:
    """A copy of the catalogs whose se.po translates two widget texts. The values are test markers, not Sámi:
    the shipped se.po holds only translations known to be right."""
    shutil.copytree(catalogs.LOCALE_DIR, target)
    path = target / "se" / "LC_MESSAGES" / "arvio.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="se")
    catalog["Send"].string = "[se] Send"
    catalog["{count} answer"].string = ("[se] {count} one", "[se] {count} two", "[se] {count} other")
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_sami_translations_replace_the_fallbacks_where_the_catalog_has_them(
        browser: Any, live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _sami_test_catalog(tmp_path / "locales")
    monkeypatch.setattr(catalogs, "LOCALE_DIR", tmp_path / "locales")
    catalogs.clear_caches()
    try:
        page = open_page(browser, live, f"{live.base}/widget/demo?locale=se")
        send = page.get_by_role("button", name="[se] Send")
        assert send.get_attribute("lang") is None  # in the widget's own language, se
        assert page.get_by_role("button", name="Ohita").get_attribute("lang") == "fi"
        page.locator("label.arvio-opt").nth(4).click()
        send.click()
        page.get_by_text("Missä onnistuimme erityisesti?").wait_for()
        page.get_by_role("button", name="Ohita").click()
        others = page.locator(".arvio-others")
        others.get_by_text("Muiden käyttäjien arvio").wait_for()
        assert "([se] 11 other)" in others.inner_text()  # the Sámi plural form for 11, by CLDR's se rules
        assert re.search(r"[★☆] \d,\d / 5", others.inner_text())  # Finnish number format where Chromium has no se
        [stored] = ratings(live.database)
        assert (stored.value, stored.locale) == (5, "se")
        assert live.problems == []
    finally:
        monkeypatch.undo()
        catalogs.clear_caches()


def test_swedish_has_no_fallbacks_and_takes_a_rating(browser: Any, live: Live) -> None:
    page = open_page(browser, live, f"{live.base}/widget/demo?locale=sv")
    assert page.locator(".arvio-w").get_attribute("lang") == "sv"
    assert page.locator(".arvio-w [lang]").count() == 0  # nothing fell back
    page.locator("label.arvio-opt").nth(4).click()
    page.get_by_role("button", name="Skicka").click()
    page.get_by_text("Vad lyckades vi särskilt bra med?").wait_for()
    page.get_by_label("Personalen").check()
    page.get_by_role("button", name="Skicka").click()
    page.locator(".arvio-others").get_by_text("Andra användares betyg").wait_for()
    assert page.get_by_text("Tack för din respons!").is_visible()
    assert page.locator(".arvio-w [lang]").count() == 0
    [stored] = ratings(live.database)
    assert (stored.value, stored.drivers, stored.locale) == (5, "staff", "sv")
    assert live.problems == []
