"""``GET /accessibility?locale=<code>``: the accessibility statement that the Act on the Provision of Digital
Services (306/2019) asks of public web services, for the widget, the dashboard, the privacy notice and the receipt
pages.

Server-rendered HTML with landmarks, under the dashboard's strict Content-Security-Policy and with the receipt
page's style sheet. The compliance status, the non-accessible content and the list of checks come from the
committed results of the automated checks (schema/http/accessibility_checks.py), which the browser tests keep
equal to what they find; the feedback contact is ``ARVIO_ACCESSIBILITY_CONTACT`` (federation/settings.py). The
texts are msgids (context ``accessibility statement``) of the gettext catalogs (federation/i18n/): the page is in
every locale with a catalog, and a text the locale lacks is shown in Finnish with ``lang="fi"`` on its element.
``{…}`` fields are filled in with ``str.format`` after translation.
"""

from __future__ import annotations

import datetime as dt
import functools
import html

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from federation.errors import PrivacyCode
from federation.i18n import catalogs
from federation.i18n.catalogs import Text
from federation.i18n.markers import NP_
from federation.settings import Settings
from schema.http.accessibility_checks import AXE_TAGS, CHECKS, NOT_RUN, Check, Results, committed_results
from schema.http.dashboard import CONTENT_SECURITY_POLICY

HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}

PREPARED = dt.date(2026, 12, 7)
"""When the statement was first prepared."""
MANUAL_EVALUATION: dt.date | None = None
"""When an expert last evaluated the criteria no automated check covers; None: not yet (the status stays
"partially compliant" however the checks come out)."""
ENFORCEMENT_URL = "https://www.saavutettavuusvaatimukset.fi/"
"""The supervising authority's accessibility site (fi and sv; where a shortcoming is reported)."""

TEXTS: dict[str, tuple[str, str]] = {
    "title": NP_("accessibility statement", "Accessibility statement"),
    "languages": NP_("accessibility statement", "Language"),
    "intro": NP_("accessibility statement", "This statement concerns the arvio service. The service is subject to "
                                            "the Act on the Provision of Digital Services (306/2019), which requires "
                                            "public web services to meet the level A and AA requirements of WCAG "
                                            "2.1."),
    "scope.heading": NP_("accessibility statement", "What this statement covers"),
    "scope.widget": NP_("accessibility statement", "the feedback widget that organisations embed in their "
                                                   "e-services' pages (the surrounding page belongs to the "
                                                   "organisation that embeds it)"),
    "scope.dashboard": NP_("accessibility statement", "the analytics dashboard (/dashboard/): services' public pages "
                                                      "and organisations' pages"),
    "scope.pages": NP_("accessibility statement", "the privacy notice (/privacy), the feedback reply pages (/r/…) "
                                                  "and this statement"),
    "status.heading": NP_("accessibility statement", "Compliance status"),
    "status.full": NP_("accessibility statement", "The service is fully compliant with the level A and AA "
                                                  "requirements of WCAG 2.1."),
    "status.partial": NP_("accessibility statement", "The service is partially compliant with the level A and AA "
                                                     "requirements of WCAG 2.1."),
    "status.failures": NP_("accessibility statement", "The automated checks found shortcomings (listed below)."),
    "status.unassessed": NP_("accessibility statement", "Not every requirement can be checked automatically, and an "
                                                        "expert has not yet evaluated those (see “What is not "
                                                        "checked automatically”)."),
    "known.heading": NP_("accessibility statement", "Non-accessible content"),
    "known.none": NP_("accessibility statement", "The automated checks found no non-accessible content."),
    "assessed.heading": NP_("accessibility statement", "How accessibility was assessed"),
    "assessed.intro": NP_("accessibility statement", "Each check below runs in the service's automated tests in the "
                                                     "Chromium browser. The results were produced on {updated}."),
    "assessed.axe": NP_("accessibility statement", "axe-core {version}, rules tagged {tags}"),
    "assessed.keyboard": NP_("accessibility statement", "Keyboard use: the page's tasks are done with the keyboard "
                                                        "alone; in this statement every link is reached with the Tab "
                                                        "key and the focus is visible"),
    "tool.axe": NP_("accessibility statement", "axe-core"),
    "tool.keyboard": NP_("accessibility statement", "keyboard"),
    "result.pass": NP_("accessibility statement", "no failures"),
    "result.not-run": NP_("accessibility statement", "not run yet"),
    "result.fail": NP_("accessibility statement", "found: {findings}"),
    "check": NP_("accessibility statement", "{view} ({path}), {width} px, {tool}: {result}"),
    "view.widget": NP_("accessibility statement", "Feedback widget"),
    "view.widget-notice": NP_("accessibility statement", "Feedback widget's receipt with the privacy notice open"),
    "view.dashboard-index": NP_("accessibility statement", "Dashboard start page"),
    "view.dashboard-service": NP_("accessibility statement", "Service's public page"),
    "view.dashboard-sign-in": NP_("accessibility statement", "Organisation sign-in"),
    "view.dashboard-organisation": NP_("accessibility statement", "Organisation's page"),
    "view.privacy": NP_("accessibility statement", "Privacy notice"),
    "view.receipt": NP_("accessibility statement", "Reply page"),
    "view.statement": NP_("accessibility statement", "Accessibility statement"),
    "manual.heading": NP_("accessibility statement", "What is not checked automatically"),
    "manual.readers": NP_("accessibility statement", "use with screen readers (e.g. NVDA, VoiceOver) and voice "
                                                     "control"),
    "manual.zoom": NP_("accessibility statement", "text enlarged to 200 % and changed text spacing"),
    "manual.content": NP_("accessibility statement", "how understandable the content is: clear headings, links and "
                                                     "instructions"),
    "manual.host": NP_("accessibility statement", "the organisation's own page in which the widget is embedded"),
    "dates.heading": NP_("accessibility statement", "About this statement"),
    "dates.prepared": NP_("accessibility statement", "This statement was prepared on {prepared}."),
    "dates.updated": NP_("accessibility statement", "The check results were last updated on {updated}."),
    "feedback.heading": NP_("accessibility statement", "Feedback"),
    "feedback.text": NP_("accessibility statement", "Did you notice a shortcoming? Tell us and we will fix it or "
                                                    "give you the content in an accessible form. We answer within 14 "
                                                    "days."),
    "feedback.contact": NP_("accessibility statement", "Contact:"),
    "enforcement.heading": NP_("accessibility statement", "Enforcement procedure"),
    "enforcement.text": NP_("accessibility statement", "If you get no answer within 14 days or you are not satisfied "
                                                       "with the answer, you can notify the supervising authority. "
                                                       "Accessibility is supervised by the Finnish Permit and "
                                                       "Supervision Agency (Lupa- ja valvontavirasto; until 2025 the "
                                                       "Regional State Administrative Agency for Southern Finland)."),
    "enforcement.link": NP_("accessibility statement", "Saavutettavuusvaatimukset.fi: report a shortcoming"),
    "privacy": NP_("accessibility statement", "Privacy"),
}
"""Every text of the statement, by key: ``(msgctxt, msgid)`` of the catalogs."""


