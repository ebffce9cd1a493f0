"""Keeping strawberry off the hot paths, behind two small adapters (docs/DESIGN.md "Performance"), tested directly in
tests/schema/graphql/test_fast_adapters.py.

1. Plain attribute fields (no resolver of their own) are resolved by a direct ``getattr`` instead of strawberry's
   per-field wrapper: with 1000 item results per ingest batch that wrapper alone cost a third of the request.
2. ``DateTime`` input is parsed with ``datetime.fromisoformat`` (ISO 8601, ``Z`` included, since Python 3.11)
   instead of dateutil's slower parser; the output format is unchanged (``isoformat``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField
from strawberry.types.scalar import ScalarDefinition


def parse_datetime(value: object) -> dt.datetime:
    """An ISO 8601 date-time string as a datetime; refuses anything else with a message that shows the form."""
    if not isinstance(value, str):
        raise ValueError(f'DateTime must be an ISO 8601 string such as "2026-03-01T09:30:00+02:00", got {value!r}.')
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f'"{value}" is not an ISO 8601 date-time; use e.g. "2026-03-01T09:30:00+02:00".') from None


def _serialize_datetime(value: dt.datetime) -> str:
    return value.isoformat()


DATETIME = ScalarDefinition(
    name="DateTime", description="Date with time (isoformat)", specified_by_url=None,
    serialize=_serialize_datetime, parse_value=parse_datetime, parse_literal=None, origin=dt.datetime,
)
SCALAR_OVERRIDES: dict[object, Any] = {dt.datetime: DATETIME}


def _attribute(name: str) -> Callable[[object, object], object]:
    def resolve(source: object, _info: object) -> object:
        return getattr(source, name)
    return resolve


def use_plain_attribute_resolvers(schema: strawberry.Schema) -> int:
    """Resolve every plain data field by ``getattr``; returns how many fields were switched."""
    switched = 0
    for gtype in schema._schema.type_map.values():
        if not isinstance(gtype, GraphQLObjectType) or gtype.name.startswith("__"):
            continue
        for field in gtype.fields.values():
            definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if (isinstance(definition, StrawberryField) and definition.base_resolver is None
                    and not definition.extensions and not definition.permission_classes
                    and definition.python_name):
                field.resolve = _attribute(definition.python_name)
                switched += 1
    return switched
