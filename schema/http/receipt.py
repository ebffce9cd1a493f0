"""``GET /r/<code>``: the citizen's receipt page, where the organisation's public reply to their feedback (or to a
group their feedback belongs to) appears, with the service change it links (federation/feedback/receipts.py).

The page is in any locale with a gettext catalog (``?lang=`` or ``Accept-Language``; federation/i18n/), texts
a locale lacks shown in Finnish with ``lang="fi"`` on their element; self-contained HTML with landmarks (banner,
navigation, main, contentinfo), its one style sheet served here, under the dashboard's strict
Content-Security-Policy. It shows nothing about the answer but the service and the month.
Lookups are limited per client address
(``ARVIO_RECEIPT_LOOKUPS_PER_MINUTE``: 429 beyond); an unknown code is a 404 page, looked up the same way as a known
one (a malformed code is hashed and looked up too), so the answer time tells nothing worth noting.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from federation.battery.followups import DRIVER_LABELS
from federation.feedback.language import theme_matcher
from federation.feedback.receipts import PublicReply, ReceiptView, ThemeReading, receipt_view
from federation.feedback.themes import label_of
from federation.i18n import catalogs
from federation.i18n.catalogs import Text
from schema.http.dashboard import CONTENT_SECURITY_POLICY
from schema.http.limits import RateLimiter, limiter_for
from schema.http.receipt_texts import TEXTS
from schema.http.state import App

STYLE = Path(__file__).parent / "static" / "receipt.css"
HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def language_of(request: Request) -> str:
    """``?lang=`` if it has a catalog; else the first such language in ``Accept-Language`` by weight; else fi."""
    asked = request.query_params.get("lang", "")[:5].lower()
    if catalogs.is_locale(asked):
        return asked
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(request.headers.get("accept-language", "")[:500].split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, index, tag.strip().lower().split("-")[0]))
    return next((tag for weight, _, tag in sorted(ranked) if catalogs.is_locale(tag) and weight < 0), "fi")


def _text(key: str, lang: str) -> Text:
    return catalogs.lookup(lang, TEXTS[key])


def _lang(text: Text, lang: str) -> str:
    """``lang="fi"`` (as an attribute) when ``text`` fell back from the page's language ``lang``."""
    return f' lang="{text.lang}"' if text.lang != lang else ""


def _reply(reply: PublicReply, lang: str) -> str:
    e = html.escape
    if reply.driver is not None:
        group, driver = _text("group", lang), catalogs.lookup(lang, DRIVER_LABELS[reply.driver])
        about = Text(group.text.format(count=reply.answer_count, driver=driver.text),
                     group.lang if group.lang != lang else driver.lang)
    elif reply.theme is not None:
        label = reply.theme_label or label_of(reply.theme, lang, {})
        group = _text("group", lang)
        about = Text(group.text.format(count=reply.answer_count, driver=label), group.lang)
    else:
        about = _text("own", lang)
    replied = _text("replied", lang)
    change = ""
    if reply.change is not None:
        text = {"sv": reply.change.description_sv, "en": reply.change.description_en}.get(lang)
        text = text or reply.change.description_fi
        heading = _text("change", lang)
        change = (f'<div class="change"><h3{_lang(heading, lang)}>{e(heading.text)}</h3><p>{e(text)}</p>'
                  f'<p class="meta">{e(reply.change.occurred_on.strftime("%Y-%m"))}</p></div>')
    return (f'<article class="reply" lang="{e(reply.language)}"><h2 lang="{about.lang}">{e(about.text)}</h2>'
            f'<p class="meta" lang="{replied.lang}">{e(replied.text)} {e(reply.month)}</p><p>{e(reply.text)}</p>'
            f"{change}</article>")


def _found(view: ReceiptView, lang: str) -> str:
    e = html.escape
    service = {"sv": view.service.name_sv, "en": view.service.name_en}.get(lang) or view.service.name_fi
    intro, none = _text("intro", lang), _text("none", lang)
    intro_html = f'<p{_lang(intro, lang)}>{e(intro.text.format(service=service, month=view.month))}</p>'
    replies = "".join(_reply(r, lang) for r in view.replies) or f'<p{_lang(none, lang)}>{e(none.text)}</p>'
    return intro_html + replies


def render(lang: str, content: str) -> str:
    """The page around ``content`` (already escaped HTML) in ``lang``."""
    e = html.escape
    title, languages, privacy = _text("title", lang), _text("languages", lang), _text("privacy", lang)
    current = ' aria-current="true"'
    links = "".join(f'<li><a href="?lang={code}" hreflang="{code}" lang="{code}"'
                    f'{current if code == lang else ""}>{e(catalogs.language_name(code))}</a></li>'
                    for code in catalogs.available_locales())
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title{_lang(title, lang)}>{e(title.text)}</title><link rel="stylesheet" href="/r/receipt.css">'
            '<link rel="icon" href="/widget/favicon.svg" type="image/svg+xml"></head><body>'
            f'<header><nav aria-label="{e(languages.text)}"{_lang(languages, lang)}><ul>{links}</ul></nav></header>'
            f'<main><h1{_lang(title, lang)}>{e(title.text)}</h1>{content}</main>'
            f'<footer><p><a href="/privacy?locale={lang}"{_lang(privacy, lang)}>'
            f'{e(privacy.text)}</a></p></footer></body></html>')


def _page(body: str, status: int, extra: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=HEADERS | (extra or {}))


async def receipt_page(state: App, limiter: RateLimiter, request: Request) -> Response:
    """GET /r/<code>: the replies that reach this receipt, 404 for no such code, 429 beyond the per-address limit."""
    lang = language_of(request)
    if not limiter.allow(f"receipt:ip:{request.client.host if request.client else '-'}"):
        limited = _text("limited", lang)
        content = f'<p{_lang(limited, lang)}>{html.escape(limited.text)}</p>'
        return _page(render(lang, content), 429, {"Retry-After": str(limiter.retry_after())})
    found = await run_in_threadpool(_read, state, str(request.path_params["code"]), lang)
    if found is None:
        unknown = _text("unknown", lang)
        return _page(render(lang, f'<p{_lang(unknown, lang)}>{html.escape(unknown.text)}</p>'), 404)
    return _page(render(lang, found), 200)


def _read(state: App, code: str, lang: str) -> str | None:
    """The page's content for ``code`` (rendered while the session is open), or None for no such code."""
    with state.database.transaction(write=False) as session:
        citizen = state.services.citizen
        reading = ThemeReading(citizen.ring, theme_matcher()) if citizen is not None else None
        view = receipt_view(session, code, reading)
        return _found(view, lang) if view is not None else None


async def receipt_style(request: Request) -> Response:
    """The receipt page's style sheet."""
    return Response(_style(), media_type="text/css; charset=utf-8", headers=HEADERS | {"Cache-Control": "no-cache"})


@functools.cache
def _style() -> bytes:
    return STYLE.read_bytes()


def receipt_routes(state: App) -> list[Route]:
    """The receipt page and its style sheet (the style first: a code is never 'receipt.css')."""
    limiter = limiter_for(state.settings.receipt_lookups_per_minute, state.database)  # shared by every host
    return [Route("/r/receipt.css", receipt_style, methods=["GET"]),
            Route("/r/{code}", functools.partial(receipt_page, state, limiter), methods=["GET"])]
