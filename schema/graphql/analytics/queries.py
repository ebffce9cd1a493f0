"""GraphQL of the analytics: a service's analytics (score, series, heatmap, drivers, events, peers), comparison,
organisation summaries and alerts. Change events are recorded in ``schema/graphql/analytics/events.py``.

Who sees what: with a token, ``serviceAnalytics`` takes any window; the organisations registered for the service
(and admins) also see figures below the publication threshold and internal events. Without a token,
``publicServiceAnalytics`` covers the public window (the last 365 days, as ``publicScore``), never hourly
buckets, and shows published figures and public events only. Comparisons and summaries rank and pool published
services only, whoever asks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.analytics import events, reading
from federation.analytics import service as analytics
from federation.analytics.alerts import CusumPolicy
from federation.analytics.heatmap import peak
from federation.analytics.models import ServiceEvent as ServiceEventRow
from federation.analytics.series import LOCAL_TIME_ZONE, Granularity
from federation.auth.models import Role
from federation.battery.models import Question
from federation.errors import AnalyticsCode, AuthCode, DomainError, Forbidden, ScoresCode, Unauthenticated
from federation.registry import models
from federation.registry.service import normalise_business_id, normalise_guid, organisations_of
from federation.scores.reading import Score as ScoreRecord
from federation.scores.reading import Window, read_histogram
from federation.scores.stats import summarise
from schema.graphql.analytics.types import (
    Alert,
    ChangeImpact,
    DriverChangeImpact,
    GranularityEnum,
    Heatmap,
    HeatmapCell,
    OrganisationSummary,
    PeerComparison,
    PeerEntry,
    PeerScopeEnum,
    SeriesPoint,
    ServiceEvent,
)
from schema.graphql.context import Context
from schema.graphql.ratings.drivers import DriverSummary, driver_summary
from schema.graphql.registry import get_service
from schema.graphql.scores import Headline, Interval, ScaleType, Score, nps_band_of, public_window

DEFAULT_QUESTION = strawberry.ID("national.transaction-smooth")
QuestionArg = Annotated[strawberry.ID, strawberry.argument(
    description="The question; default national.transaction-smooth.")]
FromArg = Annotated[dt.datetime | None, strawberry.argument(
    name="from", description="Window start (inclusive); needs a token. Default: a year before `to`.")]
ToArg = Annotated[dt.datetime | None, strawberry.argument(
    name="to", description="Window end (exclusive); needs a token. Default: now.")]
LastDaysArg = Annotated[int | None, strawberry.argument(description="The last N days up to now; needs a token.")]
MAX_EVENTS = 500


def caller_window(ctx: Context, start: dt.datetime | None, end: dt.datetime | None,
                  last_days: int | None) -> Window:
    """The window asked for; callers without a token always get the public window."""
    if ctx.principal is None:
        if start is not None or end is not None or last_days is not None:
            raise Unauthenticated("A custom window needs a token; without one the public window (the last 365 "
                                  "days) is used: leave out from, to and lastDays.")
        return public_window(ctx.now)
    return Window.resolve(now=ctx.now, start=start, end=end, last_days=last_days)


def _headline(scope: analytics.Scope) -> Headline:
    name = scope.question.scale.name
    return Headline.NPS if name == "NPS_11" else Headline.YES_SHARE if name == "YES_NO" else Headline.MEAN


@strawberry.type(description="Analytics of one service's question over a window: score, time series, rush "
                             "heatmap, follow-up drivers, change events with their impact, and peers.")
class ServiceAnalytics:
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    question_id: strawberry.ID = strawberry.field(description="The question.")
    wording_version: int = strawberry.field(description="The wording version analysed.")
    scale: ScaleType = strawberry.field(description="The answer scale.")  # type: ignore[valid-type]
    headline: Headline = strawberry.field(description="The metric `value` fields carry: NPS for NPS_11, "
                                                      "yes-share for YES_NO, otherwise the mean.")
    window_from: dt.datetime = strawberry.field(name="from", description="Window start (inclusive).")
    window_to: dt.datetime = strawberry.field(name="to", description="Window end (exclusive).")
    time_zone: str = strawberry.field(description="Time zone of buckets, weekdays and event dates.")
    public_view: bool = strawberry.field(description="Whether only published figures are shown to this caller.")
    scope: strawberry.Private[analytics.Scope]

    @classmethod
    def of(cls, scope: analytics.Scope, *, public_view: bool) -> ServiceAnalytics:
        """The analytics of ``scope``."""
        return cls(service_id=strawberry.ID(scope.service_id), question_id=strawberry.ID(scope.question.id),
                   wording_version=scope.wording_version, scale=scope.question.scale, headline=_headline(scope),
                   window_from=scope.start, window_to=scope.end, time_zone=LOCAL_TIME_ZONE.key,
                   public_view=public_view, scope=scope)

    @strawberry.field(description="The score over the whole window, distribution included.")
    def score(self, info: Info[Context, None]) -> Score:
        ctx, scope = info.context, self.scope
        total = read_histogram(ctx.session, service_id=scope.service_id, question=scope.question,
                               window=Window(scope.start, scope.end), wording_version=scope.wording_version,
                               channel_id=scope.channel_id)
        stats = summarise(total, publication_threshold=ctx.settings.publication_threshold)
        record = ScoreRecord(scope.service_id, scope.question.id, scope.wording_version,
                             Window(scope.start, scope.end), stats)
        return Score.from_record(record, reveal_unpublished=not self.public_view)

    @strawberry.field(description="The time series in local calendar buckets (Europe/Helsinki), at most 2000 "
                                  "buckets. Hourly buckets are not offered in the public view.")
    def series(self, info: Info[Context, None], granularity: Annotated[
            GranularityEnum, strawberry.argument(description="Bucket size; default WEEK.")  # type: ignore[valid-type]
    ] = Granularity.WEEK) -> list[SeriesPoint]:
        ctx = info.context
        if self.public_view and granularity is Granularity.HOUR:
            raise DomainError(ScoresCode.GRANULARITY_NOT_PUBLIC,
                              "Hourly buckets are not published; use DAY or coarser.")
        points = analytics.score_series(ctx.session, self.scope, granularity,
                                        publication_threshold=ctx.settings.publication_threshold)
        return [SeriesPoint.from_point(p, reveal=not self.public_view) for p in points]

    @strawberry.field(description="Volume and score by local weekday and hour (rush peaks).")
    def heatmap(self, info: Info[Context, None]) -> Heatmap:
        ctx = info.context
        cells = analytics.rush_heatmap(ctx.session, self.scope,
                                       publication_threshold=ctx.settings.publication_threshold)
        top = peak(c for c in cells if c.stats.published or not self.public_view)
        reveal = not self.public_view
        return Heatmap(time_zone=LOCAL_TIME_ZONE.key, cells=[HeatmapCell.from_cell(c, reveal=reveal) for c in cells],
                       peak=HeatmapCell.from_cell(top, reveal=reveal) if top else None)

    @strawberry.field(description="Follow-up drivers chosen in the window: what went well and what did not "
                                  "(hidden like the score below the publication threshold).")
    def drivers(self, info: Info[Context, None]) -> DriverSummary:
        scope = self.scope
        return driver_summary(info.context, scope.service_id, scope.question.id, Window(scope.start, scope.end),
                              channel_id=scope.channel_id, wording_version=scope.wording_version)

    @strawberry.field(description="The service's change events, newest first, each with its before/after impact "
                                  "on this question (public events only in the public view).")
    def events(self, info: Info[Context, None], impact_window_days: Annotated[int, strawberry.argument(
            description="Days in each of the equal before and after windows (1–365).")] = 28) -> list[ServiceEvent]:
        ctx, scope = info.context, self.scope
        rows = events.list_events(ctx.session, service_ids=[scope.service_id], public_only=self.public_view,
                                  limit=MAX_EVENTS)
        return with_impacts(ctx, rows, scope.question, scope.wording_version, impact_window_days,
                            public_view=self.public_view)

    @strawberry.field(description="How the service compares with its peers over the same window.")
    def peers(self, info: Info[Context, None], scope: Annotated[
            PeerScopeEnum, strawberry.argument(description="The peer group; default NATIONAL.")  # type: ignore[valid-type]
    ] = analytics.PeerScope.NATIONAL) -> PeerComparison:
        own = self.scope
        return compare(info.context, own.question, own.wording_version, Window(own.start, own.end), scope,
                       group=None, peer_of=own.service_id)


def with_impacts(ctx: Context, rows: list[ServiceEventRow], question: Question, wording_version: int,
                 window_days: int, *, public_view: bool) -> list[ServiceEvent]:
    """Events as GraphQL objects with their impacts (published figures only in the public view)."""
    threshold = ctx.settings.publication_threshold
    impacts = analytics.event_impacts(ctx.session, rows, question=question, wording_version=wording_version,
                                      window_days=window_days, now=ctx.now,
                                      minimum_count=threshold if public_view else 2)
    reveal = not public_view
    return [ServiceEvent.from_model(
        row, ChangeImpact.from_impact(i, reveal=reveal, threshold=threshold),
        [DriverChangeImpact.from_impact(d, reveal=reveal, threshold=threshold) for d in analytics.event_driver_impacts(
            ctx.session, row, i, question=question, wording_version=wording_version,
            minimum_count=threshold if public_view else 2)])
        for row, i in zip(rows, impacts, strict=True)]


def compare(ctx: Context, question: Question, wording_version: int, window: Window,
            scope: analytics.PeerScope, *, group: str | None, peer_of: str | None) -> PeerComparison:
    """The peer comparison as a GraphQL object."""
    result = analytics.peer_comparison(ctx.session, question=question, wording_version=wording_version,
                                       start=window.start, end=window.end, scope=scope, group=group,
                                       peer_of=peer_of, publication_threshold=ctx.settings.publication_threshold,
                                       prior_weight=ctx.settings.ranking_prior_weight)
    metric = result.ranking.metric
    entries = [PeerEntry.from_entry(e, result.profiles.get(e.service_id), metric) for e in result.ranking.entries]
    focus = next((e for e in entries if e.service_id == peer_of), None)
    return PeerComparison(question_id=strawberry.ID(question.id), wording_version=wording_version, scope=scope,
                          group=result.group, window_from=window.start, window_to=window.end, metric=metric,
                          prior_mean=result.ranking.prior_mean, prior_weight=result.ranking.prior_weight,
                          ranked_count=result.ranking.ranked_count, entries=entries, focus=focus)


def _scope(info: Info[Context, None], service_id: str, question_id: str, window: Window,
           channel_id: str | None = None, wording_version: int | None = None) -> analytics.Scope:
    service = get_service(info, service_id)
    question = reading.get_question(info.context.session, question_id)
    return analytics.Scope(service.id, question, wording_version or question.current_version, window.start,
                           window.end, channel_id)


def _organisation_names(ctx: Context) -> dict[str, tuple[str, str | None, str | None]]:
    rows = ctx.session.scalars(select(models.Organisation))
    return {o.business_id: (o.name_fi, o.name_sv, o.name_en) for o in rows}


def _alert_services(ctx: Context, organisation_id: str | None, service_id: str | None) -> list[str]:
    principal = ctx.require(Role.ORGANISATION, Role.ADMIN)
    if principal.role is Role.ORGANISATION:
        own = ctx.require_organisation()
        if organisation_id is not None and normalise_business_id(organisation_id) != own:
            raise Forbidden("An organisation sees only its own alerts: leave out organisationId.")
        organisation_id = own
    services = reading.organisation_services(ctx.session, normalise_business_id(organisation_id)) \
        if organisation_id else None
    if service_id is not None:
        key = normalise_guid(service_id, "Service")
        if services is not None and key not in services:
            raise Forbidden(f"Service {key} is not one of organisation {organisation_id}'s services.",
                            code=AuthCode.NOT_YOUR_SERVICE)
        return [key]
    if services is None:
        raise DomainError(AnalyticsCode.SCOPE_REQUIRED, "An admin must name an organisationId or a serviceId.")
    return services


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="Analytics of a service's question over a window (needs a token). The "
                                  "organisations registered for the service and admins also see figures below "
                                  "the publication threshold and internal change events.")
    def service_analytics(
        self, info: Info[Context, None],
        service_id: Annotated[strawberry.ID, strawberry.argument(description="The service's PTV id.")],
        question_id: QuestionArg = DEFAULT_QUESTION, window_from: FromArg = None, window_to: ToArg = None,
        last_days: LastDaysArg = None,
        channel_id: Annotated[strawberry.ID | None, strawberry.argument(description="One channel only.")] = None,
        wording_version: Annotated[int | None, strawberry.argument(
            description="Default: the question's current wording.")] = None,
    ) -> ServiceAnalytics:
        ctx = info.context
        ctx.require(*Role)
        window = caller_window(ctx, window_from, window_to, last_days)
        scope = _scope(info, service_id, question_id, window, channel_id, wording_version)
        reveal = ctx.may_see_unpublished(organisations_of(ctx.session, scope.service_id))
        return ServiceAnalytics.of(scope, public_view=not reveal)

    @strawberry.field(description="The public analytics of a service (no token): the last 365 days, published "
                                  "figures and public change events only.")
    def public_service_analytics(
        self, info: Info[Context, None],
        service_id: Annotated[strawberry.ID, strawberry.argument(description="The service's PTV id.")],
        question_id: QuestionArg = DEFAULT_QUESTION,
    ) -> ServiceAnalytics:
        scope = _scope(info, service_id, question_id, public_window(info.context.now))
        return ServiceAnalytics.of(scope, public_view=True)

    @strawberry.field(description="Rank services on a question nationally or within a peer group, with means "
                                  "shrunk toward the national mean and intervals; services below the publication "
                                  "threshold are listed as not ranked. No token needed (the public window).")
    def service_comparison(
        self, info: Info[Context, None], question_id: QuestionArg = DEFAULT_QUESTION,
        scope: Annotated[PeerScopeEnum, strawberry.argument(  # type: ignore[valid-type]
            description="The peer group's kind; default NATIONAL.")] = analytics.PeerScope.NATIONAL,
        group: Annotated[str | None, strawberry.argument(
            description="The service class or organisation type (default: that of peerOf).")] = None,
        peer_of: Annotated[strawberry.ID | None, strawberry.argument(
            description="A service to place among its peers (its entry is `focus`).")] = None,
        window_from: FromArg = None, window_to: ToArg = None, last_days: LastDaysArg = None,
    ) -> PeerComparison:
        ctx = info.context
        window = caller_window(ctx, window_from, window_to, last_days)
        question = reading.get_question(ctx.session, question_id)
        focus = normalise_guid(peer_of, "Service") if peer_of else None
        return compare(ctx, question, question.current_version, window, scope, group=group, peer_of=focus)

    @strawberry.field(description="Volume-weighted summaries per organisation: the pooled answers of each "
                                  "organisation's published services. No token needed (the public window).")
    def organisation_summaries(
        self, info: Info[Context, None], question_id: QuestionArg = DEFAULT_QUESTION,
        organisation_type: Annotated[str | None, strawberry.argument(
            description="Only organisations of this PTV type, e.g. Municipality.")] = None,
        window_from: FromArg = None, window_to: ToArg = None, last_days: LastDaysArg = None,
    ) -> list[OrganisationSummary]:
        ctx = info.context
        window = caller_window(ctx, window_from, window_to, last_days)
        question = reading.get_question(ctx.session, question_id)
        summaries = analytics.organisation_summaries(
            ctx.session, question=question, wording_version=question.current_version, start=window.start,
            end=window.end, publication_threshold=ctx.settings.publication_threshold,
            organisation_type=organisation_type)
        names = _organisation_names(ctx)
        return [OrganisationSummary(
            organisation_id=s.organisation_id, services=s.services, published_services=s.published_services,
            published=s.stats.published, count=s.stats.count if s.stats.published else None,
            mean=s.stats.mean if s.stats.published else None,
            interval=Interval.from_stats(s.stats.mean_interval) if s.stats.published else None,
            nps=s.stats.nps if s.stats.published else None,
            nps_band=nps_band_of(s.stats.nps) if s.stats.published else None,
            names=names.get(s.organisation_id, (s.organisation_id, None, None))) for s in summaries]

    @strawberry.field(description="Unexpected rises and drops of the organisation's services, detected from the "
                                  "last year of daily means (ORGANISATION: its own services; ADMIN: name an "
                                  "organisationId or serviceId). Computed on demand from the rollups.")
    def alerts(
        self, info: Info[Context, None],
        organisation_id: Annotated[str | None, strawberry.argument(
            description="Business ID (admins; organisations may only give their own).")] = None,
        service_id: Annotated[strawberry.ID | None, strawberry.argument(description="One service only.")] = None,
        question_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="One question only (default: every question with answers).")] = None,
        last_days: Annotated[int, strawberry.argument(
            description="Alerts detected in the last N days (1–365); default 90.")] = 90,
    ) -> list[Alert]:
        ctx = info.context
        services = _alert_services(ctx, organisation_id, service_id)
        policy = CusumPolicy()
        found = analytics.organisation_alerts(ctx.session, services, now=ctx.now, last_days=last_days,
                                              question_id=question_id, policy=policy)
        return [Alert.from_alert(a, policy.threshold) for a in found]
