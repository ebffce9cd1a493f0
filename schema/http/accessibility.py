"""``GET /accessibility?locale=fi|sv|en``: the accessibility statement that the Act on the Provision of Digital
Services (306/2019) asks of public web services, for the widget, the dashboard, the privacy notice and the receipt
pages.

Server-rendered HTML with landmarks, under the dashboard's strict Content-Security-Policy and with the receipt
page's style sheet. The compliance status, the non-accessible content and the list of checks come from the
committed results of the automated checks (schema/http/accessibility_checks.py), which the browser tests keep
equal to what they find; the texts are in schema/http/accessibility_texts.py; the feedback contact is
``ARVIO_ACCESSIBILITY_CONTACT`` (federation/settings.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import html

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from federation.errors import PrivacyCode
from federation.settings import Settings
from schema.http.accessibility_checks import AXE_TAGS, CHECKS, NOT_RUN, Check, Results, committed_results
from schema.http.accessibility_texts import ENFORCEMENT_URL, LANGUAGES, TEXTS
from schema.http.dashboard import CONTENT_SECURITY_POLICY

HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}

PREPARED = dt.date(2026, 12, 7)
"""When the statement was first prepared."""
MANUAL_EVALUATION: dt.date | None = None
"""When an expert last evaluated the criteria no automated check covers; None: not yet (the status stays
"partially compliant" however the checks come out)."""


def compliance(results: Results, manual_evaluation: dt.date | None) -> str:
    """``full`` only when no check found anything and an expert has evaluated the rest; ``partial`` otherwise."""
    return "full" if not results.failed and manual_evaluation is not None else "partial"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _section(key: str, t: dict[str, str], body: str) -> str:
    return f'<section aria-labelledby="{key}"><h2 id="{key}">{html.escape(t[key + ".heading"])}</h2>{body}</section>'


def _check_line(check: Check, results: Results, t: dict[str, str]) -> str:
    found = results.findings.get(check.id, ())
    outcome = "not-run" if NOT_RUN in found else "fail" if found else "pass"
    result = t["result.fail"].format(findings=", ".join(found)) if outcome == "fail" else t[f"result.{outcome}"]
    text = t["check"].format(view=t[f"view.{check.view}"], path=check.path, width=check.width,
                             tool=t[f"tool.{check.tool}"], result=result)
    return (f'<span data-check="{html.escape(check.id)}" data-outcome="{outcome}" '
            f'data-findings="{html.escape(" ".join(found))}">{html.escape(text)}</span>')


def _status(results: Results, t: dict[str, str]) -> str:
    e = html.escape
    status = compliance(results, MANUAL_EVALUATION)
    reasons = ([e(t["status.failures"])] if results.failed else []) + (
        [e(t["status.unassessed"])] if MANUAL_EVALUATION is None else [])
    known = [_check_line(c, results, t) for c in results.failed] or [e(t["known.none"])]
    return (_section("status", t, f'<p id="compliance" data-status="{status}">{e(t["status." + status])}</p>'
                     + (_list(reasons) if reasons else ""))
            + _section("known", t, _list(known)))


def _assessment(results: Results, t: dict[str, str]) -> str:
    e = html.escape
    tools = [e(t["assessed.axe"].format(version=results.axe_version, tags=", ".join(AXE_TAGS))),
             e(t["assessed.keyboard"])]
    manual = [e(t[f"manual.{key}"]) for key in ("readers", "zoom", "content", "host")]
    return (_section("assessed", t, f'<p>{e(t["assessed.intro"].format(updated=results.updated.isoformat()))}</p>'
                     + _list(tools) + '<ul class="checks">' + "".join(
                         f"<li>{_check_line(c, results, t)}</li>" for c in CHECKS) + "</ul>")
            + _section("manual", t, _list(manual)))


def _contact(settings: Settings, t: dict[str, str]) -> str:
    e, contact = html.escape, settings.accessibility_contact
    href = contact if contact.startswith("https://") else f"mailto:{contact}"
    return (f'<p>{e(t["feedback.text"])}</p><p>{e(t["feedback.contact"])} '
            f'<a id="contact" href="{e(href)}">{e(contact)}</a></p>')


def render(lang: str, contact_settings: Settings) -> str:
    """The statement in ``lang`` (every value escaped)."""
    t, e, results = TEXTS[lang], html.escape, committed_results()
    current = ' aria-current="true"'
    links = "".join(f'<li><a href="?locale={code}" hreflang="{code}" lang="{code}"'
                    f'{current if code == lang else ""}>{TEXTS[code]["name"]}</a></li>' for code in LANGUAGES)
    scope = [e(t[f"scope.{key}"]) for key in ("widget", "dashboard", "pages")]
    dates = [e(t["dates.prepared"].format(prepared=PREPARED.isoformat())),
             e(t["dates.updated"].format(updated=results.updated.isoformat()))]
    enforcement = (f'<p>{e(t["enforcement.text"])}</p>'
                   f'<p><a href="{ENFORCEMENT_URL}">{e(t["enforcement.link"])}</a></p>')
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(t["title"])}</title>'
            '<link rel="stylesheet" href="/r/receipt.css">'
            '<link rel="icon" href="/widget/favicon.svg" type="image/svg+xml"></head><body>'
            f'<header><nav aria-label="{e(t["languages"])}"><ul>{links}</ul></nav></header>'
            f'<main><h1>{e(t["title"])}</h1><p>{e(t["intro"])}</p>'
            + _section("scope", t, _list(scope)) + _status(results, t) + _assessment(results, t)
            + _section("dates", t, _list(dates)) + _section("feedback", t, _contact(contact_settings, t))
            + _section("enforcement", t, enforcement)
            + f'</main><footer><p><a href="/privacy?locale={lang}">{e(t["privacy"])}</a></p></footer></body></html>')


async def statement_page(settings: Settings, request: Request) -> Response:
    """GET /accessibility[?locale=fi|sv|en]: the statement as HTML; 400 for another locale."""
    lang = request.query_params.get("locale", "fi")[:10].lower()
    if lang not in LANGUAGES:
        return JSONResponse({"error": {"code": PrivacyCode.UNSUPPORTED_LOCALE, "message": "locale must be one of "
                                       f"{', '.join(LANGUAGES)}, e.g. /accessibility?locale=sv."}},
                            status_code=PrivacyCode.UNSUPPORTED_LOCALE.status)
    return Response(render(lang, settings), media_type="text/html; charset=utf-8", headers=HEADERS)


def accessibility_routes(settings: Settings) -> list[Route]:
    """The statement's route, to be mounted in the app."""
    return [Route("/accessibility", functools.partial(statement_page, settings), methods=["GET"])]
