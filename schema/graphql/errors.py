"""Shaping errors at the edge: every error carries ``extensions.code`` and ``extensions.classification``.

``code`` is the stable domain code (unchanged API); ``classification`` is one of a few standard names
(Apollo / graphql-java style) so generic clients and fuzzers can tell client errors from server errors. One table,
:data:`KINDS`, gives each code its HTTP status (for answers before execution) and its classification; unknown domain
codes are ``BAD_USER_INPUT`` (400). Unexpected exceptions are masked as ``INTERNAL_ERROR``. Refusals before
execution are answered in the same shape by ``schema/http/requests.py``.

Logging never contains query text, variables, error messages (they can echo caller input) or paths (aliases are
caller-typed): one line per request with the codes, the operation name and the request id; client errors at INFO,
masked errors at ERROR with the exception class and the frames of the traceback (file, line, function — no
message, no source line, no locals).
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from federation.errors import DomainError, Forbidden, NotFound, Unauthenticated
from schema.http import request_ids

log = logging.getLogger("arvio.errors")

MASKED_MESSAGE = "Unexpected error. It has been logged; if it persists, contact the arvio operator."

BAD_REQUEST = "BAD_REQUEST"
BAD_USER_INPUT = "BAD_USER_INPUT"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
RATE_LIMITED = "RATE_LIMITED"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


@dataclass(frozen=True)
class Kind:
    """How a code is answered: the HTTP status of a refusal before execution, and the classification."""

    status: int
    classification: str


KINDS: dict[str, Kind] = {
    # The request itself is malformed (transport, query text, limits).
    "BAD_REQUEST": Kind(400, BAD_REQUEST),
    "UNKNOWN_OPERATION": Kind(400, BAD_REQUEST),
    "GRAPHQL_PARSE_FAILED": Kind(400, BAD_REQUEST),
    "GRAPHQL_VALIDATION_FAILED": Kind(400, BAD_REQUEST),
    "QUERY_TOO_COSTLY": Kind(400, BAD_REQUEST),
    "METHOD_NOT_ALLOWED": Kind(405, BAD_REQUEST),
    "BODY_TOO_LARGE": Kind(413, BAD_REQUEST),
    "QUERY_TOO_LARGE": Kind(413, BAD_REQUEST),
    "PERSISTED_QUERY_NOT_FOUND": Kind(200, BAD_REQUEST),
    "PERSISTED_QUERY_HASH_MISMATCH": Kind(400, BAD_REQUEST),
    "UNSUPPORTED_MEDIA_TYPE": Kind(415, BAD_REQUEST),
    # Who is asking.
    "UNAUTHENTICATED": Kind(401, UNAUTHENTICATED),
    "FORBIDDEN": Kind(403, FORBIDDEN),
    "INTROSPECTION_DISABLED": Kind(403, FORBIDDEN),
    "ORGANISATION_NOT_ALLOWED": Kind(403, FORBIDDEN),
    "NOT_YOUR_SERVICE": Kind(403, FORBIDDEN),
    "NOT_YOUR_QUESTION": Kind(403, FORBIDDEN),
    "GRANULARITY_NOT_PUBLIC": Kind(403, FORBIDDEN),
    "DRAW_FORGED": Kind(403, FORBIDDEN),
    "TICKET_FORGED": Kind(403, FORBIDDEN),
    "TICKET_MISMATCH": Kind(403, FORBIDDEN),
    "TICKET_KEY_RETIRED": Kind(403, FORBIDDEN),
    "TICKET_TOO_LONG_LIVED": Kind(403, FORBIDDEN),
    "RESEARCHER_NOT_REGISTERED": Kind(403, FORBIDDEN),
    # What is asked for does not exist (or is gone): the id is a bad argument value, so the classification is
    # BAD_USER_INPUT (generic clients and fuzzers count it as the caller's error); the HTTP status stays 404.
    "NOT_FOUND": Kind(404, BAD_USER_INPUT),
    "UNKNOWN_SERVICE": Kind(404, BAD_USER_INPUT),
    "UNKNOWN_CHANNEL": Kind(404, BAD_USER_INPUT),
    "UNKNOWN_ORGANISATION": Kind(404, BAD_USER_INPUT),
    "UNKNOWN_QUESTION": Kind(404, BAD_USER_INPUT),
    "UNKNOWN_PUBLICATION": Kind(404, BAD_USER_INPUT),
    "UNKNOWN_EVENT": Kind(404, BAD_USER_INPUT),
    "NO_PUBLISHED_SCORES": Kind(404, BAD_USER_INPUT),
    "SERVICE_ARCHIVED": Kind(410, BAD_USER_INPUT),
    "DRAW_EXPIRED": Kind(410, BAD_USER_INPUT),
    "TICKET_EXPIRED": Kind(410, BAD_USER_INPUT),
    # Conflicts with the state (the widget's HTTP answers).
    "TICKET_REPLAYED": Kind(409, BAD_USER_INPUT),
    "FOLLOW_UP_WITHOUT_ANSWER": Kind(409, BAD_USER_INPUT),
    "FOLLOW_UP_AFTER_SKIP": Kind(409, BAD_USER_INPUT),
    "NO_REPORTING_ORGANISATION": Kind(409, BAD_USER_INPUT),
    "NO_QUESTION_TO_DRAW": Kind(409, BAD_USER_INPUT),
    # Too many requests; our fault.
    "RATE_LIMITED": Kind(429, RATE_LIMITED),
    "INTERNAL_ERROR": Kind(500, INTERNAL_SERVER_ERROR),
}
_DEFAULT = Kind(400, BAD_USER_INPUT)
_BY_CLASS: tuple[tuple[type[DomainError], str], ...] = (
    (Unauthenticated, UNAUTHENTICATED), (Forbidden, FORBIDDEN), (NotFound, BAD_USER_INPUT))


def kind_of(code: str) -> Kind:
    """The HTTP status and classification of ``code`` (unknown domain codes: 400, BAD_USER_INPUT)."""
    return KINDS.get(code, _DEFAULT)


def error_body(code: str, message: str) -> dict[str, object]:
    """One GraphQL-shaped error (for answers outside GraphQL execution)."""
    return {"message": message, "extensions": {"code": code, "classification": kind_of(code).classification}}


def shape_error(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it."""
    original = error.original_error
    if isinstance(original, DomainError):
        classification = next((c for cls, c in _BY_CLASS if isinstance(original, cls)), None)
        return _with_code(error, original.message, original.code, classification)
    if original is None or isinstance(original, GraphQLError) or _is_bad_scalar(error):
        code = (error.extensions or {}).get("code") or _code_of_graphql_error(error)
        return _with_code(error, without_values(error.message), str(code))
    return _with_code(error, MASKED_MESSAGE, "INTERNAL_ERROR")


