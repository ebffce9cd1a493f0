"""Analytics use cases: read the rollups once per request, then hand the rows to the pure maths.

Alerts are computed on demand from the rollups (not stored by a batch job): they are then always consistent with
the rollups — late answers and erasures included — and cost one query over a year of the organisation's services'
rollups, grouped by service, question and local day in SQL (rows: services × questions × 366 at most).
The functions take ``now`` and the thresholds; nothing here reads settings or commits.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from federation.analytics import alerts, change, reading
from federation.analytics.comparison import (
    OrganisationSummary,
    PeerRanking,
    national_prior,
    rank_peers,
    summarise_organisations,
)
from federation.analytics.events import event_drivers
from federation.analytics.heatmap import HeatmapCell, heatmap
from federation.analytics.models import ServiceEvent
from federation.analytics.series import (
    LOCAL_TIME_ZONE,
    DayCounts,
    Granularity,
    HourCounts,
    SeriesPoint,
    buckets,
    daily_histograms,
    hourly_series,
    series,
)
from federation.battery.models import Question
from federation.errors import AnalyticsCode, DomainError, ScoresCode
from federation.rollups.reading import read_driver_counts
from federation.scores.ranking import Metric, metric_of
from federation.scores.stats import Histogram

ALERT_HISTORY_DAYS = 365


@dataclass(frozen=True)
class Scope:
    """What an analysis reads: one service's question under one wording, over [start, end), maybe one channel."""

    service_id: str
    question: Question
    wording_version: int
    start: dt.datetime
    end: dt.datetime
    channel_id: str | None = None

    def hours(self, session: Session) -> list[HourCounts]:
        """The scope's hour rows."""
        return reading.read_hours(session, service_id=self.service_id, question_id=self.question.id,
                                  wording_version=self.wording_version, start=self.start, end=self.end,
                                  channel_id=self.channel_id)

    def days(self, session: Session) -> list[DayCounts]:
        """The scope's local-day rows."""
        return reading.read_days(session, service_id=self.service_id, question_id=self.question.id,
                                 wording_version=self.wording_version, start=self.start, end=self.end,
                                 channel_id=self.channel_id)


def score_series(session: Session, scope: Scope, granularity: Granularity, *,
                 publication_threshold: int) -> list[SeriesPoint]:
    """The scope's time series in local calendar buckets (hour rows for HOUR, local-day rows otherwise)."""
    scale = scope.question.scale
    try:
        if granularity is Granularity.HOUR:
            buckets(scope.start, scope.end, granularity)  # refuse too many buckets before reading
            return hourly_series(scope.hours(session), scale, scope.start, scope.end,
                                 publication_threshold=publication_threshold)
        return series(scope.days(session), scale, scope.start, scope.end, granularity,
                      publication_threshold=publication_threshold)
    except ValueError as error:
        raise DomainError(AnalyticsCode.TOO_MANY_POINTS, str(error)) from None


def rush_heatmap(session: Session, scope: Scope, *, publication_threshold: int) -> list[HeatmapCell]:
    """The scope's weekday × hour heatmap."""
    cells = reading.read_cells(session, service_id=scope.service_id, question_id=scope.question.id,
                               wording_version=scope.wording_version, start=scope.start, end=scope.end,
                               channel_id=scope.channel_id)
    return heatmap(cells, scope.question.scale, scope.start, scope.end, publication_threshold=publication_threshold)


def event_impacts(session: Session, events: Sequence[ServiceEvent], *, question: Question, wording_version: int,
                  window_days: int, now: dt.datetime, minimum_count: int) -> list[change.Impact]:
    """Each event's before/after impact on the question (one conditional-sum query per event in effect)."""
    impacts = []
    for event in events:
        try:
            windows = change.impact_windows(event.occurred_on, window_days=window_days, now=now)
        except ValueError as error:
            raise DomainError(ScoresCode.WINDOW_OUT_OF_RANGE, str(error)) from None
        if windows is None:
            impacts.append(change.impact(None, None, None))
            continue
        before, after = reading.read_split(session, service_id=event.service_id, question=question,
                                           wording_version=wording_version, start=windows.before_start,
                                           split=windows.change, end=windows.after_end)
        impacts.append(change.impact(windows, before, after, minimum_count=minimum_count))
    return impacts


def event_driver_impacts(session: Session, event: ServiceEvent, impact: change.Impact, *, question: Question,
                         wording_version: int, minimum_count: int) -> list[change.DriverImpact]:
    """The before/after test of each driver the event cites (``federation/analytics/change.py``), in the same
    windows as its score ``impact``; two driver-rollup reads when the event cites any and is in effect."""
    drivers = event_drivers(event)
    windows = impact.windows
    if not drivers or windows is None:
        return [change.driver_impact(d, impact, cited_before=0, cited_after=0) for d in drivers]
    counts = [read_driver_counts(session, service_id=event.service_id, question_id=question.id,
                                 wording_version=wording_version, start=start, end=end)
              for start, end in ((windows.before_start, windows.change), (windows.change, windows.after_end))]

    def cited(driver: str, window: int) -> int:
        return sum(counts[window].counts.get(band, {}).get(driver, 0) for band in change.IMPROVEMENT_BANDS)

    return [change.driver_impact(d, impact, cited_before=cited(d, 0), cited_after=cited(d, 1),
                                 minimum_count=minimum_count) for d in drivers]


