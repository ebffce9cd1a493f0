"""Query limits (depth, aliases, tokens) and a validation cache that really hits.

strawberry's limiter extensions create new validation-rule classes per request when given as factories, and its
ValidationCache keys on the rule classes, so the cache never hit and every request re-validated its document
(≈ 4 ms of a 5 ms public score). Here the rule classes are made once per schema and validation results are
cached by query text, so a repeated query is validated once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    parse,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document

from federation.settings import Settings


@dataclass(frozen=True)
class Operation:
    """The operation a request will run, chosen from the one parse of its text at the edge."""

    document: DocumentNode
    definition: OperationDefinitionNode

    @property
    def is_mutation(self) -> bool:
        """Whether the request needs the write lock and may commit."""
        return self.definition.operation is OperationType.MUTATION


@functools.lru_cache(maxsize=512)
def parsed(query: str, max_tokens: int) -> DocumentNode | GraphQLError:
    """The parsed document (cached by text and token limit), or the syntax error (also past the token limit)."""
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLError as error:
        return error


def select_operation(query: str, operation_name: str | None, max_tokens: int) -> Operation | GraphQLError | str:
    """The operation ``operation_name`` names (or the only one); the syntax error when the text does not parse; a
    message saying how to fix the request when there is no such operation."""
    document = parsed(query, max_tokens)
    if isinstance(document, GraphQLError):
        return document
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    names = ", ".join(d.name.value for d in operations if d.name) or "none named"
    if operation_name is not None:
        chosen = next((d for d in operations if d.name and d.name.value == operation_name), None)
        if chosen is None:
            return (f"The query has no operation named {operation_name!r} (its operations: {names}); set "
                    "`operationName` to one of them, or leave it out when the query has one operation.")
        return Operation(document, chosen)
    if len(operations) != 1:
        if not operations:
            return "The query has no operation; send a `query { … }` or `mutation { … }`."
        return f"The query has {len(operations)} operations ({names}); set `operationName` to the one to run."
    return Operation(document, operations[0])


class SharedValidation:
    """The limits' rule classes and the cache of validation results, shared by every request of a schema."""

    def __init__(self, settings: Settings, max_entries: int = 2048) -> None:
        rules: list[type[ASTValidationRule]] = []
        rules += QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules
        rules += MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules
        self.rules = tuple(rules)
        self.max_tokens = settings.max_query_tokens
        self._max_entries = max_entries
        self._results: dict[str, list[GraphQLError]] = {}
        self._lock = threading.Lock()

    def known_valid(self, query: str) -> bool:
        """Whether ``query`` has been validated and found without errors."""
        return self._results.get(query) == []

    def errors_for(self, query: str, validate: Callable[[], list[GraphQLError]]) -> list[GraphQLError]:
        """The cached validation errors of ``query``, validating on first sight."""
        cached = self._results.get(query)
        if cached is not None:
            return cached
        errors: list[GraphQLError] = validate()
        with self._lock:
            if len(self._results) >= self._max_entries:
                self._results.clear()
            self._results[query] = errors
        return errors


class Limits(SchemaExtension):
    """Per-request extension applying the shared limits and validation cache."""

    def __init__(self, shared: SharedValidation) -> None:
        self.shared = shared

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.shared.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        rules = (*context.validation_rules, *self.shared.rules)
        document = context.graphql_document
        assert document is not None
        context.pre_execution_errors = self.shared.errors_for(
            context.query or "", lambda: validate_document(context.schema._schema, document, rules))
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        holder = context.context
        if hasattr(holder, "executed"):
            # strawberry has its own OperationType enum; the context holds graphql-core's.
            holder.executed = OperationType(context.operation_type.value)
        yield


# --- Query cost -------------------------------------------------------------------------------------------------

DEFAULT_LIST_SIZE = 10
"""Items assumed for a list field without a ``first``-style argument."""
EXPENSIVE = 100
"""Weight of a field that computes over a year of rollups (analytics, rankings, comparisons, breakdowns)."""
WEIGHTS: dict[str, int] = {f"Query.{name}": EXPENSIVE for name in (
    "serviceAnalytics", "publicServiceAnalytics", "serviceComparison", "organisationSummaries", "alerts",
    "publicServiceEvents", "organisationKpis", "breakdown", "organisationBreakdown")}