def compliance(results: Results, manual_evaluation: dt.date | None) -> str:
    """``full`` only when no check found anything and an expert has evaluated the rest; ``partial`` otherwise."""
    return "full" if not results.failed and manual_evaluation is not None else "partial"


def text(lang: str, key: str, **fields: object) -> Text:
    """The text ``key`` in ``lang`` (falling back to Finnish), its ``{…}`` fields filled in."""
    context, msgid = TEXTS[key]
    found = catalogs.lookup(lang, msgid, context)
    return Text(found.text.format(**fields), found.lang) if fields else found


def _attr(found: Text, lang: str) -> str:
    """`` lang="fi"`` when ``found`` fell back from the page's language ``lang``; else nothing."""
    return f' lang="{found.lang}"' if found.lang != lang else ""


def _el(tag: str, found: Text, lang: str, attrs: str = "") -> str:
    return f"<{tag}{attrs}{_attr(found, lang)}>{html.escape(found.text)}</{tag}>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(items) + "</ul>"


def _section(key: str, lang: str, body: str) -> str:
    heading = _el("h2", text(lang, key + ".heading"), lang, f' id="{key}"')
    return f'<section aria-labelledby="{key}">{heading}{body}</section>'


def _check_line(check: Check, results: Results, lang: str) -> str:
    found = results.findings.get(check.id, ())
    outcome = "not-run" if NOT_RUN in found else "fail" if found else "pass"
    result = text(lang, "result.fail", findings=", ".join(found)) if outcome == "fail" else text(
        lang, f"result.{outcome}")
    parts = (text(lang, f"view.{check.view}"), text(lang, f"tool.{check.tool}"), result)
    line = text(lang, "check", view=parts[0].text, path=check.path, width=check.width, tool=parts[1].text,
                result=parts[2].text)
    fell_back = next((p.lang for p in (line, *parts) if p.lang != lang), lang)
    return (f'<span data-check="{html.escape(check.id)}" data-outcome="{outcome}" '
            f'data-findings="{html.escape(" ".join(found))}"{_attr(Text(line.text, fell_back), lang)}>'
            f"{html.escape(line.text)}</span>")


