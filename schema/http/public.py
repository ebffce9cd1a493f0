"""``GET /public/score``: other users' rating as plain JSON, for the widget, catalogue pages and caches.

The answer is the same as GraphQL ``publicScore``. A fresh cached score is served straight from the event loop
(no thread hop, no database); only a miss reads the rollups in a worker thread.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from federation.battery.scales import Scale
from federation.errors import DomainError, RequestCode
from schema.graphql.context import Context
from schema.graphql.scores import PublicScore, cached_public_score, nps_band_name, public_score_for
from schema.http.state import App

DEFAULT_QUESTION = "national.transaction-smooth"


def as_json(score: PublicScore) -> dict[str, Any]:
    """The public score in the JSON shape of the GraphQL type."""
    return {"serviceId": score.service_id, "questionId": score.question_id,
            "scale": Scale(score.scale).value, "published": score.published,
            "count": score.count, "mean": score.mean, "stars": score.stars, "nps": score.nps,
            "npsBand": nps_band_name(score), "yesShare": score.yes_share, "wordingVersion": score.wording_version}


def _respond(body: dict[str, Any], status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json",
                    headers={"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"})


async def public_score_endpoint(state: App, request: Request) -> Response:
    """``GET /public/score?service=<PTV id>[&question=<id>]``; no token."""
    service = request.query_params.get("service", "").strip()
    question = request.query_params.get("question", DEFAULT_QUESTION).strip()
    if not service:
        return _respond({"errors": [{"message": "give service=<PTV service id>.",
                                     "extensions": {"code": RequestCode.BAD_REQUEST}}]}, 400)
    cached = cached_public_score(state.services, service, question, state.clock())
    if cached is not None:
        return _respond(as_json(cached))
    if not await state.limiter.admit(f"ip:{request.client.host if request.client else '-'}"):
        return _respond({"errors": [{"message": "too many requests; slow down.",
                                     "extensions": {"code": RequestCode.RATE_LIMITED}}]}, 429)
    try:
        score = await run_in_threadpool(_read, state, service, question)
    except DomainError as error:
        return _respond({"errors": [{"message": error.message, "extensions": {"code": error.code}}]}, 404)
    return _respond(as_json(score))


def _read(state: App, service: str, question: str) -> PublicScore:
    session = state.database.session(replica=True)
    try:
        ctx = Context(session, services=state.services, now=state.clock())
        return public_score_for(ctx, service, question)
    finally:
        session.close()


def public_routes(state: App) -> list[Route]:
    """The public plain-JSON routes."""
    return [Route("/public/score", functools.partial(public_score_endpoint, state), methods=["GET"])]
