"""The ASGI application: ``/graphql``, ``/healthz`` and the static routes, with body and rate limits.

The GraphQL endpoint is a thin Starlette handler over ``schema.execute_sync`` run in a worker thread: the request
owns the transaction (commit only when the operation had no error), mutations take the write lock up front, and
the public-score cache is invalidated for the services a committed batch touched.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import ExecutionResult, GraphQLError, OperationType
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from strawberry.http.ides import get_graphql_ide_html
from strawberry.types import ExecutionResult as StrawberryResult

from federation.auth.models import Role
from federation.auth.tokens import Principal, authenticate, require_role
from federation.db import Database, utcnow
from federation.errors import DomainError, Unauthenticated
from federation.ratings.contract import ItemResult, ItemStatus
from federation.ratings.ingest import Protector
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.graphql.api import ArvioSchema, build_schema
from schema.graphql.context import Context, Services
from schema.graphql.errors import error_response, graphql_errors_response, kind_of
from schema.graphql.persisted import PersistedQueries, PersistedQueryError, execute_directly, runs_directly
from schema.graphql.privacy import privacy_endpoint
from schema.graphql.validation import EXPENSIVE, Operation, ceiling_for, operation_facts, select_operation
from schema.http import bulk
from schema.http.dashboard import dashboard_routes
from schema.http.exports import publication_routes
from schema.http.limits import CallerKeys, RateLimiter
from schema.http.public import public_routes
from schema.http.request_ids import RequestIds
from schema.http.widget import citizen_runtime, widget_lifespan, widget_routes

log = logging.getLogger("arvio.app")

MAX_QUERY_CHARS = 20_000
"""Longest GraphQL query text accepted (data belongs in variables, which have their own body limit)."""


@dataclass
class App:
    """Everything one process serves with: settings, database, schema and the shared services."""

    settings: Settings
    database: Database
    schema: ArvioSchema
    services: Services
    limiter: RateLimiter
    clock: Callable[[], dt.datetime]
    callers: CallerKeys = field(default_factory=CallerKeys)
    persisted: PersistedQueries = field(default_factory=lambda: PersistedQueries(max_chars=MAX_QUERY_CHARS))


def create_app(settings: Settings, database: Database, protector: Protector, *,
               clock: Callable[[], dt.datetime] = utcnow, ring: KeyRing | None = None) -> Starlette:
    """The ASGI app. ``clock`` is injectable so tests can move time; ``ring`` defaults to the protector's."""
    services = Services(settings, protector, citizen=citizen_runtime(protector, ring), database=database)
    state = App(settings, database, build_schema(settings), services,
                RateLimiter(settings.rate_limit_per_minute), clock)
    routes = [
        *widget_routes(state),  # first: GET /widget/draw is the most frequent request (route matching is linear)
        Route("/graphql", functools.partial(graphql_endpoint, state), methods=["GET", "POST"]),
        Route("/healthz", functools.partial(healthz, state), methods=["GET"]),
        Route("/privacy", functools.partial(privacy_endpoint, settings), methods=["GET"]),
        Route("/ingest/ratings", functools.partial(bulk_endpoint, state), methods=["POST"]),
        *publication_routes(state),
        *public_routes(state),
        *dashboard_routes(),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(RequestIds)],
                    lifespan=functools.partial(widget_lifespan, state))
    app.state.arvio = state
    return app


__all__ = ["App", "create_app", "error_response", "graphql_endpoint", "read_request"]


async def healthz(state: App, request: Request) -> Response:
    """Liveness and database reachability."""
    try:
        await run_in_threadpool(_ping, state.database)
    except Exception:
        log.exception("health check failed")
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": state.database.dialect})


