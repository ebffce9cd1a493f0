"""Shaping errors at the edge: every error carries ``extensions.code`` and ``extensions.classification``.

``code`` is the stable domain code (unchanged API); ``classification`` is one of a few standard names
(Apollo / graphql-java style) so generic clients and fuzzers can tell client errors from server errors. Each code
is an :class:`~federation.errors.ErrorCode` member carrying its HTTP status (for answers before execution) and its
classification (one table: :data:`~federation.errors.CODES`); codes outside it are ``BAD_USER_INPUT`` (400).
Unexpected exceptions are masked as ``INTERNAL_ERROR``. Refusals before execution are answered in the same shape
by ``schema/http/requests.py``.

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

from federation.errors import CODES, Classification, DomainError, ErrorCode, RequestCode
from schema.http import observe, request_ids

log = logging.getLogger("arvio.errors")

MASKED_MESSAGE = "Unexpected error. It has been logged; if it persists, contact the arvio operator."


@dataclass(frozen=True)
class Kind:
    """How a code is answered: the HTTP status of a refusal before execution, and the classification."""

    status: int
    classification: str


_DEFAULT = Kind(400, Classification.BAD_USER_INPUT)


def kind_of(code: str) -> Kind:
    """The HTTP status and classification of ``code`` in :data:`~federation.errors.CODES`; a code not there (one
    graphql-core or a library put in ``extensions``) is 400, BAD_USER_INPUT."""
    member = CODES.get(code)
    return _DEFAULT if member is None else Kind(member.status, member.classification)


def error_body(code: ErrorCode, message: str) -> dict[str, object]:
    """One GraphQL-shaped error (for answers outside GraphQL execution)."""
    return {"message": message, "extensions": {"code": str(code), "classification": code.classification}}


def shape_error(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it."""
    original = error.original_error
    if isinstance(original, DomainError):
        return _with_code(error, original.message, str(original.code), original.classification)
    if original is None or isinstance(original, GraphQLError) or _is_bad_scalar(error):
        code = str((error.extensions or {}).get("code") or _code_of_graphql_error(error))
        return _with_code(error, without_values(error.message), code, kind_of(code).classification)
    return _with_code(error, MASKED_MESSAGE, RequestCode.INTERNAL_ERROR, RequestCode.INTERNAL_ERROR.classification)


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


def _code_of_graphql_error(error: GraphQLError) -> RequestCode:
    return (RequestCode.GRAPHQL_PARSE_FAILED if error.message.startswith("Syntax Error")
            else RequestCode.GRAPHQL_VALIDATION_FAILED)


def _with_code(error: GraphQLError, message: str, code: str, classification: str) -> GraphQLError:
    extensions = {**(error.extensions or {}), "code": str(code), "classification": classification}
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=None, extensions=extensions)


def log_errors(errors: list[GraphQLError], operation_name: str | None) -> None:
    """One log line for the request's errors: codes, operation name and request id only (see the module doc)."""
    masked = [e.original_error for e in errors if _is_unexpected(e)]
    if errors:
        observe.note_code(str((errors[0].extensions or {}).get("code", "?")))
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
    return str((error.extensions or {}).get("code")) == RequestCode.INTERNAL_ERROR


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
