"""The strawberry schema: root types assembled from the per-area modules, limits and caches."""

from __future__ import annotations

import strawberry
from graphql import GraphQLObjectType
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from federation.settings import Settings
from schema.auth import AuthMutation, AuthQuery
from schema.battery import BatteryQuery
from schema.errors import ShapeErrors
from schema.fast import SCALAR_OVERRIDES, use_plain_attribute_resolvers
from schema.queries import RegistryQuery
from schema.ratings import RatingsMutation, fast_submit_ratings
from schema.registry import RegistryMutation


@strawberry.type(description="Reading arvio: services, scores, questions.")
class Query(RegistryQuery, BatteryQuery, AuthQuery):
    pass


@strawberry.type(description="Writing to arvio: ratings (organisations) and the registry and tokens (admins).")
class Mutation(RatingsMutation, RegistryMutation, AuthMutation):
    pass


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the limits of ``settings`` (depth, tokens, aliases) and parser/validation caches."""
    schema = strawberry.Schema(
        query=Query, mutation=Mutation,
        config=StrawberryConfig(disable_field_suggestions=not settings.is_development),
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            ShapeErrors,
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        ],
    )
    _install_fast_resolvers(schema)
    use_plain_attribute_resolvers(schema)
    return schema


def _install_fast_resolvers(schema: strawberry.Schema) -> None:
    mutation = schema._schema.mutation_type
    assert isinstance(mutation, GraphQLObjectType)
    mutation.fields["submitRatings"].resolve = fast_submit_ratings


def print_sdl(settings: Settings | None = None) -> str:
    """The schema's SDL as committed in ``schema.graphql``."""
    return build_schema(settings or Settings()).as_str() + "\n"


