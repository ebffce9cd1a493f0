"""The analytics dashboard's HTTP face: three views of one page, and their assets (schema/http/static/dashboard/).

- ``/dashboard/`` — every service with a link to its public page, and the organisation sign-in;
- ``/dashboard/services/{id}`` — a service's public page (published figures only, no token);
- ``/dashboard/organisation`` — an organisation's page: it asks for the token, keeps it in ``sessionStorage`` and
  sends it as a bearer header to ``/graphql`` (no cookie, so no CSRF surface);
- ``/dashboard/organisation/feedback`` — the organisation's feedback inbox (same token): filters, status, handler,
  internal notes and public replies (GraphQL ``feedbackInbox`` and the feedback mutations).

The pages are static HTML; the figures come from the public GraphQL API, drawn as inline SVG by the dashboard's
own small scripts. Everything is served by arvio itself under a strict Content-Security-Policy (no inline script
or style, no other origin), so the pages make no external network calls.
"""

from __future__ import annotations

import functools
from pathlib import Path

import orjson
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from federation.i18n import catalogs

STATIC = Path(__file__).parent / "static" / "dashboard"
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
PAGE = "page.html"
"""The one page every dashboard view is: the same landmarks and head, and the view's own script (``{script}``)."""


@functools.cache
def asset(name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a dashboard file, or None when there is no such file (names are plain:
    no directories, so nothing outside ``STATIC`` can be reached)."""
    path = STATIC / name
    media_type = MEDIA_TYPES.get(path.suffix) if name != PAGE else None
    if "/" in name or "\\" in name or name.startswith(".") or media_type is None or not path.is_file():
        return None
    return path.read_bytes(), media_type


@functools.cache
def page(script: str, lang: str = catalogs.FALLBACK) -> bytes:
    """The page of the view whose script is ``script``.js, with the locale list and the catalog of ``lang`` in a
    JSON data block (not executed, so the Content-Security-Policy allows it): the first render fetches nothing."""
    locales = [{"code": code, "name": catalogs.language_name(code)} for code in catalogs.available_locales()]
    data = orjson.dumps({"index": {"locales": locales, "fallback": catalogs.FALLBACK},
                         "catalog": orjson.loads(catalogs.as_json(lang)[0])}).decode().replace("<", "\\u003c")
    return (STATIC / PAGE).read_text(encoding="utf-8").replace("{script}", script).replace("{i18n}", data).encode()


def _page(script: str, request: Request) -> Response:
    asked = request.query_params.get("lang", "")
    lang = asked if catalogs.is_locale(asked) else catalogs.FALLBACK
    return Response(page(script, lang), media_type=MEDIA_TYPES[".html"], headers=HEADERS)


def _serve(name: str) -> Response:
    found = asset(name)
    if found is None:
        return Response("Not found", status_code=404, media_type="text/plain", headers=HEADERS)
    body, media_type = found
    return Response(body, media_type=media_type, headers=HEADERS)


async def index_page(request: Request) -> Response:
    """The dashboard's start page."""
    return _page("index", request)


async def service_page(request: Request) -> Response:
    """A service's public page (the script reads the service id from the path)."""
    return _page("service", request)


async def organisation_page(request: Request) -> Response:
    """The organisation's page (token sign-in)."""
    return _page("organisation", request)


async def feedback_page(request: Request) -> Response:
    """The organisation's feedback inbox (uses the token the organisation page keeps)."""
    return _page("feedback", request)


async def static_file(request: Request) -> Response:
    """A script, style sheet or icon of the dashboard."""
    return _serve(str(request.path_params["name"]))


async def to_index(request: Request) -> Response:
    """``/dashboard`` → ``/dashboard/``."""
    return RedirectResponse("/dashboard/", status_code=308)


def dashboard_routes() -> list[Route]:
    """The dashboard's routes, to be mounted in the app."""
    return [
        Route("/dashboard", to_index, methods=["GET"]),
        Route("/dashboard/", index_page, methods=["GET"]),
        Route("/dashboard/organisation", organisation_page, methods=["GET"]),
        Route("/dashboard/organisation/feedback", feedback_page, methods=["GET"]),
        Route("/dashboard/services/{service_id}", service_page, methods=["GET"]),
        Route("/dashboard/static/{name}", static_file, methods=["GET"]),
    ]
