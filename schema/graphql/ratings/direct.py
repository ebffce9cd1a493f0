"""``submitRatings`` executed directly: the ingest contract's mutation without graphql-core's per-item work.

In a 1000-item batch, graphql-core's coercion of the ``ratings`` variable was half of the request (cProfile of
``schema.http.graphql_endpoint.execute_in_process``). When the operation is the plain shape every integration sends
— one ``submitRatings(input: $variable)`` field selecting payload fields (aliases allowed, no fragments or
directives) in a text the shared validation has already accepted — the edge reads the variable with
:func:`schema.graphql.ratings.items.read_item` (GraphQL's reading) and shapes the payload itself. Anything else —
another shape, an item the reader does not accept, a caller who is not an organisation — takes graphql-core's path,
which answers as it always has; tests/schema/graphql/test_direct_submit.py compares the two answers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, NamedTypeNode, NonNullTypeNode, VariableNode

from federation.ratings.contract import BatchResult, ItemResult, RatingSubmission
from schema.graphql.ratings.items import Malformed, read_item
from schema.graphql.validation import Operation, select_operation

_PAYLOAD_FIELDS = frozenset({"accepted", "duplicates", "rejected", "results"})
_RESULT_FIELDS = frozenset({"index", "status", "code", "message"})

Selection = tuple[tuple[str, str], ...]
"""(response key, field name) pairs, in the order the operation asks for them."""


@dataclass(frozen=True)
class SubmitPlan:
    """What a plain ``submitRatings`` operation asks: where its input is and which payload fields it selects."""

    key: str
    variable: str
    payload: Selection
    results: Selection

    def items(self, variables: dict[str, Any] | None, max_items: int) -> list[RatingSubmission] | None:
        """The submissions in ``variables``, or None when graphql-core must read them (an item GraphQL's reading
        would not take as it is, or more items than a batch holds: graphql-core's path gives the error)."""
        given = (variables or {}).get(self.variable)
        if type(given) is not dict or given.keys() != {"ratings"}:
            return None
        ratings = given["ratings"]
        if type(ratings) is not list or len(ratings) > max_items:
            return None
        try:
            return [read_item(item, strict=True) for item in ratings]
        except Malformed:
            return None

    def data(self, batch: BatchResult) -> dict[str, Any]:
        """The ``data`` of the response, as graphql-core would give it for this selection."""
        counts = {"accepted": batch.accepted, "duplicates": batch.duplicates, "rejected": batch.rejected}
        payload: dict[str, Any] = {}
        for key, name in self.payload:
            payload[key] = [self._result(r) for r in batch.results] if name == "results" else counts[name]
        return {self.key: payload}

    def _result(self, result: ItemResult) -> dict[str, Any]:
        shaped = {"index": result.index, "status": result.status.value,
                  "code": result.code.value if result.code is not None else None, "message": result.message}
        return {key: shaped[name] for key, name in self.results}


@functools.lru_cache(maxsize=256)
def submit_plan(query: str, operation_name: str | None, max_tokens: int) -> SubmitPlan | None:
    """The plan of a plain ``submitRatings`` operation (cached by text), or None for any other operation."""
    operation = select_operation(query, operation_name, max_tokens)
    found = _submit_field(operation) if isinstance(operation, Operation) else None
    if found is None:
        return None
    field, variable = found
    payload = _selection(field, _PAYLOAD_FIELDS)
    results_fields = [s for s in field.selection_set.selections  # type: ignore[union-attr]
                      if isinstance(s, FieldNode) and s.name.value == "results"]
    if payload is None or len(results_fields) > 1:
        return None
    results = _selection(results_fields[0], _RESULT_FIELDS) if results_fields else ()
    if results is None:
        return None
    return SubmitPlan(field.alias.value if field.alias else "submitRatings", variable, payload, results)


def _submit_field(operation: Operation) -> tuple[FieldNode, str] | None:
    """The operation's only field when it is ``submitRatings(input: $variable)`` with ``$variable:
    SubmitRatingsInput!`` the only variable, and the variable's name."""
    definition = operation.definition
    fields = definition.selection_set.selections
    if (not operation.is_mutation or len(operation.document.definitions) != 1 or definition.directives
            or len(fields) != 1):
        return None
    field = fields[0]
    if not isinstance(field, FieldNode) or field.directives or field.name.value != "submitRatings":
        return None
    arguments = field.arguments or ()
    if len(arguments) != 1 or arguments[0].name.value != "input" or not isinstance(arguments[0].value,
                                                                                  VariableNode):
        return None
    variable = arguments[0].value.name.value
    declared = definition.variable_definitions or ()
    if len(declared) != 1 or declared[0].variable.name.value != variable or not _is_input_type(declared[0].type):
        return None
    return field, variable


def _is_input_type(node: object) -> bool:
    return (isinstance(node, NonNullTypeNode) and isinstance(node.type, NamedTypeNode)
            and node.type.name.value == "SubmitRatingsInput")


def _selection(field: FieldNode, allowed: frozenset[str]) -> Selection | None:
    """The (key, name) pairs of ``field``'s sub-selection when every one is a plain field of ``allowed`` with a
    distinct key (``results`` with a sub-selection, the others without), else None."""
    if field.selection_set is None:
        return None
    pairs: list[tuple[str, str]] = []
    for node in field.selection_set.selections:
        if not isinstance(node, FieldNode) or node.directives or node.arguments:
            return None
        name = node.name.value
        if name not in allowed or (node.selection_set is not None) != (name == "results"):
            return None
        pairs.append((node.alias.value if node.alias else name, name))
    keys = [key for key, _ in pairs]
    return tuple(pairs) if len(set(keys)) == len(keys) else None