async def bulk_endpoint(state: App, request: Request) -> Response:
    """NDJSON bulk upload of ratings (see schema/http/bulk.py); ORGANISATION token."""
    token = _bearer(request)
    if token is None:
        return error_response(401, "UNAUTHENTICATED", "This needs a bearer token (Authorization: Bearer arvio_…).",
                              {"WWW-Authenticate": "Bearer"})
    if not state.limiter.allow(state.callers.key(token, request.client.host if request.client else "-")):
        return error_response(429, "RATE_LIMITED", "Too many requests; retry after the Retry-After seconds.",
                              {"Retry-After": str(state.limiter.retry_after())})
    results: list[ItemResult] = []
    chunk: list[tuple[int, bytes | None]] = []
    try:
        await run_in_threadpool(_check_bulk_token, state, token)
        async for numbered in bulk.lines(request, state.settings.max_upload_bytes):
            chunk.append(numbered)
            if len(chunk) == bulk.CHUNK:
                results += await run_in_threadpool(bulk.store_chunk, state, token, chunk)
                chunk = []
        if chunk:
            results += await run_in_threadpool(bulk.store_chunk, state, token, chunk)
    except DomainError as error:
        if error.code == "UNAUTHENTICATED":
            state.callers.rejected(token)
        status = kind_of(error.code).status
        stored = sum(1 for r in results if r.status is ItemStatus.ACCEPTED)
        return error_response(status, error.code, f"{error.message} Lines stored before this: {stored} "
                                                  "(resending the whole file is safe).")
    return bulk.summary(results)


def _check_bulk_token(state: App, token: str) -> None:
    with state.database.transaction(write=False) as session:
        principal = authenticate(session, token, now=state.clock())
        state.callers.authenticated(token)
        require_role(principal, Role.ORGANISATION)


def _ping(database: Database) -> None:
    with database.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")


async def graphql_endpoint(state: App, request: Request) -> Response:
    """Serve one GraphQL request (JSON POST, or GET for queries; GraphiQL in development)."""
    if request.method == "GET" and not {"query", "extensions"} & request.query_params.keys():
        if state.settings.is_development and "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(get_graphql_ide_html())
        return error_response(400, "BAD_REQUEST", "Send a GraphQL request: POST JSON {\"query\": …, "
                                                  "\"variables\": …} to /graphql.")
    read = await read_request(state, request)
    if isinstance(read, Response):
        return read
    if read.operation.is_mutation and request.method == "GET":
        return error_response(405, "METHOD_NOT_ALLOWED", "Mutations must be sent with POST (Content-Type: "
                                                         "application/json).")
    token = _bearer(request)
    client = request.client.host if request.client else "-"
    if not state.limiter.allow(state.callers.key(token, client)):
        return error_response(429, "RATE_LIMITED", "Too many requests; slow down and retry after the "
                              "Retry-After seconds.", {"Retry-After": str(state.limiter.retry_after())})
    return await run_in_threadpool(_execute, state, token, read)


@dataclass(frozen=True)
class GraphQLRequest:
    """A well-formed GraphQL request and the operation it will execute (from the one parse of its text)."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    operation: Operation


async def read_request(state: App, request: Request) -> GraphQLRequest | Response:
    """The request's query, variables and operation, or the 4xx answer saying what is wrong with it."""
    checked = await _read_parts(state, request)
    if isinstance(checked, Response):
        return checked
    query, variables, operation_name = checked
    refused = _refuse_text(query, variables)
    if refused is not None:
        return refused
    operation = select_operation(query, operation_name, state.settings.max_query_tokens)
    if isinstance(operation, str):
        return error_response(400, "UNKNOWN_OPERATION", operation)
    if isinstance(operation, GraphQLError):
        return graphql_errors_response([operation], operation_name)
    return GraphQLRequest(query, variables, operation_name, operation)


async def _read_parts(state: App, request: Request) -> tuple[str, dict[str, Any] | None, str | None] | Response:
    """Query text (a persisted one looked up by its hash: schema/graphql/persisted.py), variables and operation name."""
    if request.method == "GET":
        payload = _query_params(request)
    else:
        refused = _refuse_media_type(request)
        if refused is not None:
            return refused
        body = await _read_body(request, state.settings.max_body_bytes)
        payload = body if isinstance(body, Response) else _decode_payload(body)
    if isinstance(payload, Response):
        return payload
    sent, variables, operation_name, extensions = payload
    try:
        query = state.persisted.resolve(sent, extensions)
    except PersistedQueryError as error:
        return error_response(error.status, error.code, error.message)
    return _checked(query, variables, operation_name)


