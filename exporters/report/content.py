"""What a quarterly report says, read through the domain's read APIs (no SQL of its own).

Per service of the organisation: the headline question's score (federation/scores/reading.py, summarised by
federation/scores/stats.py) and its NPS where the service has NPS answers, each beside the previous quarter's
with the significance test of federation/analytics/change.py (Welch's t on means, the NPS z-test on NPS); the
service's KPIs (federation/publication/kpis.py, only publishable figures); its place among similar services
(federation/analytics/service.py ``peer_comparison``: its service class, else every service); and the service
events of the quarter ("you said, we did", federation/analytics/events.py) with their before/after impacts.
Figures whose n is below the publication threshold are marked unpublished, and the renderer does not show them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exporters.report.quarter import Quarter, reported_end
from federation.analytics import change
from federation.analytics.events import list_events
from federation.analytics.reading import get_question, organisation_services
from federation.analytics.service import PeerScope, event_impacts, peer_comparison
from federation.battery.models import Question
from federation.battery.national import NPS, TRANSACTION_SMOOTH
from federation.publication.kpis import live_service_kpis
from federation.registry.models import Organisation, Service
from federation.registry.service import known_organisation
from federation.scores.reading import Window, read_histogram
from federation.scores.stats import ScoreStats, summarise
from federation.volumes.kpis import KpiStats

Names = tuple[str, str | None, str | None]
EVENT_WINDOW_DAYS = change.DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class ScoreLine:
    """One question's score in the quarter and the previous quarter, and the change between them."""

    question_id: str
    current: ScoreStats
    previous: ScoreStats
    change: change.Impact


@dataclass(frozen=True)
class PeerPlace:
    """A service's place among similar services on the headline question."""

    scope: PeerScope
    group: str | None
    rank: int | None
    ranked: int
    percentile: float | None
    shrunk_mean: float | None
    peer_mean: float


@dataclass(frozen=True)
class ServiceSection:
    """Everything the report says of one service."""

    service_id: str
    names: Names
    headline: ScoreLine
    nps: ScoreLine | None
    kpis: KpiStats | None
    peers: PeerPlace | None


@dataclass(frozen=True)
class EventLine:
    """A service event of the quarter with its before/after impact on the headline question."""

    service_id: str
    service_names: Names
    occurred_on: dt.date
    descriptions: Names
    public: bool
    impact: change.Impact


@dataclass(frozen=True)
class QuarterlyReport:
    """An organisation's report of one quarter."""

    organisation_id: str
    names: Names
    quarter: Quarter
    end: dt.datetime
    complete: bool
    publication_threshold: int
    generated_at: dt.datetime
    services: tuple[ServiceSection, ...]
    events: tuple[EventLine, ...]


def _score_line(session: Session, service_id: str, question: Question, quarter: Quarter, end: dt.datetime,
                complete: bool, threshold: int) -> ScoreLine:
    previous = quarter.previous()
    now_hist, before = (read_histogram(session, service_id=service_id, question=question, window=window,
                                       wording_version=question.current_version)
                        for window in (Window(quarter.start, end), Window(previous.start, previous.end)))
    windows = change.ImpactWindows(previous.start, quarter.start, end, complete)
    impact = change.impact(windows, before, now_hist, minimum_count=threshold)
    return ScoreLine(question.id, summarise(now_hist, publication_threshold=threshold),
                     summarise(before, publication_threshold=threshold), impact)


def _peer_place(session: Session, service: Service, question: Question, quarter: Quarter, end: dt.datetime, *,
                threshold: int, prior_weight: float) -> PeerPlace:
    scope = PeerScope.SERVICE_CLASS if service.service_class else PeerScope.NATIONAL
    comparison = peer_comparison(session, question=question, wording_version=question.current_version,
                                 start=quarter.start, end=end, scope=scope, publication_threshold=threshold,
                                 prior_weight=prior_weight, peer_of=service.id)
    entry = comparison.ranking.entry(service.id)
    ranked = entry.ranked if entry is not None else None
    return PeerPlace(scope, comparison.group, None if ranked is None else ranked.rank,
                     comparison.ranking.ranked_count, None if entry is None else entry.percentile,
                     None if ranked is None else ranked.shrunk_mean, comparison.ranking.prior_mean)


def _events(session: Session, services: dict[str, Names], quarter: Quarter, *, question: Question,
            now: dt.datetime, threshold: int) -> tuple[EventLine, ...]:
    events = [e for e in list_events(session, service_ids=list(services), public_only=False)
              if quarter.first_day <= e.occurred_on <= quarter.last_day]
    events.sort(key=lambda e: (e.occurred_on, e.id))
    impacts = event_impacts(session, events, question=question, wording_version=question.current_version,
                            window_days=EVENT_WINDOW_DAYS, now=now, minimum_count=threshold)
    return tuple(EventLine(e.service_id, services[e.service_id], e.occurred_on,
                           (e.description_fi, e.description_sv, e.description_en), e.public, impact)
                 for e, impact in zip(events, impacts, strict=True))


def build_report(session: Session, organisation_id: str, quarter: Quarter, *, now: dt.datetime,
                 publication_threshold: int, prior_weight: float) -> QuarterlyReport:
    """The organisation's report of ``quarter`` (UNKNOWN_ORGANISATION for an unregistered business ID)."""
    key = known_organisation(session, organisation_id)
    organisation = session.get(Organisation, key)
    assert organisation is not None, "known_organisation found it"
    end, complete = reported_end(quarter, now)
    headline, nps = get_question(session, TRANSACTION_SMOOTH), get_question(session, NPS)
    service_ids = organisation_services(session, key)
    services = list(session.scalars(select(Service).where(Service.id.in_(service_ids)).order_by(Service.name_fi)))
    kpis = live_service_kpis(session, start=quarter.start, end=end, publication_threshold=publication_threshold,
                             service_ids=service_ids)
    sections = []
    for service in services:
        args = (quarter, end, complete, publication_threshold)
        nps_line = _score_line(session, service.id, nps, *args)
        has_nps = nps_line.current.count + nps_line.previous.count > 0
        found = kpis.get(service.id)
        sections.append(ServiceSection(
            service.id, (service.name_fi, service.name_sv, service.name_en),
            _score_line(session, service.id, headline, *args), nps_line if has_nps else None,
            None if found is None else found.stats,
            _peer_place(session, service, headline, quarter, end, threshold=publication_threshold,
                        prior_weight=prior_weight)))
    names = {s.service_id: s.names for s in sections}
    events = _events(session, names, quarter, question=headline, now=now, threshold=publication_threshold)
    return QuarterlyReport(key, (organisation.name_fi, organisation.name_sv, organisation.name_en), quarter, end,
                           complete, publication_threshold, now, tuple(sections), events)
