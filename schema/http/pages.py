"""The citizen's side of page feedback: ``POST /pages/answer`` (yes or no) and ``POST /pages/follow-up`` (what was
missing, after a no), sent by the snippet ``/widget/arvio-page.js`` from an organisation's own page.

Like the widget's routes (schema/http/widget.py): rate-limited per client address (the address is used for the
bucket only, never stored or logged), JSON bodies of at most 16 KiB checked field by field, CORS for any origin
without credentials, no cookies, answers never cached. The domain work (page matching, the ``Origin`` check,
idempotency per ref, the free-text protection) is federation/pages/answers.py, run in a worker thread; the
request owns the transaction. Formats: README.md "Was this page useful?".
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from federation.errors import DomainError, RequestCode
from federation.pages.answers import PageOutcome, answer_page, follow_up_page
from schema.graphql.ratings.widget import runtime
from schema.http.state import App
from schema.http.widget import json_response, preflight, read_json, refusal

_TYPES: dict[str, dict[str, tuple[type, ...]]] = {
    "answer": {"organisation": (str,), "url": (str,), "ref": (str,), "useful": (bool,),
               "locale": (str, type(None))},
    "follow-up": {"organisation": (str,), "url": (str,), "ref": (str,), "text": (str,)},
}


def type_problem(kind: str, data: Mapping[str, Any]) -> str | None:
    """A message naming the first missing field or field of the wrong type, or None."""
    for name, kinds in _TYPES[kind].items():
        if name not in data and type(None) not in kinds:
            return f"`{name}` is missing; see README.md \"Was this page useful?\" for the request format."
        if not isinstance(data.get(name), kinds):
            return f"`{name}` has the wrong type; see README.md \"Was this page useful?\" for the request format."
    return None


async def page_endpoint(state: App, kind: str, request: Request) -> Response:
    """``POST /pages/answer`` or ``POST /pages/follow-up``."""
    if not await state.limiter.admit(f"ip:{request.client.host if request.client else '-'}"):
        return refusal(RequestCode.RATE_LIMITED, "too many requests; slow down.")
    data = await read_json(request)
    if isinstance(data, Response):
        return data
    problem = type_problem(kind, data)
    if problem is not None:
        return refusal(RequestCode.BAD_REQUEST, problem)
    try:
        outcome = await run_in_threadpool(_store, state, kind, data, request.headers.get("origin"))
    except DomainError as error:
        return refusal(error.code, error.message)
    return json_response(outcome_body(outcome))


def _store(state: App, kind: str, data: Mapping[str, Any], origin: str | None) -> PageOutcome:
    now = state.clock()
    with state.database.transaction() as session:
        if kind == "answer":
            return answer_page(session, organisation_id=data["organisation"], location=data["url"],
                               origin=origin, ref=data["ref"], useful=data["useful"], locale=data.get("locale"),
                               now=now)
        return follow_up_page(session, organisation_id=data["organisation"], location=data["url"],
                              origin=origin, ref=data["ref"], text=data["text"], now=now,
                              ring=runtime(state.services).ring)


def outcome_body(outcome: PageOutcome) -> dict[str, Any]:
    """The JSON of an answer or follow-up taken (or found taken already)."""
    return {"status": outcome.status.value, "code": outcome.code.value if outcome.code else None,
            "followUp": outcome.follow_up}


def page_routes(state: App) -> list[Route]:
    """The routes of page feedback (the snippet itself is served with the widget's files)."""
    return [
        Route("/pages/answer", functools.partial(page_endpoint, state, "answer"), methods=["POST"]),
        Route("/pages/follow-up", functools.partial(page_endpoint, state, "follow-up"), methods=["POST"]),
        Route("/pages/answer", preflight, methods=["OPTIONS"]),
        Route("/pages/follow-up", preflight, methods=["OPTIONS"]),
    ]

