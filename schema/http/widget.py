"""The widget's HTTP face: JSON routes under ``/widget/``, its static files and the demo page (exposure counts
are flushed by the app's lifespan, ``schema/http/lifespan.py``).

``GET /widget/draw`` is the hottest route of arvio (every final page of every e-service calls it): it reads a
cached draw config, draws, signs and counts in memory — no database, no GraphQL — and answers with orjson.
The other routes run the same domain functions as the GraphQL mutations in a worker thread; the request owns
the transaction. All JSON routes send CORS headers (``*``, no credentials): the widget runs on e-service pages.
Formats: docs/WIDGET.md.
"""

from __future__ import annotations

import functools
import logging
import urllib.parse
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from federation.battery.drawing import DrawConfig, Drawn
from federation.battery.followups import DRIVER_LABELS, DRIVERS, FOLLOW_UP_QUESTIONS, band_of, wording_of
from federation.battery.rotation import Candidate
from federation.battery.scales import Scale
from federation.errors import DomainError, ErrorCode, RequestCode
from federation.i18n import catalogs
from federation.privacy.notice import transparency_notice
from federation.ratings import citizen
from federation.ratings.citizen import CitizenOutcome, CitizenRuntime
from federation.ratings.contract import FollowUp
from pseudonymize.keys import KeyRing, MasterKey, new_secret
from schema.graphql.errors import kind_of
from schema.graphql.ratings.widget import ingest_policy_of, others_rating, public_view, runtime
from schema.http import widget_files
from schema.http.accessibility import text as statement_text
from schema.http.state import App

log = logging.getLogger("arvio.widget")

MAX_BODY = 16_384
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "86400", "Vary": "Origin"}
_NO_STORE = {**CORS, "Cache-Control": "no-store"}


def query_values(raw: bytes) -> dict[str, str]:
    """``a=1&b=2`` as a dict; decoding only what needs it (ids and locales are plain ASCII)."""
    values: dict[str, str] = {}
    for pair in raw.decode("latin-1").split("&"):
        name, _, value = pair.partition("=")
        if "%" in value or "+" in value:
            value = urllib.parse.unquote_plus(value)
        values.setdefault(name, value)
    return values


def json_response(body: Mapping[str, Any], status: int = 200) -> Response:
    """A JSON response with the widget's CORS headers; never cached."""
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=_NO_STORE)


def refusal(code: ErrorCode, message: str) -> Response:
    """A refusal with its stable code and a message saying how to fix it, answered with the code's HTTP status."""
    return json_response({"status": "REJECTED", "code": code, "message": message}, code.status)


def _client_key(request: Request) -> str:
    return f"ip:{request.client.host if request.client else '-'}"


def _locale(raw: str | None) -> str | None:
    return raw if catalogs.is_locale(raw) else None


def _texts(msgid: str, locale: str) -> dict[str, str]:
    """A catalog text for the widget: ``text`` and ``lang`` (``fi`` where ``locale`` fell back to Finnish)."""
    found = catalogs.lookup(locale, msgid)
    return {"text": found.text, "lang": found.lang}


@functools.lru_cache(maxsize=64)
def follow_up_table(scale: Scale, locale: str) -> dict[str, Any]:
    """Bands (value ranges and their follow-up question) and drivers of a scale, for the widget."""
    bands: list[dict[str, Any]] = []
    for value in scale.values:
        band = band_of(scale, value)
        if bands and bands[-1]["band"] == band.value:
            bands[-1]["to"] = value
        else:
            question = _texts(FOLLOW_UP_QUESTIONS[band], locale)
            bands.append({"band": band.value, "from": value, "to": value,
                          "question": question["text"], "lang": question["lang"]})
    drivers = [{"code": d, "label": label["text"], "lang": label["lang"]}
               for d in DRIVERS for label in (_texts(DRIVER_LABELS[d], locale),)]
    return {"bands": bands, "drivers": drivers, "maxText": 2000}


def draw_body(drawn: Drawn, locale: str) -> dict[str, Any]:
    """The JSON of a draw (see docs/WIDGET.md)."""
    q = drawn.candidate.question
    config = drawn.config
    text, lang = wording_of(q.wording, locale)
    return {"drawId": drawn.draw_id, "clientRef": drawn.client_ref, "serviceId": config.service_id,
            "channelId": config.channel_id, "organisationId": config.organisation_id, "locale": locale,
            "question": {"id": q.question_id, "wordingVersion": q.wording_version, "scale": q.scale.value,
                         "min": q.scale.minimum, "max": q.scale.maximum, "text": text, "lang": lang,
                         "wordingVariant": q.variant},
            "followUps": follow_up_table(q.scale, locale)}


_TAILS: dict[tuple[int, int, str], tuple[DrawConfig, Candidate, bytes]] = {}
_HEAD = b'{"drawId":"","clientRef":""'