def _refuse_text(query: str, variables: dict[str, Any] | None) -> Response | None:
    if len(query) > MAX_QUERY_CHARS:
        # Bounds the parser, validation and operation caches, which are keyed by the query text.
        return error_response(413, "QUERY_TOO_LARGE", f"The query text exceeds {MAX_QUERY_CHARS} characters; "
                                                      "send data in `variables`, not inside the query.")
    if holds_nul(variables) or "\x00" in query or "\\u0000" in query:
        # No database stores NUL in text (PostgreSQL refuses it); no arvio value needs it.
        return error_response(400, "BAD_REQUEST", "Strings may not contain the NUL character (\\u0000); remove it.")
    return None


def holds_nul(value: object) -> bool:
    """Whether a JSON value holds a NUL character in any string, key or value (nesting is bounded by the body)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


async def _read_payload(state: App, request: Request) -> tuple[str, dict[str, Any] | None, str | None] | Response:
    """:func:`read_request` as (query, variables, operation name), for ``/subgraph``."""
    read = await read_request(state, request)
    return read if isinstance(read, Response) else (read.query, read.variables, read.operation_name)


def _refuse_media_type(request: Request) -> Response | None:
    """Only JSON bodies: form, multipart and text/plain posts are what a foreign page can send without CORS."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type == "application/json":
        return None
    return error_response(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as JSON with Content-Type: "
                                                         "application/json ({\"query\": …, \"variables\": …}).")


Payload = tuple[object, object, object, object]
"""A request's query, variables, operation name and extensions, as sent (checked by :func:`_checked`)."""


def _query_params(request: Request) -> Payload | Response:
    params = request.query_params
    try:
        variables = orjson.loads(params["variables"]) if params.get("variables") else None
    except orjson.JSONDecodeError:
        return error_response(400, "BAD_REQUEST", "`variables` is not valid JSON; send a URL-encoded JSON object "
                                                  "such as {\"id\": \"…\"}.")
    try:
        extensions = orjson.loads(params["extensions"]) if params.get("extensions") else None
    except orjson.JSONDecodeError:
        return error_response(400, "BAD_REQUEST", "`extensions` is not valid JSON; send a URL-encoded JSON object "
                                                  "such as {\"persistedQuery\": {…}}.")
    return params.get("query"), variables, params.get("operationName"), extensions


async def _read_body(request: Request, limit: int) -> bytes | Response:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return _too_large(limit)
    return bytes(body)


def _decode_payload(body: bytes) -> Payload | Response:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return error_response(400, "BAD_REQUEST", "The body is not valid JSON; send {\"query\": \"…\", "
                                                  "\"variables\": {…}} with Content-Type: application/json.")
    if not isinstance(data, dict):
        return error_response(400, "BAD_REQUEST", "The body must be a JSON object with a `query` string.")
    return data.get("query"), data.get("variables"), data.get("operationName"), data.get("extensions")


def _checked(query: object, variables: object, operation_name: object,
             ) -> tuple[str, dict[str, Any] | None, str | None] | Response:
    if not isinstance(query, str):
        return error_response(400, "BAD_REQUEST", "The body must be a JSON object with a `query` string. (A "
                                                  "persisted query may leave it out and send "
                                                  "extensions.persistedQuery with the hash of a query sent before.)")
    if variables is not None and not isinstance(variables, dict):
        return error_response(400, "BAD_REQUEST", "`variables` must be a JSON object. Send null or an object "
                                                  "such as {\"id\": \"…\"}.")
    if operation_name is not None and not isinstance(operation_name, str):
        return error_response(400, "BAD_REQUEST", "`operationName` must be a string naming an operation of the "
                                                  "query (or null when the query has one operation).")
    return query, variables, operation_name or None


