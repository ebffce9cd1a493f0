"""The Apollo Federation v2 subgraph served at ``/subgraph``: public, published figures only.

A catalogue supergraph owns ``Service`` (names, descriptions…); arvio contributes ``Service.ratings`` (the
scores frozen in a publication) and ``Service.liveRatings`` (the last 365 days), both above the publication
threshold only. This is a separate schema from ``/graphql``: it has no mutations, no tokens and no
unpublished figure, so its SDL (``_service { sdl }``) exposes nothing that is not public.

Entity lookups are batched: ``Service.resolve_reference`` only announces the service id to the request's
loaders, and the first ratings field resolved loads every announced service in a few queries (one grouped
query for the scores), however many representations the gateway sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated

import strawberry
from sqlalchemy.orm import Session
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, ParserCache, QueryDepthLimiter, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from exporters.publications import (
    ExportDataset,
    QuestionText,
    ServiceScores,
    Source,
    load_dataset,
    resolve_source,
    source_of,
)
from federation.errors import DomainError
from federation.publication.reading import PublishedScore
from federation.publication.service import list_publications
from federation.registry.service import normalise_guid
from federation.settings import Settings
from schema.graphql.errors import QuietErrors, ShapeErrors
from schema.graphql.loaders import BatchLoader

PREFIX = "Arvio"


@dataclass
class SubgraphContext:
    """Per request: the read session and the loaders that batch every service the gateway asked for."""

    session: Session
    settings: Settings
    now: dt.datetime
    expected: set[str] = field(default_factory=set)
    loaders: dict[str, BatchLoader[str, ServiceScores | None]] = field(default_factory=dict)
    datasets: dict[str, ExportDataset] = field(default_factory=dict)
    sources: dict[str, Source | None] = field(default_factory=dict)

    def source(self, spec: str) -> Source | None:
        """The figures ``spec`` names (``live``, ``latest`` or a number); None when there is none."""
        if spec not in self.sources:
            try:
                self.sources[spec] = resolve_source(self.session, spec, now=self.now,
                                                    publication_threshold=self.settings.publication_threshold)
            except DomainError:
                self.sources[spec] = None
        return self.sources[spec]

    def ratings(self, spec: str, service_id: str) -> tuple[Source, ServiceScores | None] | None:
        """One service's published figures of ``spec``, loaded together with every expected service."""
        source = self.source(spec)
        if source is None:
            return None
        loader = self.loaders.get(spec)
        if loader is None:
            def load_many(keys: list[str]) -> dict[str, ServiceScores | None]:
                dataset = load_dataset(self.session, source, service_ids=keys, with_kpis=False)
                self.datasets[spec] = dataset
                return {s.service_id: s for s in dataset.services}

            loader = self.loaders[spec] = BatchLoader(load_many, lambda: None)
            loader.expect(self.expected)
        return source, loader.load(service_id)


@strawberry.enum(name=f"{PREFIX}Locale", description="A language of the national catalogue.")
class Locale(Enum):
    FI = "fi"
    SV = "sv"
    EN = "en"


@strawberry.type(name=f"{PREFIX}Interval", description="A 95 % confidence interval.")
class Interval:
    low: float = strawberry.field(description="Lower bound.")
    high: float = strawberry.field(description="Upper bound.")


@strawberry.type(name=f"{PREFIX}Score", description="A published score of one question (n at least the "
                                                     "publication threshold).")
class Score:
    question_id: strawberry.ID = strawberry.field(description="The question, e.g. national.transaction-smooth.")
    wording_version: int = strawberry.field(description="The wording version the answers were collected under.")
    scale: str = strawberry.field(description="The answer scale: STARS_5, NPS_11, YES_NO, FACES_4 or LIKERT_5.")
    count: int = strawberry.field(description="Answers (n).")
    mean: float | None = strawberry.field(description="Mean answer value.")
    mean_interval: Interval | None = strawberry.field(description="95 % interval of the mean.")
    stars: float | None = strawberry.field(description="The mean on a 1–5 star scale, rounded to 0.1.")
    top_two_box: float | None = strawberry.field(description="Share of the two best values (CSAT), 0–1.")
    nps: float | None = strawberry.field(description="Net Promoter Score, −100…100 (NPS_11 only).")
    yes_share: float | None = strawberry.field(description="Share of yes answers (YES_NO only), 0–1.")
    texts: strawberry.Private[tuple[str, str | None, str | None]]

    @strawberry.field(description="The question's wording (of this wording version) in the given language.")
    def question(self, locale: Locale = Locale.FI) -> str:
        fi, sv, en = self.texts
        return {Locale.FI: fi, Locale.SV: sv, Locale.EN: en}[locale] or fi

    @classmethod
    def of(cls, score: PublishedScore, question: QuestionText | None) -> Score:
        """The GraphQL view of a published cell."""
        s = score.stats
        interval = None if s.mean_interval is None else Interval(low=round(s.mean_interval.low, 4),
                                                                 high=round(s.mean_interval.high, 4))
        texts = (question.text.fi, question.text.sv, question.text.en) if question else (score.key.question_id,
                                                                                      None, None)
        return cls(question_id=strawberry.ID(score.key.question_id), wording_version=score.key.wording_version,
                   scale=s.scale.value, count=s.count, mean=_r(s.mean), mean_interval=interval,
                   stars=None if s.normalised is None else round(1 + 4 * s.normalised, 1),
                   top_two_box=_r(s.top_two_box), nps=_r(s.nps), yes_share=_r(s.yes_share), texts=texts)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@strawberry.type(name=f"{PREFIX}ChannelRatings", description="Published scores of one channel of a service.")
