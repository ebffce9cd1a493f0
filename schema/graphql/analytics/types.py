"""GraphQL types of the analytics (series, heatmap, drivers, change events, alerts, comparison), built from the
domain's frozen dataclasses by explicit ``from_*`` converters that hide what the caller may not see."""

from __future__ import annotations

import datetime as dt

import strawberry

from federation.analytics import alerts, change, comparison, series, significance
from federation.analytics import heatmap as heatmap_maths
from federation.analytics import service as analytics
from federation.analytics.events import event_drivers, event_theme_keys
from federation.analytics.models import ServiceEvent as ServiceEventRow
from federation.analytics.reading import ServiceProfile
from federation.scores.ranking import Metric
from federation.scores.stats import Histogram, ScoreStats
from schema.graphql.locale import Locale, pick
from schema.graphql.scores import Interval, NpsBandType, nps_band_of

GranularityEnum = strawberry.enum(series.Granularity, name="Granularity",
                                  description="The calendar period of one time-series bucket, in Finnish local "
                                              "time (Europe/Helsinki); weeks start on Monday.")
PeerScopeEnum = strawberry.enum(analytics.PeerScope, name="PeerScope",
                                description="Whom a service is compared with: every service, services of the "
                                            "same service class, or of the same organisation type.")
DirectionEnum = strawberry.enum(alerts.Direction, name="ChangeDirection",
                                description="Whether a detected change raised or lowered the score.")
ImpactStatusEnum = strawberry.enum(change.ImpactStatus, name="ImpactStatus",
                                   description="COMPLETE: both full windows; PARTIAL: the after window is still "
                                               "running (both shortened to equal length); PENDING: not in effect "
                                               "yet; INSUFFICIENT_DATA: too few answers to compare.")
TestEnum = strawberry.enum(significance.TestKind, name="SignificanceTest",
                           description="WELCH_T: Welch's t-test on means; TWO_PROPORTION_Z: z-test on yes-shares; "
                                       "NPS_Z: z-test on the NPS difference.")

_T = dt.datetime


def _headline(stats: ScoreStats, show: bool) -> tuple[float | None, Interval | None]:
    if not show:
        return None, None
    value, interval = series.headline(stats)
    return value, Interval.from_stats(interval)


@strawberry.type(description="One bucket of a time series. Figures are null when the bucket has no answers, and "
                             "for callers who may not see unpublished figures, also when `published` is false.")
class SeriesPoint:
    bucket_from: _T = strawberry.field(name="from", description="Bucket start (inclusive, UTC).")
    bucket_to: _T = strawberry.field(name="to", description="Bucket end (exclusive, UTC).")
    label: str = strawberry.field(description="Local calendar label: 2026-03-16T09:00+02:00, 2026-03-16, "
                                              "2026-W12, 2026-03 or 2026-Q1.")
    partial: bool = strawberry.field(description="Whether the window cut the bucket short.")
    published: bool = strawberry.field(description="Whether the bucket's n reached the publication threshold.")
    count: int | None = strawberry.field(description="Answers in the bucket.")
    skipped: int | None = strawberry.field(description="Skipped exposures in the bucket.")
    value: float | None = strawberry.field(description="The headline metric (mean, NPS or yes-share).")
    interval: Interval | None = strawberry.field(description="95 % interval of `value`.")
    mean: float | None = strawberry.field(description="Mean answer value.")

    @classmethod
    def from_point(cls, point: series.SeriesPoint, *, reveal: bool) -> SeriesPoint:
        """The GraphQL point; figures hidden unless published or revealed."""
        s, b = point.stats, point.bucket
        show = s.published or reveal
        value, interval = _headline(s, show)
        return cls(bucket_from=b.start, bucket_to=b.end, label=b.label, partial=b.partial, published=s.published,
                   count=s.count if show else None, skipped=s.skipped if show else None, value=value,
                   interval=interval, mean=s.mean if show else None)


@strawberry.type(description="One weekday × hour cell (local time) of the rush heatmap.")
class HeatmapCell:
    weekday: int = strawberry.field(description="ISO weekday, 1 = Monday … 7 = Sunday (local time).")
    hour: int = strawberry.field(description="Local hour of day, 0–23.")
    occurrences: int = strawberry.field(description="How many such local hours the window holds.")
    published: bool = strawberry.field(description="Whether the cell's n reached the publication threshold.")
    count: int | None = strawberry.field(description="Answers in the cell (volume).")
    exposures: int | None = strawberry.field(description="Answers plus skips in the cell.")
    average_count: float | None = strawberry.field(description="Answers per occurrence of this weekday-hour.")
    value: float | None = strawberry.field(description="The headline metric in the cell.")
    interval: Interval | None = strawberry.field(description="95 % interval of `value`.")

    @classmethod
    def from_cell(cls, cell: heatmap_maths.HeatmapCell, *, reveal: bool) -> HeatmapCell:
        """The GraphQL cell; figures hidden unless published or revealed."""
        show = cell.stats.published or reveal
        value, interval = _headline(cell.stats, show)
        return cls(weekday=cell.weekday, hour=cell.hour, occurrences=cell.occurrences, published=cell.stats.published,
                   count=cell.count if show else None, exposures=cell.exposures if show else None,
                   average_count=cell.average_count if show else None, value=value, interval=interval)


