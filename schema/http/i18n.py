"""``GET /i18n/index.json`` (the locales) and ``GET /i18n/<locale>.json``: a locale's gettext catalog as JSON for
the widget and the dashboard (federation/i18n/catalogs.py ``as_json``: fallbacks to Finnish resolved and marked
with their language).

Built from the .po catalogs when first asked (no build artefact to go stale), with a content-hash ETag; readable
from any origin without credentials (the widget runs on e-service pages), never setting a cookie.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from federation.errors import RequestCode
from federation.i18n import catalogs

HEADERS = {"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*",
           "Cross-Origin-Resource-Policy": "cross-origin", "X-Content-Type-Options": "nosniff"}


async def catalog_json(request: Request) -> Response:
    """One locale's catalog; 404 (with the locales there are) for a locale without a catalog."""
    locale = str(request.path_params["locale"])
    if not catalogs.is_locale(locale):
        return JSONResponse({"code": RequestCode.NOT_FOUND, "message": "no catalog for that locale; the locales are "
                             f"{', '.join(catalogs.available_locales())}, e.g. /i18n/fi.json."},
                            RequestCode.NOT_FOUND.status, headers={"Access-Control-Allow-Origin": "*"})
    body, etag = catalogs.as_json(locale)
    headers = {**HEADERS, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


async def locale_index(request: Request) -> Response:
    """``GET /i18n/index.json``: the locales there are catalogs of, each with its own name of its language."""
    locales = [{"code": code, "name": catalogs.language_name(code)} for code in catalogs.available_locales()]
    return JSONResponse({"locales": locales, "fallback": catalogs.FALLBACK}, headers=HEADERS)


def i18n_routes() -> list[Route]:
    """The locale list and the catalogs (the list first: ``index`` is no locale)."""
    return [Route("/i18n/index.json", locale_index, methods=["GET"]),
            Route("/i18n/{locale}.json", catalog_json, methods=["GET"])]