def draw_json(drawn: Drawn, locale: str) -> bytes:
    """``orjson.dumps(draw_body(drawn, locale))``, with the part after the two per-draw ids serialised once per
    (config, question, locale) and reused; the cache is keyed by identity, so a reloaded config gets its own."""
    key = (id(drawn.config), id(drawn.candidate), locale)
    entry = _TAILS.get(key)
    if entry is None or entry[0] is not drawn.config or entry[1] is not drawn.candidate:
        if len(_TAILS) > 8192:
            _TAILS.clear()
        empty = Drawn("", "", drawn.candidate, drawn.config, drawn.drawn_at)
        entry = _TAILS[key] = (drawn.config, drawn.candidate, orjson.dumps(draw_body(empty, locale))[len(_HEAD):])
    return b"".join((b'{"drawId":"', drawn.draw_id.encode(), b'","clientRef":"', drawn.client_ref.encode(), b'"',
                     entry[2]))


class DrawEndpoint:
    """``GET /widget/draw?service=…&channel=…&locale=fi``: draw the main question (no database when cached).

    A bare ASGI app rather than a Starlette endpoint: the most frequent request of arvio skips building a
    ``Request`` and a ``Response`` and sends its two messages itself. Refusals use ordinary responses.
    """

    def __init__(self, state: App) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(scope)
        if isinstance(response, Response):
            await response(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(response)).encode()), *_DRAW_HEADERS]})
        await send({"type": "http.response.body", "body": response})

    async def respond(self, scope: Scope) -> bytes | Response:
        """The draw's JSON, or a refusal."""
        state = self.state
        params = query_values(scope["query_string"])
        service, channel = params.get("service"), params.get("channel") or None
        locale = _locale(params.get("locale") or "fi")
        if not service or locale is None:
            return refusal(RequestCode.BAD_REQUEST,
                           "give service=<PTV service id> and optionally channel=<PTV channel id> "
                           f"and locale={'|'.join(catalogs.available_locales())}.")
        client = scope.get("client")
        if not await state.limiter.admit(f"ip:{client[0] if client else '-'}"):
            return refusal(RequestCode.RATE_LIMITED, "too many requests; slow down.")
        kit = runtime(state.services)
        try:
            config = kit.drawer.cached(service, channel)
            if config is None:
                config = await run_in_threadpool(_load_config, state, service, channel)
        except DomainError as error:
            return refusal(error.code, error.message)
        drawn = kit.draw(config, now=state.clock())
        if state.exposure_commits is not None:
            await state.exposure_commits.settled()
        return draw_json(drawn, locale)


_DRAW_HEADERS = [(b"content-type", b"application/json"), (b"access-control-allow-origin", b"*"),
                 (b"cache-control", b"no-store")]


def _load_config(state: App, service: str, channel: str | None) -> DrawConfig:
    session = state.database.session(replica=True)
    try:
        return runtime(state.services).drawer.config(session, service, channel)
    finally:
        session.rollback()
        session.close()


async def read_json(request: Request) -> dict[str, Any] | Response:
    """The request's JSON object body (at most ``MAX_BODY`` bytes), or the refusal to answer instead."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            return refusal(RequestCode.BODY_TOO_LARGE, f"the body exceeds {MAX_BODY} bytes; shorten the text.")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return refusal(RequestCode.BAD_REQUEST, "the body is not valid JSON.")
    if not isinstance(data, dict):
        return refusal(RequestCode.BAD_REQUEST, "the body must be a JSON object.")
    return data


def _check_types(data: Mapping[str, Any]) -> str | None:
    """A message naming the first field of the wrong type, or None."""
    rules: dict[str, tuple[type, ...]] = {"drawId": (str,), "ticket": (str, type(None)), "value": (int, type(None)),
                                          "skipped": (bool, type(None)), "locale": (str, type(None)),
                                          "text": (str, type(None)), "drivers": (list, type(None))}
    for name, kinds in rules.items():
        value = data.get(name)
        if not isinstance(value, kinds) or (name == "value" and isinstance(value, bool)):
            return f"`{name}` has the wrong type; see docs/WIDGET.md for the request format."
    drivers = data.get("drivers") or []
    if len(drivers) > 20 or not all(isinstance(d, str) for d in drivers):
        return "`drivers` must be a list of driver codes."
    if data.get("locale") is not None and not catalogs.is_locale(data["locale"]):
        return f"`locale` must be one of {', '.join(catalogs.available_locales())}."
    return None


async def answer_endpoint(state: App, request: Request) -> Response:
    """``POST /widget/answer``: the citizen's answer or skip, with draw id and ticket."""
    return await _submit(state, request, follow_up=False)


async def follow_up_endpoint(state: App, request: Request) -> Response:
    """``POST /widget/follow-up``: drivers and free text of an answer already sent."""
    return await _submit(state, request, follow_up=True)


