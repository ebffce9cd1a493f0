"""Bulk upload: ``POST /ingest/ratings`` with one rating per line (NDJSON), for large back-fills and exports.

Each line is a ``RatingInput`` object in the API's JSON shape (camelCase). Lines are checked and stored in chunks
of up to 1000, each chunk in its own transaction, so a long upload keeps what it has stored even if the
connection drops — and resending the file is safe, since ``clientRef`` makes every line idempotent. A line that
is not valid JSON or has a field of the wrong type is REJECTED with ``MALFORMED_ITEM`` and its line number; it
never sinks the rest. The response lists counts and the result of every line that was not ACCEPTED.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from federation.auth.models import Role
from federation.auth.tokens import authenticate, require_role
from federation.errors import AuthCode, DomainError, Forbidden, RequestCode
from federation.ratings.contract import ItemCode, ItemResult, ItemStatus, RatingSubmission
from federation.ratings.ingest import ingest
from schema.graphql.ratings.ingest import ingest_policy
from schema.graphql.ratings.items import Malformed, read_item
from schema.http import metrics
from schema.http.requests import bearer, error_response
from schema.http.state import App

CHUNK = 1000


def parse_line(raw: bytes) -> RatingSubmission:
    """One NDJSON line as a submission; :class:`~schema.graphql.ratings.items.Malformed` says what is wrong."""
    try:
        item = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Malformed("the line is not valid JSON; write one RatingInput object per line.") from None
    if type(item) is not dict:
        raise Malformed("the line must be a JSON object (a RatingInput).")
    return read_item(item, strict=False)


MAX_LINE_BYTES = 256 * 1024
"""Longest line read: a RatingInput with the longest free text fits many times over. A longer line is skipped
up to its newline without being held in memory, and answered REJECTED with ``MALFORMED_ITEM``."""

async def lines(request: Request, limit: int) -> AsyncIterator[tuple[int, bytes | None]]:
    """The body's non-empty lines with their line numbers (1-based, blank lines counted), refusing bodies over
    ``limit`` bytes. Each byte is scanned once and at most :data:`MAX_LINE_BYTES` of a line are held, so one huge
    line neither grows memory nor holds the event loop; it is yielded as ``None``."""
    buffer = bytearray()
    number = received = 0
    skipping = False
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise DomainError(RequestCode.BODY_TOO_LARGE, f"The upload exceeds {limit} bytes; split the file.")
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            number += 1
            if skipping:
                skipping = False
                yield number, None
            else:
                buffer += chunk[start:end]
                if len(buffer) > MAX_LINE_BYTES:
                    yield number, None
                elif buffer.strip():
                    yield number, bytes(buffer)
            buffer.clear()
            start = end + 1
        if not skipping:
            buffer += chunk[start:]
            if len(buffer) > MAX_LINE_BYTES:
                skipping = True
                buffer.clear()
    if skipping or len(buffer) > MAX_LINE_BYTES:
        yield number + 1, None
    elif buffer.strip():
        yield number + 1, bytes(buffer)


def store_chunk(state: App, principal_token: str, chunk: list[tuple[int, bytes | None]]) -> list[ItemResult]:
    """Check and store one chunk (:func:`federation.ratings.ingest.ingest`: on SQLite the write lock is held for the
    writes alone); results carry line numbers (1-based) as index."""
    now = state.clock()
    results, good, good_lines = parse_chunk(chunk)

    def organisation(session: Session) -> str:
        principal = require_role(authenticate(session, principal_token, now=now), Role.ORGANISATION)
        if principal.organisation_id is None:
            raise Forbidden("This token is not bound to an organisation.")
        return principal.organisation_id

    batch = ingest(state.database, good, caller=organisation, now=now, protector=state.services.protector,
                   policy=ingest_policy(state.settings))
    state.services.public_scores.invalidate(batch.touched_services)
    results.extend(ItemResult(good_lines[r.index], r.status, r.code, r.message) for r in batch.results)
    return sorted(results, key=lambda r: r.index)


def parse_chunk(chunk: list[tuple[int, bytes | None]]) -> tuple[list[ItemResult], list[RatingSubmission],
                                                                 list[int]]:
    """The chunk's lines read: results for the malformed ones, the submissions and their line numbers."""
    results: list[ItemResult] = []
    good: list[RatingSubmission] = []
    good_lines: list[int] = []
    for line_number, raw in chunk:
        try:
            if raw is None:
                raise Malformed(f"the line is longer than {MAX_LINE_BYTES} bytes; write one RatingInput "
                                "object per line, each ending in a newline.")
            good.append(parse_line(raw))
            good_lines.append(line_number)
        except Malformed as error:
            results.append(ItemResult(line_number, ItemStatus.REJECTED, ItemCode.MALFORMED_ITEM, str(error)))
    return results, good, good_lines


def summary(results: list[ItemResult]) -> Response:
    """The upload's outcome: counts and every line that was not accepted."""
    counts = dict.fromkeys(ItemStatus, 0)
    problems = []
    for result in results:
        counts[result.status] += 1
        if result.status is not ItemStatus.ACCEPTED:
            problems.append({"line": result.index, "status": result.status.value,
                             "code": result.code.value if result.code else None, "message": result.message})
    body = {"accepted": counts[ItemStatus.ACCEPTED], "duplicates": counts[ItemStatus.DUPLICATE],
            "rejected": counts[ItemStatus.REJECTED], "problems": problems}
    return Response(orjson.dumps(body), media_type="application/json")


async def bulk_endpoint(state: App, request: Request) -> Response:
    """``POST /ingest/ratings``: the NDJSON upload; ORGANISATION token."""
    token = bearer(request)
    if token is None:
        return error_response(AuthCode.UNAUTHENTICATED, "This needs a bearer token (Authorization: Bearer arvio_…).",
                              {"WWW-Authenticate": "Bearer"})
    if not await state.limiter.admit(state.callers.key(token, request.client.host if request.client else "-")):
        return error_response(RequestCode.RATE_LIMITED, "Too many requests; retry after the Retry-After seconds.",
                              {"Retry-After": str(state.limiter.retry_after())})
    results: list[ItemResult] = []
    chunk: list[tuple[int, bytes | None]] = []
    try:
        await run_in_threadpool(_check_token, state, token)
        async for numbered in lines(request, state.settings.max_upload_bytes):
            chunk.append(numbered)
            if len(chunk) == CHUNK:
                results += await run_in_threadpool(store_chunk, state, token, chunk)
                chunk = []
        if chunk:
            results += await run_in_threadpool(store_chunk, state, token, chunk)
    except DomainError as error:
        if error.code is AuthCode.UNAUTHENTICATED:
            state.callers.rejected(token)
        stored = sum(1 for r in results if r.status is ItemStatus.ACCEPTED)
        return error_response(error.code, f"{error.message} Lines stored before this: {stored} "
                                                  "(resending the whole file is safe).")
    response = summary(results)
    metrics.record_ingest("ndjson", *(sum(1 for r in results if r.status is s) for s in ItemStatus))
    return response


def _check_token(state: App, token: str) -> None:
    with state.database.transaction(write=False) as session:
        principal = authenticate(session, token, now=state.clock())
        state.callers.authenticated(token)
        require_role(principal, Role.ORGANISATION)