@strawberry.type(description="Volume and score by local weekday and hour, for rush-peak analysis.")
class Heatmap:
    time_zone: str = strawberry.field(description="The time zone of weekdays and hours (Europe/Helsinki).")
    cells: list[HeatmapCell] = strawberry.field(description="All 168 cells, Monday 0:00 first.")
    peak: HeatmapCell | None = strawberry.field(description="The visible cell with the most answers.")


@strawberry.type(description="A service change's before/after difference in the headline metric over equal "
                             "windows, with its 95 % interval and a significance test. Not a causal effect.")
class ChangeImpact:
    status: ImpactStatusEnum = strawberry.field(description="How far it could be computed.")  # type: ignore[valid-type]
    before_from: _T | None = strawberry.field(description="Start of the before window.")
    change_at: _T | None = strawberry.field(description="The change's moment: local midnight of its date (UTC).")
    after_to: _T | None = strawberry.field(description="End of the after window.")
    before_count: int | None = strawberry.field(description="Answers in the before window.")
    after_count: int | None = strawberry.field(description="Answers in the after window.")
    before: float | None = strawberry.field(description="Headline metric before.")
    after: float | None = strawberry.field(description="Headline metric after.")
    difference: float | None = strawberry.field(description="after − before.")
    interval: Interval | None = strawberry.field(description="95 % interval of the difference.")
    test: TestEnum | None = strawberry.field(description="The test used.")  # type: ignore[valid-type]
    statistic: float | None = strawberry.field(description="The test statistic (t or z).")
    degrees_of_freedom: float | None = strawberry.field(description="Welch–Satterthwaite df (WELCH_T only).")
    p_value: float | None = strawberry.field(description="Two-sided p-value.")
    significant: bool | None = strawberry.field(description="Whether p < 0.05.")

    @classmethod
    def from_impact(cls, impact: change.Impact, *, reveal: bool, threshold: int) -> ChangeImpact:
        """The GraphQL impact; window counts under the threshold hidden unless revealed."""
        w, d = impact.windows, impact.difference

        def count(histogram: Histogram | None) -> int | None:
            visible = histogram is not None and (reveal or histogram.count >= threshold)
            return histogram.count if histogram is not None and visible else None

        return cls(status=impact.status, before_from=w.before_start if w else None, change_at=w.change if w else None,
                   after_to=w.after_end if w else None, before_count=count(impact.before),
                   after_count=count(impact.after), before=d.before if d else None, after=d.after if d else None,
                   difference=d.difference if d else None, interval=Interval.from_stats(d.interval) if d else None,
                   test=d.test if d else None, statistic=d.statistic if d else None,
                   degrees_of_freedom=d.degrees_of_freedom if d else None, p_value=d.p_value if d else None,
                   significant=d.significant() if d else None)


@strawberry.type(description="The before/after test of one driver a change cites: its share among the "
                             "improvement answers (NEGATIVE and NEUTRAL bands, whose follow-up asks what to "
                             "improve) in the same windows as the score's impact; two-proportion z-test. A fix that "
                             "worked lowers the share.")
class DriverChangeImpact:
    driver: str = strawberry.field(description="The driver code cited.")
    status: ImpactStatusEnum = strawberry.field(description="How far it could be computed.")  # type: ignore[valid-type]
    before_answers: int | None = strawberry.field(description="Improvement answers in the before window.")
    after_answers: int | None = strawberry.field(description="Improvement answers in the after window.")
    before_cited: int | None = strawberry.field(description="Of those before, answers citing the driver "
                                                            "(organisations' own view only).")
    after_cited: int | None = strawberry.field(description="Of those after, answers citing the driver "
                                                           "(organisations' own view only).")
    before: float | None = strawberry.field(description="Share citing the driver before, 0–1.")
    after: float | None = strawberry.field(description="Share citing the driver after, 0–1.")
    difference: float | None = strawberry.field(description="after − before.")
    interval: Interval | None = strawberry.field(description="95 % interval of the difference (Newcombe).")
    p_value: float | None = strawberry.field(description="Two-sided p-value.")
    significant: bool | None = strawberry.field(description="Whether p < 0.05.")

    @classmethod
    def from_impact(cls, impact: change.DriverImpact, *, reveal: bool, threshold: int) -> DriverChangeImpact:
        """The GraphQL view; answer counts under the threshold and the cited counts hidden unless revealed."""
        d = impact.difference

        def shown(count: int | None) -> int | None:
            return count if count is not None and (reveal or count >= threshold) else None

        return cls(driver=impact.driver, status=impact.status, before_answers=shown(impact.before_answers),
                   after_answers=shown(impact.after_answers),
                   before_cited=impact.before_cited if reveal else None,
                   after_cited=impact.after_cited if reveal else None, before=d.before if d else None,
                   after=d.after if d else None, difference=d.difference if d else None,
                   interval=Interval.from_stats(d.interval) if d else None, p_value=d.p_value if d else None,
                   significant=d.significant() if d else None)


