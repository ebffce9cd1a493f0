"""The strawberry schema: root types assembled from the per-area modules, limits and caches."""

from __future__ import annotations

import strawberry
from graphql import GraphQLObjectType
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig

from federation.settings import Settings
from schema.graphql.analytics.events import AnalyticsEventsMutation, AnalyticsEventsQuery
from schema.graphql.analytics.queries import AnalyticsQuery
from schema.graphql.auth import AuthMutation, AuthQuery
from schema.graphql.battery import BatteryQuery, QuestionsMutation, QuestionsQuery
from schema.graphql.errors import QuietErrors, ShapeErrors
from schema.graphql.fast import SCALAR_OVERRIDES, use_plain_attribute_resolvers
from schema.graphql.feedback import (
    FeedbackInboxMutation,
    FeedbackInboxQuery,
    FeedbackThemesMutation,
    FeedbackThemesQuery,
)
from schema.graphql.notify import NotifyMutation, NotifyQuery
from schema.graphql.pages import PagesMutation, PagesQuery
from schema.graphql.privacy import PrivacyMutation, PrivacyQuery
from schema.graphql.publication import PublicationMutation, PublicationQuery
from schema.graphql.ratings.follow_ups import FollowUpsMutation, FollowUpsQuery
from schema.graphql.ratings.ingest import RatingsMutation, fast_submit_ratings
from schema.graphql.ratings.tickets import TicketsMutation, TicketsQuery
from schema.graphql.ratings.widget import WidgetMutation, WidgetQuery
from schema.graphql.registry import RegistryMutation, RegistryQuery
from schema.graphql.research.breakdowns import ResearchMutation, ResearchQuery
from schema.graphql.scores import fast_public_score
from schema.graphql.validation import Limits, SharedValidation
from schema.graphql.volumes import VolumesMutation, VolumesQuery


@strawberry.type(description="Reading arvio: services and their scores, KPIs and analytics; questions; publications; "
                             "researcher breakdowns; privacy records.")
class Query(RegistryQuery, BatteryQuery, AuthQuery, PublicationQuery, PrivacyQuery, WidgetQuery, QuestionsQuery,
            TicketsQuery, FollowUpsQuery, FeedbackInboxQuery, FeedbackThemesQuery, VolumesQuery, AnalyticsQuery,
            AnalyticsEventsQuery, ResearchQuery, NotifyQuery, PagesQuery):
    pass


@strawberry.type(description="Writing to arvio: ratings, volumes, questions, service events and notification "
                             "subscriptions (organisations); "
                             "the registry, tokens and publications (admins).")
class Mutation(RatingsMutation, RegistryMutation, AuthMutation, PublicationMutation, PrivacyMutation,
               WidgetMutation, QuestionsMutation, TicketsMutation, FollowUpsMutation, FeedbackInboxMutation,
               FeedbackThemesMutation, VolumesMutation, AnalyticsEventsMutation, ResearchMutation, NotifyMutation,
               PagesMutation):
    pass


class ArvioSchema(QuietErrors, strawberry.Schema):
    """The public schema; errors are logged by code only (schema/graphql/errors.py). ``validation`` is the validation
    cache its requests share (schema/graphql/persisted.py asks it which texts are known to be valid)."""

    validation: SharedValidation


def build_schema(settings: Settings, *, fast: bool = True) -> ArvioSchema:
    """The schema with the limits of ``settings`` (depth, tokens, aliases) and parser/validation caches. ``fast``
    (what arvio serves) swaps graphql-core resolvers in for the hot fields; without it strawberry's typed resolvers
    serve them (the reference the fast ones are tested against)."""
    shared = SharedValidation(settings)
    schema = ArvioSchema(
        query=Query, mutation=Mutation,
        config=StrawberryConfig(disable_field_suggestions=not settings.is_development),
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            ShapeErrors,
            lambda: ParserCache(maxsize=512),
            lambda: Limits(shared),
        ],
    )
    schema.validation = shared
    if fast:
        _install_fast_resolvers(schema)
        use_plain_attribute_resolvers(schema)
    return schema


def _install_fast_resolvers(schema: strawberry.Schema) -> None:
    mutation = schema._schema.mutation_type
    assert isinstance(mutation, GraphQLObjectType)
    mutation.fields["submitRatings"].resolve = fast_submit_ratings
    query = schema._schema.query_type
    assert isinstance(query, GraphQLObjectType)
    query.fields["publicScore"].resolve = fast_public_score


def print_sdl(settings: Settings | None = None) -> str:
    """The schema's SDL as committed in ``schema.graphql``."""
    return build_schema(settings or Settings()).as_str() + "\n"


