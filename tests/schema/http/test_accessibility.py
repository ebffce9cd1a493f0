"""``/accessibility``: the statement's content in fi/sv/en and in Northern Sámi (Finnish fallbacks marked), its
headers and refusals, the feedback contact setting, the committed results file it shows, and the links to it from
the privacy notice, the widget and the dashboard."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from federation.i18n import catalogs
from federation.settings import Settings, SettingsError
from schema.http.accessibility import ENFORCEMENT_URL, TEXTS, compliance, text
from schema.http.accessibility_checks import BY_ID, CHECKS, NOT_RUN, RESULTS, committed_results, parse_results
from schema.wiring import build_app
from tests import accessibility
from tests.accessibility import AXE_DIR, axe_version
from tests.conftest import Api

SECTIONS = ("scope", "status", "known", "assessed", "manual", "dates", "feedback", "enforcement")
LANGUAGES = ("fi", "sv", "en")
"""The languages the statement is complete in."""


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_statement_in_each_language(api: Api, locale: str) -> None:
    page = api.client.get("/accessibility", params={"locale": locale})
    t = {key: text(locale, key).text for key in TEXTS}
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'<html lang="{locale}">' in page.text and f"<h1>{t['title']}</h1>" in page.text
    marked = re.findall(r'<(\w+)[^>]* lang="fi"', page.text)  # the page itself in Finnish, its Finnish link
    assert marked == (["html", "a"] if locale == "fi" else ["a"])  # nothing fell back
    for section in SECTIONS:
        assert f'<h2 id="{section}">{t[section + ".heading"]}</h2>' in page.text
    for landmark in ("<header>", "<nav ", "<main>", "<footer>"):
        assert landmark in page.text
    assert '<a id="contact" href="mailto:saavutettavuus@arvio.example">' in page.text
    assert f'href="{ENFORCEMENT_URL}"' in page.text and f'href="/privacy?locale={locale}"' in page.text
    results = committed_results()
    assert text(locale, "dates.updated", updated=results.updated.isoformat()).text in page.text
    assert f"axe-core {results.axe_version}" in page.text and "wcag21aa" in page.text
    assert page.text.count("data-check=") == len(CHECKS) + len(results.failed)  # failures are listed twice
    policy = page.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'") and "script-src 'self'" in policy
    assert "http" not in re.sub(r'href="https://www\.saavutettavuusvaatimukset\.fi/"', "", page.text)


def test_a_locale_without_translations_shows_finnish_marked_as_finnish(api: Api) -> None:
    page = api.client.get("/accessibility", params={"locale": "se"})
    assert page.status_code == 200 and '<html lang="se">' in page.text
    title = text("fi", "title").text
    assert f'<title lang="fi">{title}</title>' in page.text and f'<h1 lang="fi">{title}</h1>' in page.text
    for section in SECTIONS:
        assert f'<h2 id="{section}" lang="fi">{text("fi", section + ".heading").text}</h2>' in page.text
    assert '<nav aria-label="Kieli" lang="fi">' in page.text
    assert f'lang="se" aria-current="true">{catalogs.language_name("se")}</a>' in page.text
    assert '<span lang="fi">Yhteystieto:</span>' in page.text and 'href="/privacy?locale=se" lang="fi"' in page.text
    assert page.text.count("data-check=") == page.text.count('data-findings="') and all(
        f'data-check="{c.id}"' in page.text for c in CHECKS)
    assert "<li>" not in page.text.replace("<li><a ", "").replace("<li><span data-check", "")  # each item marked


def test_the_default_language_is_finnish_and_others_are_refused(api: Api) -> None:
    assert '<html lang="fi">' in api.client.get("/accessibility").text
    for asked in ("de", "x" * 5000, "FI-fi", "<script>"):
        refused = api.client.get("/accessibility", params={"locale": asked})
        assert refused.status_code == 400
        error = refused.json()["error"]
        assert error["code"] == "UNSUPPORTED_LOCALE" and "/accessibility?locale=sv" in error["message"]
        assert f"one of {', '.join(catalogs.available_locales())}," in error["message"]
        assert asked[:20] not in error["message"]
    assert api.client.get("/accessibility", params={"locale": "SV"}).status_code == 200


@pytest.mark.parametrize(("contact", "href"), [("palaute@kunta.example.fi", "mailto:palaute@kunta.example.fi"),
                                               ("https://kunta.example.fi/palaute?aihe=saavutettavuus&k=1",
                                                "https://kunta.example.fi/palaute?aihe=saavutettavuus&amp;k=1")])
def test_the_feedback_contact_is_configurable(api: Api, app_settings: Settings, contact: str, href: str) -> None:
    settings = dataclasses.replace(app_settings, accessibility_contact=contact)
    with TestClient(build_app(settings, database=api.database, run_migrations=False, clock=api.clock)) as client:
        page = client.get("/accessibility?locale=en").text
    assert f'<a id="contact" href="{href}">' in page
    assert Settings.from_env({"ARVIO_ACCESSIBILITY_CONTACT": contact}).accessibility_contact == contact


@pytest.mark.parametrize("contact", ["", "nobody", "a@b", "javascript:alert(1)", "http://kunta.example.fi",
                                     "a b@kunta.fi", "x" * 300 + "@kunta.fi", '"a"@kunta.fi', "a@kunta.fi\n",
                                     "https://kunta.fi/<script>", "Kunta <a@kunta.fi>"])
def test_a_contact_that_is_not_one_address_or_https_url_is_refused(contact: str) -> None:
    with pytest.raises(SettingsError, match="ARVIO_ACCESSIBILITY_CONTACT"):
        Settings(accessibility_contact=contact)


def test_the_committed_results_hold_every_check_and_the_installed_axe() -> None:
    raw = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert set(raw["checks"]) == set(BY_ID), "regenerate: ARVIO_A11Y_REGENERATE=1 (README.md, Accessibility)"
    results = committed_results()
    assert [c.id for c in CHECKS if NOT_RUN in results.findings[c.id]] == []
    assert results.updated <= dt.date.today()
    if (AXE_DIR / "package.json").exists():
        assert results.axe_version == axe_version()
    assert {c.tool for c in CHECKS} == {"axe", "keyboard"} and {c.width for c in CHECKS if c.tool == "axe"} == {
        390, 1280}


def test_results_files_are_read_strictly_and_missing_checks_are_not_claimed() -> None:
    partial = parse_results({"updated": "2026-12-07", "axe": "4.11.0", "checks": {"privacy-fi-390": ["region"],
                                                                                   "gone-check": []}})
    assert partial.findings["privacy-fi-390"] == ("region",) and "gone-check" not in partial.findings
    assert partial.findings["statement-en-1280"] == (NOT_RUN,)
    assert len(partial.failed) == len(CHECKS)  # a check not run is not claimed to pass
    for broken in ({"updated": "2026-12-07", "axe": "latest", "checks": {}},
                   {"updated": "yesterday", "axe": "4.11.0", "checks": {}},
                   {"updated": "2026-12-07", "axe": "4.11.0", "checks": {"widget-390": "region"}},
                   {"updated": "2026-12-07", "axe": "4.11.0", "checks": []}):
        with pytest.raises(ValueError):
            parse_results(broken)


def test_the_status_is_full_only_without_failures_and_with_an_expert_evaluation() -> None:
    clean = parse_results({"updated": "2026-12-07", "axe": "4.11.0", "checks": {c.id: [] for c in CHECKS}})
    failing = dataclasses.replace(clean, findings=clean.findings | {"widget-390": ("heading-order",)})
    assert compliance(clean, None) == "partial"
    assert compliance(clean, dt.date(2026, 12, 1)) == "full"
    assert compliance(failing, dt.date(2026, 12, 1)) == "partial"


def test_every_language_has_every_text_and_every_view_a_name() -> None:
    for lang in LANGUAGES:
        assert all(catalogs.lookup(lang, msgid, context).lang == lang for context, msgid in TEXTS.values())
    assert {f"view.{c.view}" for c in CHECKS} <= set(TEXTS) and {f"tool.{c.tool}" for c in CHECKS} <= set(TEXTS)


def test_the_privacy_notice_widget_and_dashboard_link_the_statement(api: Api) -> None:
    for locale in LANGUAGES:
        privacy = api.client.get("/privacy", params={"locale": locale}, headers={"Accept": "text/html"}).text
        assert f'<a href="/accessibility?locale={locale}">{text(locale, "title").text}</a>' in privacy
        for landmark in ("<header>", "<nav ", "<main>", "<footer>"):
            assert landmark in privacy
        notice = api.client.get("/widget/notice", params={"locale": locale}).json()
        link = {"label": text(locale, "title").text, "url": f"/accessibility?locale={locale}"}
        assert notice["accessibility"] == link
    dashboard = api.client.get("/dashboard/").text
    assert '<footer class="foot">' in dashboard
    assert 'id="accessibility-link" href="/accessibility?locale=fi"' in dashboard


def test_a_differing_finding_fails_naming_the_regeneration_and_regenerating_writes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not (AXE_DIR / "package.json").exists():
        pytest.skip("axe-core is not installed: run (cd .ci/node && npm ci)")
    copy = tmp_path / RESULTS.name
    copy.write_text(RESULTS.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(accessibility, "RESULTS", copy)
    monkeypatch.delenv(accessibility.REGENERATE, raising=False)
    accessibility.record("widget-390", list(committed_results().findings["widget-390"]))
    with pytest.raises(AssertionError, match=r"ARVIO_A11Y_REGENERATE=1 \.venv/bin/pytest"):
        accessibility.record("widget-390", ["region", "heading-order", "region"])
    monkeypatch.setenv(accessibility.REGENERATE, "1")
    accessibility.record("widget-390", ["region", "heading-order", "region"])
    written = parse_results(json.loads(copy.read_text(encoding="utf-8")))
    assert written.findings["widget-390"] == ("heading-order", "region")
    assert (written.updated, written.axe_version) == (dt.date.today(), axe_version())
    assert {k: v for k, v in written.findings.items() if k != "widget-390"} == {
        k: v for k, v in committed_results().findings.items() if k != "widget-390"}
    with pytest.raises(AssertionError, match="not in CHECKS"):
        accessibility.record("no-such-check", [])
