""""Was this page useful?" in real headless Chromium: the snippet ``/widget/arvio-page.js`` on an organisation's page
served from another origin (another port of 127.0.0.1) under a strict Content-Security-Policy, arvio under uvicorn.

A "no" with its "what was missing" text in Finnish; a "yes" in Swedish; Northern Sámi, whose texts fall back to
Finnish marked lang="fi"; a page that was never registered shows the failure and stores nothing. Screenshots go
to ``artifacts/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from federation.db import Database, utcnow
from federation.pages.models import PageAnswer
from federation.settings import Settings
from schema.wiring import build_app
from tests.browser import ARTIFACTS, launch_chromium
from tests.conftest import ORG_A, SERVICE_A, Api
from tests.live import serve

pytestmark = pytest.mark.browser

PATH = "/ohjeet/asuminen"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def arvio(api: Api, app_settings: Settings) -> Iterator[str]:
    with serve(build_app(app_settings, database=api.database, run_migrations=False)) as base:
        yield base


@contextlib.contextmanager
def site(arvio: str, lang: str) -> Iterator[str]:
    """The organisation's site on another origin: ``PATH`` holds the snippet, sent with a strict CSP."""
    csp = (f"default-src 'none'; script-src {arvio}; style-src {arvio}; connect-src {arvio}; base-uri 'none'; "
           "form-action 'none'")
    body = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Asuminen</title></head><body>'
            "<main><h1>Asumisen tuet</h1><p>Ohjeet asumisen tukien hakemiseen.</p>"
            f'<script src="{arvio}/widget/arvio-page.js" data-organisation="{ORG_A}" async></script>'
            "</main></body></html>").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path.split("?")[0] in (PATH, "/rekisteroimaton")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(body if found else b"")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def register(api: Api, url: str) -> None:
    body = api.gql("mutation($p: [PageInput!]!) { registerPages(pages: $p) { id } }",
                   {"p": [{"url": url, "serviceId": SERVICE_A, "title": "Asumisen tuet"}]}, token="org_a")
    assert "errors" not in body, body


def answers(database: Database) -> list[PageAnswer]:
    with database.transaction(write=False) as session:
        return list(session.scalars(select(PageAnswer)))


def open_page(browser: Any, url: str, problems: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 900, "height": 700})
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    return page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_no_with_what_was_missing_from_another_origin(browser: Any, api: Api, arvio: str) -> None:
    problems: list[str] = []
    with site(arvio, "fi") as origin:
        register(api, origin + PATH)
        page = open_page(browser, f"{origin}{PATH}?utm_source=uutiskirje#hakeminen", problems)
        page.get_by_text("Oliko tästä sivusta hyötyä?").wait_for()
        shot(page, "page-question-fi.png")
        page.get_by_role("button", name="Ei").click()
        area = page.get_by_label("Mitä sivulta puuttui?")
        area.wait_for()
        assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
        area.fill("Hakemuksen liitteet puuttuivat. Soittakaa 040 1234567.")
        shot(page, "page-follow-up-fi.png")
        page.get_by_role("button", name="Lähetä").click()
        page.get_by_text("Kiitos palautteestasi!").wait_for()
        shot(page, "page-thanks-fi.png")
        assert page.context.cookies() == []
    [stored] = answers(api.database)
    assert (stored.useful, stored.locale, stored.organisation_id) == (False, "fi", ORG_A)
    assert stored.free_text is not None and b"liitteet" not in stored.free_text
    api.clock.now = utcnow() + dt.timedelta(minutes=1)
    texts = api.gql("{ pageTexts(lastDays: 1) { text url } }", token="org_a")["data"]["pageTexts"]
    assert texts == [{"text": texts[0]["text"], "url": origin + PATH}]
    assert texts[0]["text"].startswith("Hakemuksen liitteet puuttuivat.") and "1234567" not in texts[0]["text"]
    assert problems == []


def test_yes_in_swedish_is_one_click(browser: Any, api: Api, arvio: str) -> None:
    problems: list[str] = []
    with site(arvio, "sv") as origin:
        register(api, origin + PATH)
        page = open_page(browser, origin + PATH, problems)
        page.get_by_role("button", name="Ja").click()
        page.get_by_text("Tack för din respons!").wait_for()
    [stored] = answers(api.database)
    assert (stored.useful, stored.locale, stored.free_text) == (True, "sv", None)
    assert problems == []


def test_an_unregistered_page_stores_nothing(browser: Any, api: Api, arvio: str) -> None:
    problems: list[str] = []
    with site(arvio, "en") as origin:
        register(api, origin + PATH)
        page = open_page(browser, origin + "/rekisteroimaton", problems)
        page.get_by_role("button", name="Yes").click()
        assert page.get_by_role("alert").inner_text() == ("The answer could not be sent. Please try again in a "
                                                          "moment.")
    assert answers(api.database) == []
    assert any("404" in problem for problem in problems)


def test_a_locale_without_translations_reads_finnish_marked_as_finnish(browser: Any, api: Api, arvio: str) -> None:
    problems: list[str] = []
    with site(arvio, "se") as origin:
        register(api, origin + PATH)
        page = open_page(browser, origin + PATH, problems)
        question = page.get_by_text("Oliko tästä sivusta hyötyä?")
        question.wait_for()
        box = page.locator("section.arvio-page")
        assert (box.get_attribute("lang"), question.get_attribute("lang")) == ("se", "fi")
        privacy = box.get_by_role("link", name="Tietosuoja")
        assert privacy.get_attribute("lang") == "fi" and privacy.get_attribute("href").endswith("/privacy?locale=se")
        page.get_by_role("button", name="Ei").click()
        area = page.get_by_label("Mitä sivulta puuttui?")
        area.wait_for()
        assert page.locator("label.arvio-label").get_attribute("lang") == "fi"
        page.get_by_role("button", name="Lähetä").click()  # empty: the reminder, in Finnish
        reminder = page.locator("p.arvio-status")
        reminder.filter(has_text="Kirjoita ensin").wait_for(state="attached")
        assert reminder.get_attribute("lang") == "fi"
        area.fill("Pohjoissaamenkielinen ohje puuttui.")
        page.get_by_role("button", name="Lähetä").click()
        thanks = page.get_by_text("Kiitos palautteestasi!")
        thanks.wait_for()
        assert thanks.get_attribute("lang") == "fi"
        shot(page, "page-thanks-se.png")
    [stored] = answers(api.database)
    assert (stored.useful, stored.locale) == (False, "se")
    assert problems == []
