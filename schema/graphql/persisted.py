"""Persisted queries and direct execution: the public score over ``/graphql`` without per-request schema work.

**Automatic persisted queries** (the protocol Apollo clients speak): a request may carry
``"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}`` instead of the query text. The first
time, the server answers ``PERSISTED_QUERY_NOT_FOUND`` (HTTP 200, as Apollo clients expect) and the client resends
with the text; the server checks that the text hashes to the given value and keeps it. From then on a GET such as
``/graphql?extensions=…&variables=…`` is a short, cacheable URL. The store is bounded (least recently used texts
go first) and keeps no text longer than the edge accepts, so it cannot be grown without limit; a text enters it
before validation, but every request still goes through the same checks as a plain one.

**Direct execution**: a query whose root fields are all in :data:`DIRECT_FIELDS` (pure reads served by graphql-core
resolvers: ``publicScore``) and whose text has already passed validation once is executed by graphql-core on the
parsed document, skipping strawberry's per-request extension hooks. Errors are shaped and logged exactly as on the
strawberry path (:func:`schema.graphql.errors.shape_and_log`). The first request of a text
always takes the strawberry path, which validates it and fills the shared validation cache.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any, TypeGuard

from graphql import ExecutionResult, FieldNode, GraphQLSchema, OperationType, execute

from federation.errors import RequestCode
from schema.graphql.errors import shape_and_log
from schema.graphql.validation import Operation, SharedValidation

DIRECT_FIELDS = frozenset({"publicScore", "__typename"})
"""Root fields executed directly: reads with graphql-core resolvers, no strawberry extension of their own."""

_HASH = re.compile(r"[0-9a-f]{64}")


class PersistedQueryError(Exception):
    """A persisted-query extension that cannot be honoured; carries the code to answer (and its HTTP status)."""

    def __init__(self, code: RequestCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PersistedQueries:
    """The bounded store of query texts by their SHA-256 (automatic persisted queries)."""

    def __init__(self, max_chars: int, max_entries: int = 1000) -> None:
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._max = max_entries
        self._max_chars = max_chars
        self._lock = threading.Lock()

    def resolve(self, query: object, extensions: object) -> object:
        """The query text of a request: ``query`` itself, or the text persisted under the request's hash (kept
        first when the request brings both). Raises :class:`PersistedQueryError` for a bad extension, an unknown
        hash or a text that does not match its hash."""
        if extensions is None:
            return query
        if not isinstance(extensions, dict):
            raise PersistedQueryError(RequestCode.BAD_REQUEST, "`extensions` must be a JSON object.")
        persisted = extensions.get("persistedQuery")
        if persisted is None:
            return query
        digest = _checked_hash(persisted)
        if isinstance(query, str):
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise PersistedQueryError(RequestCode.PERSISTED_QUERY_HASH_MISMATCH,
                                          "persistedQuery.sha256Hash is not "
                                          "the SHA-256 of the query text; send the hex digest of the UTF-8 text.")
            self._keep(digest, query)
            return query
        with self._lock:
            text = self._texts.get(digest)
            if text is not None:
                self._texts.move_to_end(digest)
                return text
        raise PersistedQueryError(RequestCode.PERSISTED_QUERY_NOT_FOUND,
                                  "PersistedQueryNotFound: send the request "
                                  "again with the query text beside the hash; later requests can leave it out.")

    def _keep(self, digest: str, query: str) -> None:
        if len(query) > self._max_chars:
            return  # refused at the edge anyway; never stored
        with self._lock:
            self._texts[digest] = query
            self._texts.move_to_end(digest)
            while len(self._texts) > self._max:
                self._texts.popitem(last=False)


def _checked_hash(persisted: object) -> str:
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError(RequestCode.BAD_REQUEST, "extensions.persistedQuery must be {\"version\": 1, "
                                                           "\"sha256Hash\": \"<64 hex digits>\"}.")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise PersistedQueryError(RequestCode.BAD_REQUEST, "extensions.persistedQuery.sha256Hash must be the 64 "
                                                           "lower-case hex digits of the query text's SHA-256.")
    return digest


def runs_directly(operation: Operation, query: str, validation: SharedValidation) -> bool:
    """Whether the query may skip strawberry: a query (not a mutation) of :data:`DIRECT_FIELDS` only, without
    fragments, whose text is known to be valid."""
    definition = operation.definition
    if operation.is_mutation or len(operation.document.definitions) != 1:
        return False
    selections = definition.selection_set.selections
    if not all(isinstance(s, FieldNode) and s.name.value in DIRECT_FIELDS and not s.directives
               for s in selections):
        return False
    return validation.known_valid(query)


def _never_awaitable(_value: Any) -> TypeGuard[Awaitable[Any]]:
    """The direct fields and every field below them resolve synchronously (schema/graphql has no async resolver),
    so graphql-core need not inspect each value for an awaitable (16 checks per ``publicScore``)."""
    return False


def execute_directly(schema: GraphQLSchema, operation: Operation, context: Any,
                     variables: dict[str, Any] | None, operation_name: str | None) -> ExecutionResult:
    """Execute a document :func:`runs_directly` accepted, its errors shaped and logged as strawberry's would be."""
    if hasattr(context, "executed"):
        context.executed = OperationType.QUERY
    result = execute(schema, operation.document, context_value=context, variable_values=variables,
                     operation_name=operation_name, is_awaitable=_never_awaitable)
    assert isinstance(result, ExecutionResult)
    if result.errors:
        result.errors = shape_and_log(list(result.errors), operation_name)
    return result
