"""What a digest says: per service of the organisation, the period's headline score beside the previous period's
(through the score reads of federation/scores/reading.py), whether the change is significant (Welch's t of
federation/analytics/significance.py), the alerts detected in the period (every registered kind,
federation/notify/registry.py) and how many new free texts arrived — counts only, never the texts.

Periods are local (Europe/Helsinki) calendar days and ISO weeks; a digest covers the last *complete* period.
Nothing here writes or commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from federation.analytics.reading import get_question, organisation_services
from federation.analytics.series import LOCAL_TIME_ZONE
from federation.analytics.significance import welch_t
from federation.battery.models import Question
from federation.notify.kinds import AlertFinding, AlertScan
from federation.notify.models import DigestFrequency
from federation.notify.registry import REGISTRY
from federation.ratings.models import Rating
from federation.registry.models import Organisation, Service
from federation.scores.reading import Window, read_histogram
from federation.scores.stats import Histogram, summarise
from pseudonymize.keys import KeyRing

HEADLINE_QUESTION = "national.transaction-smooth"
SIGNIFICANCE = 0.05
Names = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Period:
    """A complete local period: its first and last local dates and the UTC window [start, end)."""

    frequency: DigestFrequency
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        """The period's first instant (UTC)."""
        return dt.datetime.combine(self.first, dt.time(0), tzinfo=LOCAL_TIME_ZONE).astimezone(dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """The instant after the period (UTC)."""
        following = self.last + dt.timedelta(days=1)
        return dt.datetime.combine(following, dt.time(0), tzinfo=LOCAL_TIME_ZONE).astimezone(dt.UTC)

    @property
    def label(self) -> str:
        """The dedupe label: ``2026-03-15`` for a day, ``2026-W11`` for an ISO week."""
        if self.frequency is DigestFrequency.DAILY:
            return self.first.isoformat()
        year, week, _ = self.first.isocalendar()
        return f"{year}-W{week:02d}"

    def previous(self) -> Period:
        """The period just before."""
        length = (self.last - self.first).days + 1
        return Period(self.frequency, self.first - dt.timedelta(days=length), self.first - dt.timedelta(days=1))


def latest_period(frequency: DigestFrequency, now: dt.datetime) -> Period:
    """The last complete local day or ISO week (Monday–Sunday) before ``now``."""
    today = now.astimezone(LOCAL_TIME_ZONE).date()
    if frequency is DigestFrequency.DAILY:
        yesterday = today - dt.timedelta(days=1)
        return Period(frequency, yesterday, yesterday)
    this_monday = today - dt.timedelta(days=today.weekday())
    return Period(frequency, this_monday - dt.timedelta(days=7), this_monday - dt.timedelta(days=1))


@dataclass(frozen=True)
class ServiceDigest:
    """One service's lines: the period's and the previous period's answer counts and means, the change and
    whether it is significant, and the count of new free texts."""

    service_id: str
    names: Names
    count: int
    mean: float | None
    published: bool
    previous_count: int
    previous_mean: float | None
    significant: bool
    free_texts: int

    @property
    def change(self) -> float | None:
        """The mean's change from the previous period, when both have answers."""
        if self.mean is None or self.previous_mean is None:
            return None
        return self.mean - self.previous_mean


@dataclass(frozen=True)
class Digest:
    """An organisation's digest of one period."""

    organisation_id: str
    organisation_names: Names
    period: Period
    question_id: str
    services: tuple[ServiceDigest, ...]
    alerts: tuple[AlertFinding, ...]

    @property
    def notable(self) -> tuple[ServiceDigest, ...]:
        """Services whose mean changed significantly from the previous period."""
        return tuple(s for s in self.services if s.significant)


def _significant(before: Histogram, after: Histogram, threshold: int) -> bool:
    if min(before.count, after.count) < max(2, threshold):
        return False
    return welch_t(before, after).significant(SIGNIFICANCE)


def _service_digest(session: Session, service: Service, question: Question, period: Period, *,
                    threshold: int, free_texts: int) -> ServiceDigest:
    previous = period.previous()
    now_hist = read_histogram(session, service_id=service.id, question=question, wording_version=
                              question.current_version, window=Window(period.start, period.end))
    before = read_histogram(session, service_id=service.id, question=question, wording_version=
                            question.current_version, window=Window(previous.start, previous.end))
    stats, before_stats = (summarise(h, publication_threshold=threshold) for h in (now_hist, before))
    return ServiceDigest(service.id, (service.name_fi, service.name_sv, service.name_en), stats.count, stats.mean,
                         stats.published, before_stats.count, before_stats.mean,
                         _significant(before, now_hist, threshold), free_texts)


def free_text_counts(session: Session, organisation_id: str, service_ids: list[str], start: dt.datetime,
                     end: dt.datetime) -> dict[str, int]:
    """New free texts the organisation received per service in [start, end): counts only (the texts stay sealed).
    The services lead the filter so the read follows the rating table's (service, answeredAt) index."""
    stmt = (select(Rating.service_id, func.count()).where(Rating.service_id.in_(sorted(service_ids)),
                                                          Rating.organisation_id == organisation_id,
                                                          Rating.free_text.is_not(None),
                                                          Rating.answered_at >= start, Rating.answered_at < end)
            .group_by(Rating.service_id))
    return {str(service_id): int(count) for service_id, count in session.execute(stmt)}


def period_alerts(session: Session, organisation_id: str, service_ids: list[str], period: Period, *,
                  now: dt.datetime, ring: KeyRing | None = None) -> tuple[AlertFinding, ...]:
    """Findings of every registered kind detected within the period, newest first (kinds that read free texts
    need ``ring``)."""
    scan = AlertScan(session, organisation_id, service_ids, now, period.first, ring)
    found = [f for kind in REGISTRY.kinds() for f in kind.detect(scan) if f.detected_on <= period.last]
    return tuple(sorted(found, key=lambda f: (f.detected_on, f.kind, f.key), reverse=True))


def build_digest(session: Session, organisation_id: str, period: Period, *, now: dt.datetime,
                 publication_threshold: int, ring: KeyRing | None = None) -> Digest:
    """The organisation's digest of ``period``."""
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None, "subscriptions reference a registered organisation"
    service_ids = organisation_services(session, organisation_id)
    question = get_question(session, HEADLINE_QUESTION)
    texts = free_text_counts(session, organisation_id, service_ids, period.start, period.end)
    services = session.scalars(select(Service).where(Service.id.in_(service_ids)).order_by(Service.name_fi))
    lines = tuple(_service_digest(session, service, question, period, threshold=publication_threshold,
                                  free_texts=texts.get(service.id, 0)) for service in services)
    return Digest(organisation_id, (organisation.name_fi, organisation.name_sv, organisation.name_en), period,
                  HEADLINE_QUESTION, lines,
                  period_alerts(session, organisation_id, service_ids, period, now=now, ring=ring))