async def _submit(state: App, request: Request, *, follow_up: bool) -> Response:
    if not await state.limiter.admit(_client_key(request)):
        return refusal(RequestCode.RATE_LIMITED, "too many requests; slow down.")
    data = await read_json(request)
    if isinstance(data, Response):
        return data
    problem = _check_types(data)
    if problem is not None:
        return refusal(RequestCode.BAD_REQUEST, problem)
    body = await run_in_threadpool(_submit_sync, state, data, follow_up)
    status = 200 if body["status"] != "REJECTED" else kind_of(str(body["code"])).status
    return json_response(body, status)


def _submit_sync(state: App, data: Mapping[str, Any], follow_up: bool) -> dict[str, Any]:
    kit = runtime(state.services)
    now = state.clock()
    locale = data.get("locale") or "fi"
    try:
        claim = kit.drawer.verify(data["drawId"], now=now)
    except DomainError as error:
        return outcome_body(citizen.as_outcome(error), None, locale)
    with state.database.transaction() as session:
        if follow_up:
            outcome = citizen.send_follow_up(session, claim, ticket=data.get("ticket"), now=now, ring=kit.ring,
                                             follow_up=FollowUp(tuple(data.get("drivers") or ()), data.get("text")),
                                             protector=state.services.protector)
        else:
            outcome = citizen.answer(session, claim, ticket=data.get("ticket"), value=data.get("value"),
                                     skipped=bool(data.get("skipped")), locale=data.get("locale"), now=now,
                                     protector=state.services.protector, ring=kit.ring,
                                     policy=ingest_policy_of(state.settings))
        others = others_rating(session, state.services, claim.service_id, claim.question_id, now)
    if outcome.stored:
        state.services.public_scores.invalidate({claim.service_id})
    return outcome_body(outcome, public_view(others), locale)


def outcome_body(outcome: CitizenOutcome, others: dict[str, Any] | None, locale: str) -> dict[str, Any]:
    """The JSON of an answer or follow-up outcome."""
    prompt = outcome.follow_up
    question = None if prompt is None else _texts(prompt.question, locale)
    return {"status": outcome.status.value, "code": outcome.code.value if outcome.code else None,
            "message": outcome.message, "itemCode": outcome.item_code.value if outcome.item_code else None,
            "receipt": outcome.receipt, "othersRating": others,
            "followUp": None if prompt is None else {
                "band": prompt.band.value, "question": question["text"] if question else "",
                "lang": question["lang"] if question else locale,
                "drivers": [{"code": c, "label": label.text, "lang": label.lang}
                            for c, msgid in prompt.drivers for label in (catalogs.lookup(locale, msgid),)]}}


async def notice_endpoint(state: App, request: Request) -> Response:
    """``GET /widget/notice?locale=fi``: the transparency notice (fi/sv/en data; Finnish for another catalog
    locale), with links to the privacy notice and the accessibility statement in the widget's locale."""
    locale = _locale(request.query_params.get("locale", "fi")) or "fi"
    notice = transparency_notice(locale, publication_threshold=state.settings.publication_threshold,
                                 retention_days=state.settings.retention_days)
    return json_response({"locale": notice.locale, "title": notice.title, "paragraphs": list(notice.paragraphs),
                          "more": {"label": notice.more_label, "url": f"/privacy?locale={locale}"},
                          "accessibility": _statement_link(notice.locale, locale)})


def _statement_link(notice_locale: str, locale: str) -> dict[str, str]:
    """The accessibility statement's link: labelled in the notice's language (it is shown inside the notice), to
    the statement in the widget's ``locale`` (any catalog locale)."""
    return {"label": statement_text(notice_locale, "title").text, "url": f"/accessibility?locale={locale}"}


async def preflight(request: Request) -> Response:
    """CORS preflight of the JSON routes."""
    return Response(status_code=204, headers=CORS)


def citizen_runtime(protector: object, ring: KeyRing | None) -> CitizenRuntime:
    """The citizen-flow runtime on ``ring``, else on the protector's ring (``PrivacyProtector``), else on a
    throw-away key (draw ids then only verify in this process, and no ticket key can be opened)."""
    found = ring or getattr(protector, "ring", None)
    if not isinstance(found, KeyRing):
        log.warning("no master key ring given to the widget; using a temporary key for draw ids")
        found = KeyRing((MasterKey(1, new_secret()),))
    return CitizenRuntime.create(found)


def widget_routes(state: App) -> list[Route]:
    """Every route of the widget."""
    def bound(handler: Any) -> Any:
        return functools.partial(handler, state)

    return [
        Route("/widget/draw", DrawEndpoint(state), methods=["GET"]),
        Route("/widget/answer", bound(answer_endpoint), methods=["POST"]),
        Route("/widget/follow-up", bound(follow_up_endpoint), methods=["POST"]),
        Route("/widget/answer", preflight, methods=["OPTIONS"]),
        Route("/widget/follow-up", preflight, methods=["OPTIONS"]),
        Route("/widget/notice", bound(notice_endpoint), methods=["GET"]),
        *widget_files.routes(state),
    ]
