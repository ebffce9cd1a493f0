"""``/graphql``: a thin Starlette handler over ``schema.execute_sync`` run in a worker thread.

The request owns the transaction (commit only when the operation had no error), mutations take the write lock up
front, and the public-score cache is invalidated for the services a committed batch touched. Refusals that depend on
the caller (introspection in production, the cost ceilings) are answered before execution; ``publicScore`` runs
directly on graphql-core once its text is known valid (:mod:`schema.graphql.persisted`).
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
from graphql import ExecutionResult, FieldNode, GraphQLError, GraphQLSchema, OperationType
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import ExecutionResult as StrawberryResult

from federation.auth.models import Role
from federation.auth.tokens import Principal, authenticate
from federation.errors import AuthCode, Classification, RequestCode, Unauthenticated
from federation.ratings.ingest import ingest
from schema.graphql.context import Context
from schema.graphql.errors import shape_and_log
from schema.graphql.persisted import execute_directly, runs_directly
from schema.graphql.ratings.direct import submit_plan
from schema.graphql.ratings.ingest import ingest_policy
from schema.graphql.validation import EXPENSIVE, Operation, ceiling_for, operation_facts, select_operation
from schema.http import metrics, observe
from schema.http.graphiql import graphiql_page
from schema.http.requests import GraphQLRequest, bearer, error_response, read_request
from schema.http.state import App


async def graphql_endpoint(state: App, request: Request) -> Response:
    """Serve one GraphQL request (JSON POST, or GET for queries; GraphiQL in development)."""
    if request.method == "GET" and not {"query", "extensions"} & request.query_params.keys():
        if state.settings.is_development and "text/html" in request.headers.get("accept", ""):
            return graphiql_page()
        return error_response(RequestCode.BAD_REQUEST, "Send a GraphQL request: POST JSON {\"query\": …, "
                                                       "\"variables\": …} to /graphql.")
    read = await read_request(request, state.settings, state.persisted)
    if isinstance(read, Response):
        return read
    observe.note_operation(root_field(state.schema._schema, read.operation))
    if read.operation.is_mutation and request.method == "GET":
        return error_response(RequestCode.METHOD_NOT_ALLOWED, "Mutations must be sent with POST (Content-Type: "
                                                              "application/json).")
    token = bearer(request)
    client = request.client.host if request.client else "-"
    if not await state.limiter.admit(state.callers.key(token, client)):
        return error_response(RequestCode.RATE_LIMITED, "Too many requests; slow down and retry after the "
                              "Retry-After seconds.", {"Retry-After": str(state.limiter.retry_after())})
    return await run_in_threadpool(_execute, state, token, read)


@functools.cache
def root_fields(schema: GraphQLSchema) -> frozenset[str]:
    """The names of the schema's query and mutation root fields: the only operation labels of the metrics."""
    roots = (schema.query_type, schema.mutation_type)
    return frozenset(name for root in roots if root is not None for name in root.fields)


def root_field(schema: GraphQLSchema, operation: Operation) -> str:
    """The operation's first root field if the schema has it, else ``other`` (never text the caller chose)."""
    selections = operation.definition.selection_set.selections
    first = selections[0] if selections else None
    if isinstance(first, FieldNode) and first.name.value in root_fields(schema):
        return first.name.value
    return metrics.OTHER


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
    """Run the operation: a plain ``submitRatings`` directly, anything else on graphql-core."""
    if read.operation.is_mutation and token is not None:
        answered = _submit_directly(state, token, read)
        if answered is not None:
            return answered
    return _execute_operation(state, token, read)