_WITHHELD = "(value withheld)"
_VALUE_PATTERNS = (
    # "Variable '$input' got invalid value {...} at 'input.x'; …" and "… got invalid value '…'; …"
    (re.compile(r"(got invalid value ).+?(?= at '|; |$)", re.S), rf"\g<1>{_WITHHELD}"),
    # "Int cannot represent non-integer value: '…'", "String cannot represent a non string value: …"
    (re.compile(r"(cannot represent [^:;]*value): .+?(?=; |$)", re.S), rf"\g<1>: {_WITHHELD}"),
    # "Expected value of type 'Int!', found "…"; …"
    (re.compile(r"(Expected value of type '[^']+', found ).+?(?=; |\.$|$)", re.S), rf"\g<1>{_WITHHELD}"),
    # Any quoted name or value holding a run of six digits (an identifier typed as a field name, say).
    (re.compile(r"(['\"])[^'\"]*\d{6}[^'\"]*\1"), _WITHHELD),
)


def without_values(message: str) -> str:
    """A GraphQL validation or coercion message without the values the caller sent (they may be anything, a
    personal identity code included); names of the schema and the path stay, so the message still says what to
    fix."""
    for pattern, replacement in _VALUE_PATTERNS:
        message = pattern.sub(replacement, message)
    return message


def _is_bad_scalar(error: GraphQLError) -> bool:
    """A scalar's parser refused a literal or a variable of the request (graphql-core attaches the value's node):
    the caller's mistake, not ours. Errors raised outside the document's values carry no node."""
    return (error.path is None and bool(error.nodes)
            and isinstance(error.original_error, (ValueError, TypeError, OverflowError)))


def _code_of_graphql_error(error: GraphQLError) -> str:
    return "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "GRAPHQL_VALIDATION_FAILED"


def _with_code(error: GraphQLError, message: str, code: str, classification: str | None = None) -> GraphQLError:
    kind = kind_of(code)
    extensions = {**(error.extensions or {}), "code": code,
                  "classification": classification if code not in KINDS and classification else kind.classification}
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=None, extensions=extensions)


def log_errors(errors: list[GraphQLError], operation_name: str | None) -> None:
    """One log line for the request's errors: codes, operation name and request id only (see the module doc)."""
    masked = [e.original_error for e in errors if _is_unexpected(e)]
    codes = ",".join(sorted({str((e.extensions or {}).get("code", "?")) for e in errors}))
    if not masked:
        log.info("request %s operation %s answered with %s", request_ids.current(), operation_name or "-", codes)
        return
    first = masked[0]
    assert first is not None
    frames = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}"
                       for f in traceback.StackSummary.extract(traceback.walk_tb(first.__traceback__),
                                                               lookup_lines=False))
    log.error("request %s operation %s: unexpected %s (codes %s); traceback (frames only):\n%s",
              request_ids.current(), operation_name or "-", type(first).__name__, codes, frames)


def _is_unexpected(error: GraphQLError) -> bool:
    return str((error.extensions or {}).get("code")) == "INTERNAL_ERROR"


class ShapeErrors(SchemaExtension):
    """Applies :func:`shape_error` to every error of the result and logs them (see :func:`log_errors`)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = shape_and_log(result.errors, self._operation_name())

    def _operation_name(self) -> str | None:
        try:
            return self.execution_context.operation_name
        except Exception:  # a document that did not parse has no operation
            return None


def shape_and_log(errors: list[GraphQLError], operation_name: str | None) -> list[GraphQLError]:
    """The errors as the client sees them (:func:`shape_error`), logged by code with their original exception."""
    shaped = [shape_error(e) for e in errors]
    log_errors([_keep_original(o, s) for o, s in zip(errors, shaped, strict=True)], operation_name)
    return shaped


def _keep_original(original: GraphQLError, shaped: GraphQLError) -> GraphQLError:
    """The shaped error (for its code) carrying the original exception (for the log's class and frames)."""
    return GraphQLError("", extensions=shaped.extensions, original_error=original.original_error)


class QuietErrors:
    """Mixin for strawberry schemas: errors are not logged by strawberry (whose log line holds the query text and
    the caller's values) — :class:`ShapeErrors` logs them, by code. Put it before the schema class in the bases."""

    def process_errors(self, errors: list[GraphQLError], execution_context: object | None = None) -> None:
        """Nothing: see :func:`log_errors`."""
