"""Shaping errors at the edge: expected ones carry ``extensions.code``; unexpected ones are logged and masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from federation.errors import DomainError

log = logging.getLogger("arvio.errors")

MASKED_MESSAGE = "Unexpected error. It has been logged; if it persists, contact the arvio operator."


def shape_error(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it."""
    original = error.original_error
    if isinstance(original, DomainError):
        return _with_code(error, original.message, original.code)
    if original is None or isinstance(original, GraphQLError):
        code = (error.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED"
        return _with_code(error, error.message, str(code))
    log.error("unexpected error in %s", error.path, exc_info=original)
    return _with_code(error, MASKED_MESSAGE, "INTERNAL_ERROR")


def _with_code(error: GraphQLError, message: str, code: str) -> GraphQLError:
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=None, extensions={**(error.extensions or {}), "code": code})


class ShapeErrors(SchemaExtension):
    """Applies :func:`shape_error` to every error of the result."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [shape_error(e) for e in result.errors]