def _too_large(limit: int) -> Response:
    return error_response(413, "BODY_TOO_LARGE", f"The request body exceeds {limit} bytes; send smaller "
                                                 "batches (at most 1000 ratings) or use the NDJSON upload.")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _refuse_before_execution(state: App, principal: Principal | None, query: str,
                             operation_name: str | None) -> Response | None:
    """Refusals that depend on the caller: introspection by anonymous callers in production, and cost ceilings."""
    facts = operation_facts(state.schema._schema, query, operation_name, state.settings.max_query_tokens)
    if facts.introspects and principal is None and state.settings.environment == "production":
        return error_response(403, "INTROSPECTION_DISABLED", "Introspection (__schema, __type) needs a token in "
                                                             "production; send Authorization: Bearer …, or read "
                                                             "the published schema.graphql.")
    role = principal.role.value if principal is not None else None
    ceiling = ceiling_for(role)
    if facts.cost > ceiling:
        who = f"the {role} role" if role else "anonymous callers"
        return error_response(400, "QUERY_TOO_COSTLY", f"The query costs {facts.cost}, above the ceiling of "
                              f"{ceiling} for {who}; ask for fewer fields per request (analytics, rankings and "
                              f"comparisons cost {EXPENSIVE} each) or smaller pages, and send the rest separately.")
    return None


def execute_in_process(state: App, query: str, variables: dict[str, Any] | None = None,
                       token: str | None = None) -> Response:
    """Run one operation as ``POST /graphql`` would, after the edge's reading (for benchmarks and tools)."""
    operation = select_operation(query, None, state.settings.max_query_tokens)
    if not isinstance(operation, Operation):
        raise ValueError(f"not a runnable operation: {operation}")
    return _execute(state, token, GraphQLRequest(query, variables, None, operation))


def _execute(state: App, token: str | None, read: GraphQLRequest) -> Response:
    """Run the operation; commit only when it is the mutation the write lock was taken for and had no error."""
    query, variables, operation_name = read.query, read.variables, read.operation_name
    is_write = read.operation.is_mutation
    session = state.database.session(write=is_write)
    try:
        now = state.clock()
        principal: Principal | None = None
        if token is not None:
            try:
                principal = authenticate(session, token, now=now)
            except Unauthenticated as error:
                state.callers.rejected(token)
                return error_response(401, error.code, error.message, {"WWW-Authenticate": "Bearer"})
            state.callers.authenticated(token)
        refused = _refuse_before_execution(state, principal, query, operation_name)
        if refused is not None:
            return refused
        ctx = Context(session=session, principal=principal, services=state.services, now=now)
        result: ExecutionResult | StrawberryResult
        if runs_directly(read.operation, query, state.schema.validation):
            result = execute_directly(state.schema._schema, read.operation, ctx, variables, operation_name)
        else:
            result = state.schema.execute_sync(query, variable_values=variables, context_value=ctx,
                                               operation_name=operation_name)
        if is_write and ctx.executed is OperationType.MUTATION and not result.errors:
            session.commit()
            state.services.public_scores.invalidate(ctx.touched_services)
        else:
            session.rollback()
    finally:
        session.close()
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
        if _refused_for_the_caller(result.data, body["errors"]):
            # Every root field refused who is asking: a refusal of the request, not of a field (no partial data,
            # no path), as the edge refuses a bad token.
            body = {"data": None, "errors": [{k: v for k, v in e.items() if k != "path"} for e in body["errors"]]}
    return Response(orjson.dumps(body), media_type="application/json")


_CALLER_CLASSES = frozenset({"UNAUTHENTICATED", "FORBIDDEN"})
"""Classifications of refusals of who is asking: no token, not the role, not the caller's service or question."""


def _refused_for_the_caller(data: dict[str, Any] | None, errors: list[dict[str, Any]]) -> bool:
    classes = {(e.get("extensions") or {}).get("classification") for e in errors}
    return classes <= _CALLER_CLASSES and (data is None or all(value is None for value in data.values()))
