"""``GET /privacy``: the record of processing (GDPR Art. 13 and 30), as HTML for browsers and JSON otherwise; the
widget's "i" links to it. The same record is ``recordOfProcessing`` in GraphQL.

The page accepts every locale with a gettext catalog (federation/i18n/). Its own chrome (the language links and
their label, the note on the record's language, the date line, the accessibility statement's link) comes from the
catalogs, a text the locale lacks shown in Finnish with ``lang="fi"`` on its element; the record itself is data in
fi, sv and en (federation/privacy/record_of_processing.json), so a locale without it reads the Finnish record in a
``<main lang="fi">``. The HTML page has landmarks (banner with the language links, main, contentinfo with the
statement's link) and the receipt page's style sheet.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from federation.errors import PrivacyCode
from federation.i18n import catalogs
from federation.i18n.catalogs import Text
from federation.i18n.markers import N_, NP_
from federation.privacy import record
from federation.settings import Settings
from schema.http.accessibility import text as statement_text

LANGUAGES = N_("Language")
"""The language links' label (shared with the receipt page)."""
UPDATED = NP_("privacy page", "Last updated {updated}")
"""The date line under the record."""
IN_FINNISH = NP_("privacy page", "This record is not available in your language; it is shown in Finnish.")
"""The note above a record shown in Finnish for a locale the record data lacks."""


async def privacy_endpoint(settings: Settings, request: Request) -> Response:
    """GET /privacy[?locale=<code>]: the record as HTML for browsers, JSON otherwise; 400 for a locale without a
    catalog. JSON's ``locale`` is the language of the record (``fi`` for a locale the record data lacks)."""
    lang = request.query_params.get("locale", catalogs.FALLBACK)[:10].lower()
    if not catalogs.is_locale(lang):
        return JSONResponse({"error": {"code": PrivacyCode.UNSUPPORTED_LOCALE, "message": "locale must be one of "
                                       f"{', '.join(catalogs.available_locales())}, e.g. /privacy?locale=sv."}},
                            status_code=PrivacyCode.UNSUPPORTED_LOCALE.status)
    rec = record.record_of_processing(record_locale(lang), retention_days=settings.retention_days,
                                      publication_threshold=settings.publication_threshold)
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(render_html(rec, lang))
    return JSONResponse({"locale": rec.locale, "title": rec.title, "summary": rec.summary, "updated": rec.updated,
                         "sections": [{"id": s.id, "heading": s.heading, "items": list(s.items)}
                                      for s in rec.sections]})


def record_locale(lang: str) -> str:
    """The language the record is shown in for the page's ``lang``: itself if the record data has it, else Finnish."""
    return lang if lang in record.LOCALES else catalogs.FALLBACK


def _attr(found: Text, lang: str) -> str:
    return f' lang="{found.lang}"' if found.lang != lang else ""


def _chrome(lang: str) -> tuple[str, str]:
    """The banner (the language links) and the contentinfo (the statement's link) of the page in ``lang``."""
    e, current = html.escape, ' aria-current="true"'
    label, statement = catalogs.lookup(lang, LANGUAGES), statement_text(lang, "title")
    links = "".join(f'<li><a href="?locale={code}" hreflang="{code}" lang="{code}"'
                    f'{current if code == lang else ""}>{e(catalogs.language_name(code))}</a></li>'
                    for code in catalogs.available_locales())
    return (f'<header><nav aria-label="{e(label.text)}"{_attr(label, lang)}><ul>{links}</ul></nav></header>',
            f'<footer><p><a href="/accessibility?locale={lang}"{_attr(statement, lang)}>{e(statement.text)}</a></p>'
            "</footer>")


def render_html(rec: record.RecordOfProcessing, lang: str | None = None) -> str:
    """A self-contained, escaped HTML page of the record, its chrome in ``lang`` (default: the record's language)."""
    e, lang = html.escape, lang or rec.locale
    header, footer = _chrome(lang)
    marked = f' lang="{rec.locale}"' if rec.locale != lang else ""
    note = catalogs.lookup(lang, IN_FINNISH[1], IN_FINNISH[0])
    updated = catalogs.lookup(lang, UPDATED[1], UPDATED[0])
    body = "".join(f'<section id="{e(s.id)}"><h2>{e(s.heading)}</h2><ul>'
                   + "".join(f"<li>{e(item)}</li>" for item in s.items) + "</ul></section>" for s in rec.sections)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title{marked}>{e(rec.title)}</title>'
            '<link rel="stylesheet" href="/r/receipt.css">'
            f'<link rel="icon" href="/widget/favicon.svg" type="image/svg+xml"></head><body>{header}<main{marked}>'
            + (f'<p id="record-language" lang="{note.lang}">{e(note.text)}</p>' if marked else "")
            + f"<h1>{e(rec.title)}</h1><p>{e(rec.summary)}</p>{body}"
            f"<p><small{_attr(updated, rec.locale)}>{e(updated.text.format(updated=rec.updated))}</small></p></main>"
            f"{footer}</body></html>")