@dataclass(frozen=True)
class Alert:
    """A change point of one service's question."""

    service_id: str
    question_id: str
    change_point: alerts.ChangePoint


def organisation_alerts(session: Session, service_ids: Sequence[str], *, now: dt.datetime, last_days: int,
                        question_id: str | None = None,
                        policy: alerts.CusumPolicy | None = None) -> list[Alert]:
    """Alarms detected in the last ``last_days`` days, from a year of daily histograms, newest first."""
    if not 1 <= last_days <= ALERT_HISTORY_DAYS:
        raise DomainError(ScoresCode.WINDOW_OUT_OF_RANGE, f"lastDays must be 1–{ALERT_HISTORY_DAYS}.")
    today = now.astimezone(LOCAL_TIME_ZONE).date()
    start = dt.datetime.combine(today - dt.timedelta(days=ALERT_HISTORY_DAYS), dt.time(0),
                                tzinfo=LOCAL_TIME_ZONE).astimezone(dt.UTC)
    end = now.astimezone(dt.UTC)
    rows = reading.read_days_by_service(session, service_ids=service_ids, start=start, end=end,
                                        question_id=question_id)
    scales = {q: reading.get_question(session, q).scale for q in {key[1] for key in rows}}
    found: list[Alert] = []
    for (service_id, qid), day_rows in sorted(rows.items()):
        days = daily_histograms(day_rows, scales[qid], start, end)
        for point in alerts.detect(days, policy).change_points:
            if point.detected_on > today - dt.timedelta(days=last_days):
                found.append(Alert(service_id, qid, point))
    return sorted(found, key=lambda a: (a.change_point.detected_on, a.service_id, a.question_id), reverse=True)


class PeerScope(enum.Enum):
    """Whom a service is compared with."""

    NATIONAL = "NATIONAL"
    SERVICE_CLASS = "SERVICE_CLASS"
    ORGANISATION_TYPE = "ORGANISATION_TYPE"


@dataclass(frozen=True)
class PeerComparison:
    """A ranking of one peer group, with the profiles of its services and the group's name."""

    scope: PeerScope
    group: str | None
    ranking: PeerRanking
    profiles: dict[str, reading.ServiceProfile]


def _group_of(profile: reading.ServiceProfile, scope: PeerScope) -> str | None:
    if scope is PeerScope.SERVICE_CLASS:
        return profile.service_class
    if scope is PeerScope.ORGANISATION_TYPE:
        return profile.organisation_type
    return None


def _peer_group(profiles: dict[str, reading.ServiceProfile], scope: PeerScope, group: str | None,
                peer_of: str | None) -> str | None:
    if scope is PeerScope.NATIONAL or group is not None:
        return group
    if peer_of is None or peer_of not in profiles:
        raise DomainError(AnalyticsCode.PEER_GROUP_REQUIRED,
                          f"{scope.value} needs `group` or a known `peerOf` service.")
    found = _group_of(profiles[peer_of], scope)
    if found is None:
        what = "service class" if scope is PeerScope.SERVICE_CLASS else "organisation type"
        raise DomainError(AnalyticsCode.NO_PEER_GROUP, f"service {peer_of} has no {what}; compare NATIONAL instead.")
    return found


def peer_comparison(session: Session, *, question: Question, wording_version: int, start: dt.datetime,
                    end: dt.datetime, scope: PeerScope, publication_threshold: int, prior_weight: float,
                    group: str | None = None, peer_of: str | None = None) -> PeerComparison:
    """Rank the peer group's services on the question, shrunk toward the national mean of the window."""
    profiles = reading.service_profiles(session)
    chosen = _peer_group(profiles, scope, group, peer_of)
    histograms = reading.read_service_histograms(session, question=question, wording_version=wording_version,
                                                 start=start, end=end)
    scale = question.scale
    metric = metric_of(scale)
    prior = national_prior(histograms.values(), metric)
    middle = 0.0 if metric is Metric.NPS else (scale.minimum + scale.maximum) / 2
    prior_mean = prior if prior is not None else middle
    members = [sid for sid, p in profiles.items() if chosen is None or _group_of(p, scope) == chosen]
    candidates = [(sid, histograms.get(sid, Histogram.empty(scale))) for sid in members
                  if sid in histograms or sid == peer_of]
    ranking = rank_peers(candidates, prior_mean=prior_mean, prior_weight=prior_weight,
                         publication_threshold=publication_threshold, metric=metric)
    return PeerComparison(scope, chosen, ranking, profiles)


def organisation_summaries(session: Session, *, question: Question, wording_version: int, start: dt.datetime,
                           end: dt.datetime, publication_threshold: int,
                           organisation_type: str | None = None) -> list[OrganisationSummary]:
    """Volume-weighted summaries of every organisation with answers (optionally of one organisation type)."""
    profiles = reading.service_profiles(session)
    histograms = reading.read_service_histograms(session, question=question, wording_version=wording_version,
                                                 start=start, end=end)
    entries: list[tuple[str, Histogram]] = []
    for service_id, histogram in histograms.items():
        profile = profiles.get(service_id)
        if profile is None or profile.organisation_id is None:
            continue
        if organisation_type is None or profile.organisation_type == organisation_type:
            entries.append((profile.organisation_id, histogram))
    return summarise_organisations(entries, publication_threshold=publication_threshold)
