"""``/graphql``: a thin Starlette handler over ``schema.execute_sync`` run in a worker thread.

The request owns the transaction (commit only when the operation had no error), mutations take the write lock up
front, and the public-score cache is invalidated for the services a committed batch touched. Refusals that depend on
the caller (introspection in production, the cost ceilings) are answered before execution; ``publicScore`` runs
directly on graphql-core once its text is known valid (:mod:`schema.graphql.persisted`).
"""

from __future__ import annotations

from typing import Any

import orjson
from graphql import ExecutionResult, OperationType
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.http.ides import get_graphql_ide_html
from strawberry.types import ExecutionResult as StrawberryResult

from federation.auth.tokens import Principal, authenticate
from federation.errors import AuthCode, Classification, RequestCode, Unauthenticated
from schema.graphql.context import Context
from schema.graphql.persisted import execute_directly, runs_directly
from schema.graphql.validation import EXPENSIVE, Operation, ceiling_for, operation_facts, select_operation
from schema.http.requests import GraphQLRequest, bearer, error_response, read_request
from schema.http.state import App


async def graphql_endpoint(state: App, request: Request) -> Response:
    """Serve one GraphQL request (JSON POST, or GET for queries; GraphiQL in development)."""
    if request.method == "GET" and not {"query", "extensions"} & request.query_params.keys():
        if state.settings.is_development and "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(get_graphql_ide_html())
        return error_response(RequestCode.BAD_REQUEST, "Send a GraphQL request: POST JSON {\"query\": …, "
                                                       "\"variables\": …} to /graphql.")
    read = await read_request(request, state.settings, state.persisted)
    if isinstance(read, Response):
        return read
    if read.operation.is_mutation and request.method == "GET":
        return error_response(RequestCode.METHOD_NOT_ALLOWED, "Mutations must be sent with POST (Content-Type: "
                                                              "application/json).")
    token = bearer(request)
    client = request.client.host if request.client else "-"
    if not await state.limiter.admit(state.callers.key(token, client)):
        return error_response(RequestCode.RATE_LIMITED, "Too many requests; slow down and retry after the "
                              "Retry-After seconds.", {"Retry-After": str(state.limiter.retry_after())})
    return await run_in_threadpool(_execute, state, token, read)


def _refuse_before_execution(state: App, principal: Principal | None, query: str,
                             operation_name: str | None) -> Response | None:
    """Refusals that depend on the caller: introspection by anonymous callers in production, and cost ceilings."""
    facts = operation_facts(state.schema._schema, query, operation_name, state.settings.max_query_tokens)
    if facts.introspects and principal is None and state.settings.environment == "production":
        return error_response(AuthCode.INTROSPECTION_DISABLED, "Introspection (__schema, __type) needs a token in "
                                                               "production; send Authorization: Bearer …, or read "
                                                               "the published schema.graphql.")
    role = principal.role.value if principal is not None else None
    ceiling = ceiling_for(role)
    if facts.cost > ceiling:
        who = f"the {role} role" if role else "anonymous callers"
        return error_response(RequestCode.QUERY_TOO_COSTLY,
                              f"The query costs {facts.cost}, above the ceiling of "
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
    session = state.database.session(write=is_write, replica=not is_write)
    try:
        now = state.clock()
        principal: Principal | None = None
        if token is not None:
            try:
                principal = authenticate(session, token, now=now)
            except Unauthenticated as error:
                state.callers.rejected(token)
                return error_response(error.code, error.message, {"WWW-Authenticate": "Bearer"})
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


_CALLER_CLASSES = frozenset({Classification.UNAUTHENTICATED, Classification.FORBIDDEN})
"""Classifications of refusals of who is asking: no token, not the role, not the caller's service or question."""


def _refused_for_the_caller(data: dict[str, Any] | None, errors: list[dict[str, Any]]) -> bool:
    classes = {(e.get("extensions") or {}).get("classification") for e in errors}
    return classes <= _CALLER_CLASSES and (data is None or all(value is None for value in data.values()))