@strawberry.type(description="A change an organisation made to a service. Public ones form the \"you said, we "
                             "did\" log published with the scores; internal ones are seen only by its organisations.")
class ServiceEvent:
    id: strawberry.ID = strawberry.field(description="The event's id.")
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    organisation_id: str = strawberry.field(description="Business ID of the organisation that recorded it.")
    occurred_on: dt.date = strawberry.field(description="The local date the change took effect.")
    public: bool = strawberry.field(description="Whether it is published in the \"you said, we did\" log.")
    created_at: _T = strawberry.field(description="When it was recorded.")
    impact: ChangeImpact | None = strawberry.field(description="Its before/after impact on the question asked "
                                                               "about (null where not computed).")
    drivers: list[str] = strawberry.field(description="The drivers the change answers (codes, e.g. staff).")
    theme_keys: list[str] | None = strawberry.field(description="Keys of the feedback themes the change answers; "
                                                                "null when none were given.")
    driver_impacts: list[DriverChangeImpact] = strawberry.field(description="For each cited driver, the "
                                                                            "before/after test of its share among "
                                                                            "the improvement answers.")
    descriptions: strawberry.Private[tuple[str, str | None, str | None]]

    @strawberry.field(description="What changed, in the given language (falls back to Finnish).")
    def description(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.descriptions)

    @classmethod
    def from_model(cls, row: ServiceEventRow, impact: ChangeImpact | None = None,
                   driver_impacts: list[DriverChangeImpact] | None = None) -> ServiceEvent:
        """The GraphQL view of an event row."""
        themes = event_theme_keys(row)
        return cls(id=strawberry.ID(str(row.id)), service_id=strawberry.ID(row.service_id),
                   organisation_id=row.organisation_id, occurred_on=row.occurred_on, public=row.public,
                   created_at=row.created_at, impact=impact, drivers=list(event_drivers(row)),
                   theme_keys=list(themes) if themes is not None else None, driver_impacts=driver_impacts or [],
                   descriptions=(row.description_fi, row.description_sv, row.description_en))


@strawberry.type(description="An unexpected rise or drop of a service's score, found by a two-sided CUSUM on "
                             "standardised daily means (designed for at most one false alarm per service and "
                             "question a year).")
class Alert:
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    question_id: strawberry.ID = strawberry.field(description="The question.")
    direction: DirectionEnum = strawberry.field(description="Rise or drop.")  # type: ignore[valid-type]
    started_on: dt.date = strawberry.field(description="Estimated first local day of the new level.")
    detected_on: dt.date = strawberry.field(description="The local day the detector raised the alarm.")
    reference_mean: float = strawberry.field(description="Mean before the change.")
    reference_count: int = strawberry.field(description="Answers behind referenceMean.")
    shifted_mean: float = strawberry.field(description="Mean from startedOn to detectedOn.")
    shifted_count: int = strawberry.field(description="Answers behind shiftedMean.")
    statistic: float = strawberry.field(description="The CUSUM value that crossed the threshold.")
    threshold: float = strawberry.field(description="The CUSUM threshold h.")

    @classmethod
    def from_alert(cls, alert: analytics.Alert, threshold: float) -> Alert:
        """The GraphQL alert."""
        p = alert.change_point
        return cls(service_id=strawberry.ID(alert.service_id), question_id=strawberry.ID(alert.question_id),
                   direction=p.direction, started_on=p.started_on, detected_on=p.detected_on,
                   reference_mean=p.reference_mean, reference_count=p.reference_count,
                   shifted_mean=p.shifted_mean, shifted_count=p.shifted_count, statistic=p.statistic,
                   threshold=threshold)


@strawberry.type(description="One service in a comparison. Services below the publication threshold are not "
                             "ranked and show no figures.")
