"""``GET /privacy``: the record of processing (GDPR Art. 13 and 30) in fi, sv or en, as HTML for browsers and JSON
otherwise; the widget's "i" links to it. The same record is ``recordOfProcessing`` in GraphQL. The HTML page has
landmarks (banner with the language links, main, contentinfo with the accessibility statement's link) and the
receipt page's style sheet."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from federation.errors import PrivacyCode
from federation.privacy import record
from federation.settings import Settings
from schema.http.accessibility import text as statement_text


async def privacy_endpoint(settings: Settings, request: Request) -> Response:
    """GET /privacy[?locale=fi|sv|en]: the record of processing as HTML for browsers, JSON otherwise."""
    raw = request.query_params.get("locale", "fi").lower()
    if raw not in record.LOCALES:
        return JSONResponse({"error": {"code": PrivacyCode.UNSUPPORTED_LOCALE, "message": f"locale must be one of "
                                       f"{', '.join(record.LOCALES)}, e.g. /privacy?locale=sv."}},
                            status_code=PrivacyCode.UNSUPPORTED_LOCALE.status)
    rec = record.record_of_processing(raw, retention_days=settings.retention_days,
                                      publication_threshold=settings.publication_threshold)
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(render_html(rec))
    return JSONResponse({"locale": rec.locale, "title": rec.title, "summary": rec.summary, "updated": rec.updated,
                         "sections": [{"id": s.id, "heading": s.heading, "items": list(s.items)}
                                      for s in rec.sections]})


def render_html(rec: record.RecordOfProcessing) -> str:
    """A self-contained, escaped HTML page of the record."""
    e = html.escape
    current = ' aria-current="true"'
    languages, statement = statement_text(rec.locale, "languages").text, statement_text(rec.locale, "title").text
    links = "".join(f'<li><a href="?locale={code}" hreflang="{code}" lang="{code}"'
                    f'{current if code == rec.locale else ""}>{code}</a></li>' for code in record.LOCALES)
    body = "".join(f'<section id="{e(s.id)}"><h2>{e(s.heading)}</h2><ul>'
                   + "".join(f"<li>{e(item)}</li>" for item in s.items) + "</ul></section>" for s in rec.sections)
    return (f'<!doctype html><html lang="{rec.locale}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(rec.title)}</title>'
            '<link rel="stylesheet" href="/r/receipt.css">'
            '<link rel="icon" href="/widget/favicon.svg" type="image/svg+xml"></head><body>'
            f'<header><nav aria-label="{e(languages)}"><ul>{links}</ul></nav></header>'
            f"<main><h1>{e(rec.title)}</h1><p>{e(rec.summary)}</p>{body}"
            f"<p><small>{e(rec.updated)}</small></p></main>"
            f'<footer><p><a href="/accessibility?locale={rec.locale}">{e(statement)}</a></p></footer>'
            "</body></html>")
