"""The widget's static files (``schema/http/static/``) and the demo page ``/widget/demo``.

The demo page plays an e-service's final page: one ``<script>`` tag and nothing inline, served with a strict
Content-Security-Policy, so it shows that the widget works under one. Outside production it mints a real rating
ticket (creating the organisation's ticket key if it has none), so the whole flow can be tried; in production
it shows the widget without a ticket (answers are then handed to the page as DOM events, not stored).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import string
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from federation.battery.drawing import reporting_organisation
from federation.errors import DomainError
from federation.i18n import catalogs
from federation.i18n.markers import N_
from federation.ratings.ticket_keys import current_ticket_key, rotate_ticket_key
from federation.ratings.tickets import mint_ticket
from federation.registry.kinds import ChannelType
from federation.registry.models import Channel, Service, ServiceChannel, ServiceOrganisation
from federation.registry.service import normalise_guid
from schema.http.state import App

STATIC = Path(__file__).parent / "static"
FILES = {"arvio-widget.js": "text/javascript; charset=utf-8", "arvio-widget.css": "text/css; charset=utf-8",
         "demo.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml",
         "arvio-page.js": "text/javascript; charset=utf-8"}
DEMO_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_PAGE_TEXT = {"title": N_("Transaction complete"),
              "body": N_("Your application has been sent. You will receive the decision as a message."),
              "intro": N_("This is a demo page of arvio's feedback widget for the service"),
              "language": N_("Language"), "embed": N_("Embed it like this:")}
"""The demo page's texts (msgids of federation/i18n/locales/), each with its own ``lang`` when it fell back."""


@functools.lru_cache(maxsize=8)
def static_file(name: str) -> tuple[bytes, str]:
    """A static file's bytes and its ETag (read once per process)."""
    content = (STATIC / name).read_bytes()
    return content, '"' + hashlib.sha256(content).hexdigest()[:16] + '"'


def routes(state: App) -> list[Route]:
    """The static files and the demo page."""
    return [*(Route(f"/widget/{name}", functools.partial(serve_static, name), methods=["GET"]) for name in FILES),
            Route("/widget/demo", functools.partial(demo_page, state), methods=["GET"])]


async def serve_static(name: str, request: Request) -> Response:
    """One static file, cacheable for five minutes and revalidated by ETag."""
    content, etag = static_file(name)
    headers = {"Cache-Control": "public, max-age=300", "ETag": etag, "X-Content-Type-Options": "nosniff",
               "Access-Control-Allow-Origin": "*", "Cross-Origin-Resource-Policy": "cross-origin"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=FILES[name], headers=headers)


@dataclass(frozen=True)
class DemoSetup:
    """What the demo page shows: a service, its channel, names and (outside production) a ticket."""

    service_id: str
    channel_id: str | None
    service_name: str
    ticket: str | None


async def demo_page(state: App, request: Request) -> Response:
    """``GET /widget/demo?service=…&channel=…&locale=fi``: an e-service final page with the widget."""
    params = request.query_params
    locale = params.get("locale", "fi") if catalogs.is_locale(params.get("locale", "fi")) else "fi"
    try:
        setup = await run_in_threadpool(_demo_setup, state, params.get("service"), params.get("channel"), locale)
    except DomainError as error:
        return HTMLResponse(f"<!doctype html><title>arvio</title><p>{html.escape(error.message)}</p>", 400,
                            headers={"Content-Security-Policy": DEMO_CSP})
    if setup is None:
        return HTMLResponse("<!doctype html><title>arvio</title><p>No service is registered yet: run "
                            "<code>arvio serve --demo</code>.</p>", 404, headers={"Content-Security-Policy": DEMO_CSP})
    return HTMLResponse(render_demo(setup, locale), headers={
        "Content-Security-Policy": DEMO_CSP, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer"})


def render_demo(setup: DemoSetup, locale: str) -> str:
    """The demo page's HTML (every value escaped)."""
    texts = {name: catalogs.lookup(locale, msgid) for name, msgid in _PAGE_TEXT.items()}
    query = f"service={setup.service_id}" + (f"&channel={setup.channel_id}" if setup.channel_id else "")
    current = ' aria-current="page"'
    links = " · ".join(
        f'<a href="/widget/demo?{html.escape(query)}&amp;locale={code}" lang="{code}" hreflang="{code}"'
        f'{current if code == locale else ""}>{name}</a>'
        for code in catalogs.available_locales() for name in (html.escape(catalogs.language_name(code)),))
    attributes = f'data-service="{setup.service_id}"' + (f' data-channel="{setup.channel_id}"'
                                                          if setup.channel_id else "")
    ticket = f' data-ticket="{html.escape(setup.ticket)}"' if setup.ticket else ""
    template = string.Template((STATIC / "demo.html").read_text(encoding="utf-8"))
    return template.substitute(
        lang=locale, title=html.escape(texts["title"].text), body=html.escape(texts["body"].text),
        intro=html.escape(f"{texts['intro'].text} {setup.service_name}."), language=html.escape(
            texts["language"].text), links=links, embed=html.escape(texts["embed"].text), locale=locale,
        attributes=attributes, ticket=ticket, **{f"{name}_lang": text.lang for name, text in texts.items()},
        snippet=html.escape(f'<script src="https://ARVIO-HOST/widget/arvio-widget.js" {attributes} '
                            f'data-locale="{locale}" data-ticket="TICKET-FROM-YOUR-BACK-END" async></script>'))


def _demo_setup(state: App, service: str | None, channel: str | None, locale: str) -> DemoSetup | None:
    session = state.database.session(write=True)
    try:
        sid = normalise_guid(service, "Service") if service else session.scalar(
            select(ServiceOrganisation.service_id).order_by(ServiceOrganisation.service_id).limit(1))
        row = session.get(Service, sid) if sid else None
        if row is None:
            return None
        cid = normalise_guid(channel, "Channel") if channel else session.scalar(
            select(Channel.id).join(ServiceChannel, ServiceChannel.channel_id == Channel.id)
            .where(ServiceChannel.service_id == row.id, Channel.channel_type == ChannelType.ECHANNEL)
            .order_by(Channel.id).limit(1))
        ticket = _demo_ticket(state, session, row.id, cid)
        session.commit()
    finally:
        session.close()
    name = {"sv": row.name_sv, "en": row.name_en}.get(locale) or row.name_fi
    return DemoSetup(row.id, cid, name, ticket)


def _demo_ticket(state: App, session: Session, service_id: str, channel_id: str | None) -> str | None:
    kit = state.services.citizen
    organisation = reporting_organisation(session, service_id)
    if state.settings.environment == "production" or kit is None or organisation is None:
        return None
    now: dt.datetime = state.clock()
    key = current_ticket_key(session, organisation, kit.ring, now=now) or rotate_ticket_key(
        session, organisation, kit.ring, now=now)
    return mint_ticket(key, service_id=service_id, channel_id=channel_id, now=now)