def _execute_operation(state: App, token: str | None, read: GraphQLRequest) -> Response:
    """Run the operation; commit only when it is the mutation the write lock was taken for and had no error. An
    anonymous query opens its (replica) session only if a resolver needs one."""
    query, operation_name = read.query, read.operation_name
    is_write = read.operation.is_mutation
    now = state.clock()
    if is_write or token is not None:
        ctx = Context(state.database.session(write=is_write, replica=not is_write), services=state.services, now=now)
    else:
        ctx = Context(services=state.services, now=now,
                      open_session=functools.partial(state.database.session, replica=True))
    try:
        if token is not None:
            try:
                ctx.principal = authenticate(ctx.session, token, now=now)
            except Unauthenticated as error:
                state.callers.rejected(token)
                return error_response(error.code, error.message, {"WWW-Authenticate": "Bearer"})
            state.callers.authenticated(token)
        refused = _refuse_before_execution(state, ctx.principal, query, operation_name)
        if refused is not None:
            return refused
        result = _run(state, read, ctx)
        _finish(state, ctx, committing=is_write and ctx.executed is OperationType.MUTATION and not result.errors)
    finally:
        if ctx.opened is not None:
            ctx.opened.close()
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
        if _refused_for_the_caller(result.data, body["errors"]):
            # Every root field refused who is asking: a refusal of the request, not of a field (no partial data,
            # no path), as the edge refuses a bad token.
            body = {"data": None, "errors": [{k: v for k, v in e.items() if k != "path"} for e in body["errors"]]}
    return Response(orjson.dumps(body), media_type="application/json")


def _run(state: App, read: GraphQLRequest, ctx: Context) -> ExecutionResult | StrawberryResult:
    if runs_directly(read.operation, read.query, state.schema.validation):
        return execute_directly(state.schema._schema, read.operation, ctx, read.variables, read.operation_name)
    return state.schema.execute_sync(read.query, variable_values=read.variables, context_value=ctx,
                                     operation_name=read.operation_name)


def _finish(state: App, ctx: Context, *, committing: bool) -> None:
    """Commit the mutation (then drop the touched services' cached scores and count the ingest), or roll back."""
    session = ctx.opened
    if not committing:
        if session is not None:
            session.rollback()
        return
    ctx.session.commit()
    state.services.public_scores.invalidate(ctx.touched_services)
    if ctx.ingested is not None:
        metrics.record_ingest("graphql", *ctx.ingested)


_CALLER_CLASSES = frozenset({Classification.UNAUTHENTICATED, Classification.FORBIDDEN})
"""Classifications of refusals of who is asking: no token, not the role, not the caller's service or question."""


def _refused_for_the_caller(data: dict[str, Any] | None, errors: list[dict[str, Any]]) -> bool:
    classes = {(e.get("extensions") or {}).get("classification") for e in errors}
    return classes <= _CALLER_CLASSES and (data is None or all(value is None for value in data.values()))


class _TakeTheFullPath(Exception):
    """The direct ``submitRatings`` cannot answer this request as graphql-core would; nothing was written."""


def _submit_directly(state: App, token: str, read: GraphQLRequest) -> Response | None:
    """A plain ``submitRatings`` with a known-valid text, its items read without graphql-core
    (:mod:`schema.graphql.ratings.direct`); None sends the request down graphql-core's path, which then gives any
    error (unknown token, another role, a refusal before execution, a malformed item) exactly as before."""
    plan = submit_plan(read.query, read.operation_name, state.settings.max_query_tokens)
    if plan is None or not state.schema.validation.known_valid(read.query):
        return None
    items = plan.items(read.variables, state.settings.max_batch_items)
    if items is None:
        return None
    now = state.clock()

    def organisation(session: Session) -> str:
        try:
            principal = authenticate(session, token, now=now)
        except Unauthenticated:
            raise _TakeTheFullPath from None
        if (principal.role is not Role.ORGANISATION or principal.organisation_id is None
                or _refuse_before_execution(state, principal, read.query, read.operation_name) is not None):
            raise _TakeTheFullPath
        state.callers.authenticated(token)
        return principal.organisation_id

    try:
        batch = ingest(state.database, items, caller=organisation, now=now, protector=state.services.protector,
                       policy=ingest_policy(state.settings))
    except _TakeTheFullPath:
        return None
    except Exception as error:  # as graphql-core answers a resolver's crash: INTERNAL_ERROR, logged by class
        errors = shape_and_log([GraphQLError(str(error), path=[plan.key], original_error=error)],
                               read.operation_name)
        return Response(orjson.dumps({"data": None, "errors": [e.formatted for e in errors]}),
                        media_type="application/json")
    state.services.public_scores.invalidate(batch.touched_services)
    metrics.record_ingest("graphql", batch.accepted, batch.duplicates, batch.rejected)
    return Response(orjson.dumps({"data": plan.data(batch)}), media_type="application/json")
