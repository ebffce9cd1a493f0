"""GraphiQL for ``GET /graphql`` in development, served entirely by arvio (schema/http/static/graphiql/).

Strawberry's own GraphiQL page loads React and GraphiQL from a public CDN: blank without the network, and against
any Content-Security-Policy that names no other host. Ours loads the same libraries (unmodified npm files, listed
with their licences in the folder's README.md) from ``/static/graphiql/`` under a policy that allows this origin
only (fonts and icons come inside GraphiQL's style sheet as ``data:`` URLs). Outside development neither the page
nor its files are served.
"""

from __future__ import annotations

import functools
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from federation.settings import Settings

STATIC = Path(__file__).parent / "static" / "graphiql"
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                           "frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
               ".txt": "text/plain; charset=utf-8"}


@functools.cache
def _file(name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a file of the folder (plain names only: nothing outside it is reachable)."""
    path = STATIC / name
    media_type = MEDIA_TYPES.get(path.suffix)
    if "/" in name or "\\" in name or name.startswith(".") or media_type is None or not path.is_file():
        return None
    return path.read_bytes(), media_type


@functools.cache
def _page() -> bytes:
    return (STATIC / "index.html").read_bytes()


def graphiql_page() -> Response:
    """The GraphiQL page (the caller has checked that this is development)."""
    return Response(_page(), media_type="text/html; charset=utf-8", headers=HEADERS)


def graphiql_routes(settings: Settings) -> list[Route]:
    """``/static/graphiql/{name}``: the page's scripts, styles and licences (development only)."""
    return [Route("/static/graphiql/{name}", functools.partial(static_file, settings), methods=["GET"])]


async def static_file(settings: Settings, request: Request) -> Response:
    """One file of GraphiQL's folder, or 404."""
    found = _file(str(request.path_params["name"])) if settings.is_development else None
    if found is None:
        return Response("Not found", status_code=404, media_type="text/plain", headers=HEADERS)
    body, media_type = found
    return Response(body, media_type=media_type, headers=HEADERS)
