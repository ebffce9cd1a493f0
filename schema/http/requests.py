"""Reading HTTP requests at the edge, shared by every route: the bearer token, a GraphQL request (JSON POST or GET,
persisted queries, body and text limits) and refusals before execution in the GraphQL error shape.

A refusal carries the stable ``extensions.code`` and its classification (:mod:`schema.graphql.errors`) and is logged
by code and request id only, as GraphQL errors are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from federation.errors import ErrorCode, RequestCode
from federation.settings import Settings
from schema.graphql.errors import error_body, log_errors, shape_error
from schema.graphql.persisted import PersistedQueries, PersistedQueryError
from schema.graphql.validation import Operation, select_operation
from schema.http import observe, request_ids

log = logging.getLogger("arvio.errors")

MAX_QUERY_CHARS = 20_000
"""Longest GraphQL query text accepted (data belongs in variables, which have their own body limit)."""


@dataclass(frozen=True)
class GraphQLRequest:
    """A well-formed GraphQL request and the operation it will execute (from the one parse of its text)."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    operation: Operation


async def read_request(request: Request, settings: Settings, persisted: PersistedQueries,
                       ) -> GraphQLRequest | Response:
    """The request's query, variables and operation, or the 4xx answer saying what is wrong with it."""
    checked = await _read_parts(request, settings, persisted)
    if isinstance(checked, Response):
        return checked
    query, variables, operation_name = checked
    refused = _refuse_text(query, variables)
    if refused is not None:
        return refused
    operation = select_operation(query, operation_name, settings.max_query_tokens)
    if isinstance(operation, str):
        return error_response(RequestCode.UNKNOWN_OPERATION, operation)
    if isinstance(operation, GraphQLError):
        return graphql_errors_response([operation], operation_name)
    return GraphQLRequest(query, variables, operation_name, operation)


async def _read_parts(request: Request, settings: Settings, persisted: PersistedQueries,
                      ) -> tuple[str, dict[str, Any] | None, str | None] | Response:
    """Query text (a persisted one looked up by its hash: schema/graphql/persisted.py), variables and operation
    name."""
    if request.method == "GET":
        payload = _query_params(request)
    else:
        refused = _refuse_media_type(request)
        if refused is not None:
            return refused
        body = await _read_body(request, settings.max_body_bytes)
        payload = body if isinstance(body, Response) else _decode_payload(body)
    if isinstance(payload, Response):
        return payload
    sent, variables, operation_name, extensions = payload
    try:
        query = persisted.resolve(sent, extensions)
    except PersistedQueryError as error:
        return error_response(error.code, error.message)
    return _checked(query, variables, operation_name)


def _refuse_text(query: str, variables: dict[str, Any] | None) -> Response | None:
    if len(query) > MAX_QUERY_CHARS:
        # Bounds the parser, validation and operation caches, which are keyed by the query text.
        return error_response(RequestCode.QUERY_TOO_LARGE, f"The query text exceeds {MAX_QUERY_CHARS} characters; "
                                                           "send data in `variables`, not inside the query.")
    if holds_nul(variables) or "\x00" in query or "\\u0000" in query:
        # No database stores NUL in text (PostgreSQL refuses it); no arvio value needs it.
        return error_response(RequestCode.BAD_REQUEST,
                              "Strings may not contain the NUL character (\\u0000); remove it.")
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


async def read_payload(request: Request, settings: Settings, persisted: PersistedQueries,
                       ) -> tuple[str, dict[str, Any] | None, str | None] | Response:
    """:func:`read_request` as (query, variables, operation name), for ``/subgraph``."""
    read = await read_request(request, settings, persisted)
    return read if isinstance(read, Response) else (read.query, read.variables, read.operation_name)


def _refuse_media_type(request: Request) -> Response | None:
    """Only JSON bodies: form, multipart and text/plain posts are what a foreign page can send without CORS."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type == "application/json":
        return None
    return error_response(RequestCode.UNSUPPORTED_MEDIA_TYPE, "Send the request body as JSON with Content-Type: "
                                                              "application/json ({\"query\": …, \"variables\": …}).")


Payload = tuple[object, object, object, object]
"""A request's query, variables, operation name and extensions, as sent (checked by :func:`_checked`)."""


def _query_params(request: Request) -> Payload | Response:
    params = request.query_params
    try:
        variables = orjson.loads(params["variables"]) if params.get("variables") else None
    except orjson.JSONDecodeError:
        return error_response(RequestCode.BAD_REQUEST, "`variables` is not valid JSON; send a URL-encoded JSON object "
                                                       "such as {\"id\": \"…\"}.")
    try:
        extensions = orjson.loads(params["extensions"]) if params.get("extensions") else None
    except orjson.JSONDecodeError:
        return error_response(RequestCode.BAD_REQUEST, "`extensions` is not valid JSON; send a URL-encoded JSON object "
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
        return error_response(RequestCode.BAD_REQUEST, "The body is not valid JSON; send {\"query\": \"…\", "
                                                       "\"variables\": {…}} with Content-Type: application/json.")
    if not isinstance(data, dict):
        return error_response(RequestCode.BAD_REQUEST, "The body must be a JSON object with a `query` string.")
    return data.get("query"), data.get("variables"), data.get("operationName"), data.get("extensions")


def _checked(query: object, variables: object, operation_name: object,
             ) -> tuple[str, dict[str, Any] | None, str | None] | Response:
    if not isinstance(query, str):
        return error_response(RequestCode.BAD_REQUEST,
                              "The body must be a JSON object with a `query` string. (A "
                              "persisted query may leave it out and send "
                              "extensions.persistedQuery with the hash of a query sent before.)")
    if variables is not None and not isinstance(variables, dict):
        return error_response(RequestCode.BAD_REQUEST, "`variables` must be a JSON object. Send null or an object "
                                                       "such as {\"id\": \"…\"}.")
    if operation_name is not None and not isinstance(operation_name, str):
        return error_response(RequestCode.BAD_REQUEST, "`operationName` must be a string naming an operation of the "
                                                       "query (or null when the query has one operation).")
    return query, variables, operation_name or None


def _too_large(limit: int) -> Response:
    return error_response(RequestCode.BODY_TOO_LARGE, f"The request body exceeds {limit} bytes; send smaller "
                                                      "batches (at most 1000 ratings) or use the NDJSON upload.")


def bearer(request: Request) -> str | None:
    """The bearer token of the ``Authorization`` header, or None when there is none."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def error_response(code: ErrorCode, message: str, headers: dict[str, str] | None = None, *,
                   status: int | None = None) -> Response:
    """A GraphQL-shaped refusal before execution, answered with the code's HTTP status unless ``status`` says
    otherwise."""
    log.info("request %s refused with %s", request_ids.current(), code)
    observe.note_code(str(code))
    body = {"errors": [error_body(code, message)]}
    return Response(orjson.dumps(body), status_code=status or code.status, media_type="application/json",
                    headers=headers)


def graphql_errors_response(errors: list[GraphQLError], operation_name: str | None) -> Response:
    """Errors found at the edge before execution (a syntax error), shaped and logged as execution would."""
    shaped = [shape_error(e) for e in errors]
    log_errors(shaped, operation_name)
    body = {"data": None, "errors": [e.formatted for e in shaped]}
    return Response(orjson.dumps(body), media_type="application/json")