WEIGHTS["Query.feedbackThemes"] = 4 * EXPENSIVE  # decrypts and analyses up to 20 000 texts: a few per operation
WEIGHTS["Query.feedbackInbox"] = EXPENSIVE  # a theme filter decrypts and matches up to 2000 texts per page
"""Per-field weights (``Type.field``); other object fields weigh 1 and scalar fields 0."""
ANONYMOUS_CEILING = 500
"""Highest cost an anonymous caller may ask for: a few analytics fields, not thirty."""
CEILINGS: dict[str, int] = {"ORGANISATION": 3000, "PUBLISHER": 3000, "RESEARCHER": 3000, "ADMIN": 10_000}
"""Highest cost per role (by ``Role.value``); tokens get more room than anonymous callers."""
_SIZE_ARGUMENTS = ("first", "last", "limit", "top")


@dataclass(frozen=True)
class OperationFacts:
    """What the edge checks before execution: the operation's cost and whether it introspects the schema."""

    cost: int
    introspects: bool


def ceiling_for(role: str | None) -> int:
    """The cost ceiling of a caller with ``role`` (a ``Role`` value; None for anonymous callers)."""
    return ANONYMOUS_CEILING if role is None else CEILINGS.get(role, ANONYMOUS_CEILING)


@functools.lru_cache(maxsize=1024)
def operation_facts(schema: GraphQLSchema, query: str, operation_name: str | None,
                    max_tokens: int) -> OperationFacts:
    """Cost (per-field weight × list sizes of the enclosing fields) and introspection of the operation, cached by
    query text and operation name (the validation cache is keyed by the text alone).

    The walk is over the parsed document, before validation: unknown fields cost nothing and fragment cycles are
    cut, so an invalid document gets its validation errors, not a crash here.
    """
    operation = select_operation(query, operation_name, max_tokens)
    if not isinstance(operation, Operation):
        return OperationFacts(0, introspects=False)
    root = schema.get_root_type(operation.definition.operation)
    walk = _CostWalk(schema, {f.name.value: f for f in operation.document.definitions
                              if isinstance(f, FragmentDefinitionNode)})
    cost = walk.selections(root, operation.definition.selection_set, frozenset()) if root else 0
    return OperationFacts(cost, walk.introspects)


class _CostWalk:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.introspects = False

    def selections(self, parent: GraphQLNamedType, selection_set: SelectionSetNode,
                   visiting: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, visiting)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(inner or parent, selection.selection_set, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in visiting:
                    inner = self.schema.get_type(fragment.type_condition.name.value) or parent
                    total += self.selections(inner, fragment.selection_set, visiting | {name})
        return total

    def field(self, parent: GraphQLNamedType, node: FieldNode, visiting: frozenset[str]) -> int:
        name = node.name.value
        if name in ("__schema", "__type"):
            self.introspects = True
        fields = parent.fields if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)) else {}
        definition = fields.get(name)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        weight = WEIGHTS.get(f"{parent.name}.{name}", 0 if is_leaf_type(named) else 1)
        if node.selection_set is None:
            return weight
        return weight + _list_size(definition, node) * self.selections(named, node.selection_set, visiting)


def _list_size(definition: GraphQLField, node: FieldNode) -> int:
    """How many items the field's children are counted for: 1 for a single object, else the ``first``-style
    argument's literal value, its default, or :data:`DEFAULT_LIST_SIZE`."""
    if not isinstance(get_nullable_type(definition.type), GraphQLList):
        return 1
    for argument in node.arguments or ():
        if argument.name.value in _SIZE_ARGUMENTS and isinstance(argument.value, IntValueNode):
            return max(1, min(int(argument.value.value), 10_000))
    for name in _SIZE_ARGUMENTS:
        default = definition.args[name].default_value if name in definition.args else None
        if isinstance(default, int):
            return max(1, default)
    return DEFAULT_LIST_SIZE