class PeerEntry:
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    organisation_id: str | None = strawberry.field(description="Its (first) organisation's business ID.")
    ranked: bool = strawberry.field(description="Whether it has enough answers to be ranked.")
    rank: int | None = strawberry.field(description="1-based rank; services whose intervals overlap share one.")
    shrunk_mean: float | None = strawberry.field(description="Mean shrunk toward the national mean (questions "
                                                             "ranked by MEAN; null when ranked by NPS).")
    shrunk_nps: float | None = strawberry.field(description="NPS shrunk toward the national NPS (NPS_11 questions, "
                                                            "ranked by NPS).")
    nps_band: NpsBandType | None = strawberry.field(description="Interpretation band of shrunkNps.")  # type: ignore[valid-type]
    interval: Interval | None = strawberry.field(description="95 % interval of the ranking metric (shrunkMean or "
                                                             "shrunkNps).")
    count: int | None = strawberry.field(description="Answers (ranked services only).")
    percentile: float | None = strawberry.field(description="Share (0–100) of the other ranked peers with a lower "
                                                            "ranking metric, equal ones counting half.")
    names: strawberry.Private[tuple[str, str | None, str | None]]

    @strawberry.field(description="The service's name in the given language (falls back to Finnish).")
    def name(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.names)

    @classmethod
    def from_entry(cls, entry: comparison.PeerEntry, profile: ServiceProfile | None,
                   metric: Metric = Metric.MEAN) -> PeerEntry:
        """The GraphQL entry; figures only when ranked, in the field of the ranking's metric."""
        r = entry.ranked
        nps = r.shrunk_mean if r and metric is Metric.NPS else None
        return cls(service_id=strawberry.ID(entry.service_id),
                   organisation_id=profile.organisation_id if profile else None, ranked=r is not None,
                   rank=r.rank if r else None, shrunk_mean=r.shrunk_mean if r and metric is Metric.MEAN else None,
                   shrunk_nps=nps, nps_band=nps_band_of(nps),
                   interval=Interval.from_stats(r.interval) if r else None, count=r.count if r else None,
                   percentile=entry.percentile, names=profile.names if profile else (entry.service_id, None, None))


RankingMetricEnum = strawberry.enum(Metric, name="RankingMetric", description="What a comparison ranks by: MEAN, "
                                    "or NPS for NPS_11 questions (federation/scores/ranking.py).")


@strawberry.type(description="A fair comparison of services on one question over a window: means (NPS for NPS "
                             "questions) shrunk toward the national value (Bayesian average) with intervals; small "
                             "services not ranked.")
class PeerComparison:
    question_id: strawberry.ID = strawberry.field(description="The question compared.")
    wording_version: int = strawberry.field(description="The wording version compared.")
    scope: PeerScopeEnum = strawberry.field(description="The peer group's kind.")  # type: ignore[valid-type]
    group: str | None = strawberry.field(description="The service class or organisation type; null nationally.")
    window_from: _T = strawberry.field(name="from", description="Window start (inclusive).")
    window_to: _T = strawberry.field(name="to", description="Window end (exclusive).")
    metric: RankingMetricEnum = strawberry.field(description="What services are ranked by: the mean, or for "  # type: ignore[valid-type]
                                                             "NPS_11 questions the NPS.")
    prior_mean: float = strawberry.field(description="The national value of the ranking metric the figures are "
                                                     "shrunk toward: the national mean, or the national NPS.")
    prior_weight: float = strawberry.field(description="The prior's weight, in virtual answers.")
    ranked_count: int = strawberry.field(description="How many services are ranked.")
    entries: list[PeerEntry] = strawberry.field(description="Ranked services best first, then the not ranked.")
    focus: PeerEntry | None = strawberry.field(description="The entry of the service compared (peerOf), if any.")


@strawberry.type(description="An organisation's volume-weighted score: its published services' answers pooled.")
class OrganisationSummary:
    organisation_id: str = strawberry.field(description="Business ID.")
    services: int = strawberry.field(description="Its services with answers in the window.")
    published_services: int = strawberry.field(description="Of those, services that reached the threshold.")
    published: bool = strawberry.field(description="Whether the pooled n reached the threshold.")
    count: int | None = strawberry.field(description="Answers pooled.")
    mean: float | None = strawberry.field(description="Volume-weighted mean (pooled).")
    interval: Interval | None = strawberry.field(description="95 % interval of the mean.")
    nps: float | None = strawberry.field(description="Pooled Net Promoter Score (NPS_11 questions only).")
    nps_band: NpsBandType | None = strawberry.field(description="Interpretation band of the pooled NPS.")  # type: ignore[valid-type]
    names: strawberry.Private[tuple[str, str | None, str | None]]

    @strawberry.field(description="The organisation's name in the given language (falls back to Finnish).")
    def name(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.names)