class ChannelRatings:
    channel_id: strawberry.ID = strawberry.field(description="The channel's PTV id.")
    channel_type: str = strawberry.field(description="PTV channel type, e.g. EChannel or Phone.")
    scores: list[Score] = strawberry.field(description="Published scores of this channel.")


@strawberry.type(name=f"{PREFIX}Publication", description="Which figures these are: a numbered, frozen "
                                                           "publication of a period, or live figures.")
class Publication:
    number: int | None = strawberry.field(description="Publication number; null for live figures.")
    period: str | None = strawberry.field(description="Period name, e.g. 2026-Q1; null for a rolling window.")
    window_from: dt.datetime = strawberry.field(name="from", description="Start of the period (inclusive).")
    window_to: dt.datetime = strawberry.field(name="to", description="End of the period (exclusive).")
    as_of: dt.datetime = strawberry.field(description="When published (or, live, the hour the figures are of).")
    publication_threshold: int = strawberry.field(description="Smallest number of answers shown.")
    replaces: int | None = strawberry.field(description="The publication this one corrects, if any.")

    @classmethod
    def of(cls, source: Source) -> Publication:
        """The GraphQL view of a source."""
        return cls(number=source.number, period=source.period, window_from=source.start, window_to=source.end,
                   as_of=source.as_of, publication_threshold=source.publication_threshold,
                   replaces=source.replaces)


@strawberry.type(name=f"{PREFIX}Ratings", description="A service's published customer ratings.")
class Ratings:
    publication: Publication = strawberry.field(description="Which figures these are.")
    scores: list[Score] = strawberry.field(description="The service's scores over all its channels; the "
                                                       "headline question is national.transaction-smooth.")
    channels: list[ChannelRatings] = strawberry.field(description="Per-channel scores (channels with "
                                                                  "enough answers only).")


def _ratings(ctx: SubgraphContext, spec: str, service_id: str) -> Ratings | None:
    found = ctx.ratings(spec, service_id)
    if found is None:
        return None
    source, entry = found
    questions = ctx.datasets[spec].questions if spec in ctx.datasets else {}

    def scores(cells: tuple[PublishedScore, ...]) -> list[Score]:
        return [Score.of(c, questions.get((c.key.question_id, c.key.wording_version))) for c in cells]

    if entry is None:
        return Ratings(publication=Publication.of(source), scores=[], channels=[])
    return Ratings(publication=Publication.of(source), scores=scores(entry.totals),
                   channels=[ChannelRatings(channel_id=strawberry.ID(c.channel_id), channel_type=c.channel_type,
                                            scores=scores(c.scores)) for c in entry.channels])


def _key(service_id: str) -> str:
    try:
        return normalise_guid(service_id, "Service")
    except DomainError:
        return service_id.strip().lower()


@strawberry.federation.type(keys=["id"], description="A service of the national catalogue (keyed by its PTV "
                                                      "id), with the customer ratings arvio publishes for it.")
class Service:
    id: strawberry.ID = strawberry.field(description="The service's PTV id (GUID).")

    @strawberry.field(description="Scores frozen in a publication: the newest published one by default, or "
                                  "publication `number`. Null when there is no such publication.")
    def ratings(self, info: Info[SubgraphContext, None],
                number: Annotated[int | None, strawberry.argument(
                    description="A publication number; null for the newest published one.")] = None,
                ) -> Ratings | None:
        return _ratings(info.context, "latest" if number is None else str(number), _key(self.id))

    @strawberry.field(description="Live published scores of the last 365 days (changes as answers arrive).")
    def live_ratings(self, info: Info[SubgraphContext, None]) -> Ratings | None:
        return _ratings(info.context, "live", _key(self.id))

    @classmethod
    def resolve_reference(cls, info: Info[SubgraphContext, None], id: strawberry.ID) -> Service:
        """Announce the id to the request's loaders; the figures load later, for every service at once."""
        info.context.expected.add(_key(id))
        return cls(id=id)


@strawberry.type(description="arvio's public subgraph: published customer ratings of public services.")
class Query:
    @strawberry.field(description="A service's ratings by PTV id (the same as an entity lookup).")
    def rated_service(self, info: Info[SubgraphContext, None], id: strawberry.ID) -> Service:
        info.context.expected.add(_key(id))
        return Service(id=id)

    @strawberry.field(description="Every published publication, newest first.")
    def rating_publications(self, info: Info[SubgraphContext, None]) -> list[Publication]:
        rows = list_publications(info.context.session, include_drafts=False)
        return [Publication.of(source_of(p)) for p in rows]


class SubgraphSchema(QuietErrors, strawberry.federation.Schema):
    """The federation subgraph; errors are logged by code only (schema/graphql/errors.py)."""


def build_subgraph_schema(settings: Settings) -> strawberry.federation.Schema:
    """The federation v2 subgraph schema with the same limits and caches as the main schema."""
    return SubgraphSchema(
        query=Query, types=[Service],
        config=StrawberryConfig(disable_field_suggestions=not settings.is_development),
        extensions=[
            ShapeErrors,
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        ],
    )