def _status(results: Results, lang: str) -> str:
    status = compliance(results, MANUAL_EVALUATION)
    reasons = ([text(lang, "status.failures")] if results.failed else []) + (
        [text(lang, "status.unassessed")] if MANUAL_EVALUATION is None else [])
    known = [f"<li>{_check_line(c, results, lang)}</li>" for c in results.failed] or [
        _el("li", text(lang, "known.none"), lang)]
    verdict = _el("p", text(lang, "status." + status), lang, f' id="compliance" data-status="{status}"')
    return (_section("status", lang, verdict + (_list([_el("li", r, lang) for r in reasons]) if reasons else ""))
            + _section("known", lang, _list(known)))


def _assessment(results: Results, lang: str) -> str:
    tools = [text(lang, "assessed.axe", version=results.axe_version, tags=", ".join(AXE_TAGS)),
             text(lang, "assessed.keyboard")]
    manual = [text(lang, f"manual.{key}") for key in ("readers", "zoom", "content", "host")]
    checks = '<ul class="checks">' + "".join(f"<li>{_check_line(c, results, lang)}</li>" for c in CHECKS) + "</ul>"
    return (_section("assessed", lang, _el("p", text(lang, "assessed.intro", updated=results.updated.isoformat()),
                                           lang) + _list([_el("li", t, lang) for t in tools]) + checks)
            + _section("manual", lang, _list([_el("li", t, lang) for t in manual])))


def _contact(settings: Settings, lang: str) -> str:
    e, contact, label = html.escape, settings.accessibility_contact, text(lang, "feedback.contact")
    href = contact if contact.startswith("https://") else f"mailto:{contact}"
    return (_el("p", text(lang, "feedback.text"), lang) + f"<p><span{_attr(label, lang)}>{e(label.text)}</span> "
            f'<a id="contact" href="{e(href)}">{e(contact)}</a></p>')


def _languages(lang: str) -> str:
    current, label = ' aria-current="true"', text(lang, "languages")
    links = "".join(f'<li><a href="?locale={code}" hreflang="{code}" lang="{code}"'
                    f'{current if code == lang else ""}>{html.escape(catalogs.language_name(code))}</a></li>'
                    for code in catalogs.available_locales())
    return f'<nav aria-label="{html.escape(label.text)}"{_attr(label, lang)}><ul>{links}</ul></nav>'


def render(lang: str, contact_settings: Settings) -> str:
    """The statement in ``lang``, a locale with a catalog (every value escaped)."""
    results, title = committed_results(), text(lang, "title")
    scope = [_el("li", text(lang, f"scope.{key}"), lang) for key in ("widget", "dashboard", "pages")]
    dates = [_el("li", text(lang, "dates.prepared", prepared=PREPARED.isoformat()), lang),
             _el("li", text(lang, "dates.updated", updated=results.updated.isoformat()), lang)]
    enforcement = (_el("p", text(lang, "enforcement.text"), lang)
                   + "<p>" + _el("a", text(lang, "enforcement.link"), lang, f' href="{ENFORCEMENT_URL}"') + "</p>")
    privacy = _el("a", text(lang, "privacy"), lang, f' href="/privacy?locale={lang}"')
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">' + _el("title", title, lang) +
            '<link rel="stylesheet" href="/r/receipt.css">'
            '<link rel="icon" href="/widget/favicon.svg" type="image/svg+xml"></head><body>'
            f"<header>{_languages(lang)}</header><main>" + _el("h1", title, lang) + _el("p", text(lang, "intro"), lang)
            + _section("scope", lang, _list(scope)) + _status(results, lang) + _assessment(results, lang)
            + _section("dates", lang, _list(dates)) + _section("feedback", lang, _contact(contact_settings, lang))
            + _section("enforcement", lang, enforcement)
            + f"</main><footer><p>{privacy}</p></footer></body></html>")


async def statement_page(settings: Settings, request: Request) -> Response:
    """GET /accessibility[?locale=<code>]: the statement as HTML in a locale with a catalog; 400 for another."""
    lang = request.query_params.get("locale", catalogs.FALLBACK)[:10].lower()
    if not catalogs.is_locale(lang):
        return JSONResponse({"error": {"code": PrivacyCode.UNSUPPORTED_LOCALE, "message": "locale must be one of "
                                       f"{', '.join(catalogs.available_locales())}, e.g. /accessibility?locale=sv."}},
                            status_code=PrivacyCode.UNSUPPORTED_LOCALE.status)
    return Response(render(lang, settings), media_type="text/html; charset=utf-8", headers=HEADERS)


def accessibility_routes(settings: Settings) -> list[Route]:
    """The statement's route, to be mounted in the app."""
    return [Route("/accessibility", functools.partial(statement_page, settings), methods=["GET"])]
