"""KPIs of service volumes: pure maths over frozen dataclasses (no I/O, no clock).

Every KPI is computed from :class:`VolumeTotals`, a sum of day figures, and :class:`RatingTotals` from the rating
rollups. Sums are commutative and associative, so neither the order in which days were reported nor how they
were batched can change a KPI. Each share's numerator and denominator are summed over the *same* channel-days
(those that report both figures), so a share always lies in [0, 1] even when some days report only part of the
figures. Shares carry a Wilson 95 % interval; counts and quantiles carry none.

Waiting-time quantiles come from the buckets < 1, 1–5, 5–15 and > 15 minutes by linear interpolation inside the
bucket the quantile falls in (the grouped-data median formula L + (qN − F) / f × w). The top bucket has no upper
bound, so a quantile that falls in it is reported as its lower bound, 15 minutes, with ``open_ended`` set: it
says "at least 15 minutes", never an invented value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from fractions import Fraction

from federation.scores.stats import DEFAULT_CONFIDENCE, Interval, wilson_interval
from federation.volumes.contract import BACKLOG_AGE_BOUNDS, WAIT_BUCKET_BOUNDS, DayFigures

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)
_NO_WAITS = (0, 0, 0, 0)
_NO_AGES = (0, 0, 0, 0, 0)
_NOT_SUMMED = frozenset({"waits", "backlog_day", "backlog", "backlog_ages", "aged_backlog"})
"""Fields :meth:`VolumeTotals.__add__` does not simply add (buckets, and the latest backlog)."""


@dataclass(frozen=True)
class VolumeTotals:
    """Sums of day figures over channel-days; each pair of fields is summed over the days reporting both."""

    channel_days: int = 0
    transactions: int = 0
    digital_transactions: int = 0
    completed_with_started: int = 0
    started: int = 0
    contacts_received: int = 0
    answered_directly: int = 0
    received_with_answered: int = 0
    callbacks: int = 0
    received_with_callbacks: int = 0
    abandoned: int = 0
    received_with_abandoned: int = 0
    waits: tuple[int, int, int, int] = _NO_WAITS
    cost_cents: int = 0
    transactions_with_cost: int = 0
    first_contact_resolved: int = 0
    received_with_resolved: int = 0
    requests_received: int = 0
    requests_resolved: int = 0
    backlog_sum: int = 0
    """End-of-day backlogs summed over the channel-days reporting both backlog and resolved requests."""
    resolved_with_backlog: int = 0
    """Requests resolved on those same channel-days (with ``backlog_sum``, Little's law)."""
    backlog_day: dt.date | None = None
    """The latest day with a reported backlog (the queue's state now)."""
    backlog: int = 0
    """The backlog of ``backlog_day``, summed over the channels reporting one that day."""
    backlog_ages: tuple[int, int, int, int, int] = _NO_AGES
    aged_backlog: int = 0
    """Of ``backlog``, the requests whose ages were reported (the total of ``backlog_ages``)."""

    @classmethod
    def of_day(cls, figures: DayFigures, *, digital: bool, day: dt.date | None = None) -> VolumeTotals:
        """The totals of one channel's day; ``digital`` says whether the channel counts as digital, ``day``
        (needed for the latest backlog) which day it is."""
        f = figures
        completed, started, received = f.transactions_completed, f.transactions_started, f.contacts_received
        both = completed is not None and started is not None
        return cls(
            channel_days=1, transactions=completed or 0, digital_transactions=(completed or 0) if digital else 0,
            completed_with_started=(completed or 0) if both else 0, started=(started or 0) if both else 0,
            contacts_received=received or 0,
            answered_directly=f.contacts_answered_directly or 0,
            received_with_answered=_paired(received, f.contacts_answered_directly),
            callbacks=f.callbacks or 0, received_with_callbacks=_paired(received, f.callbacks),
            abandoned=f.contacts_abandoned or 0, received_with_abandoned=_paired(received, f.contacts_abandoned),
            waits=f.waits.as_tuple() if f.waits else _NO_WAITS,
            cost_cents=(f.cost_cents or 0) if completed is not None else 0,
            transactions_with_cost=(completed or 0) if f.cost_cents is not None else 0,
            first_contact_resolved=f.first_contact_resolved or 0,
            received_with_resolved=_paired(received, f.first_contact_resolved),
        ) + _queue_of_day(f, day)

    def __add__(self, other: VolumeTotals) -> VolumeTotals:
        if not isinstance(other, VolumeTotals):
            return NotImplemented
        sums = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)
                if f.name not in _NOT_SUMMED}
        waits = tuple(a + b for a, b in zip(self.waits, other.waits, strict=True))
        return VolumeTotals(**sums, waits=waits, **_latest_backlog(self, other))  # type: ignore[arg-type]

    @classmethod
    def total(cls, parts: Iterable[VolumeTotals]) -> VolumeTotals:
        """The sum of ``parts`` (zero when there are none)."""
        result = cls()
        for part in parts:
            result = result + part
        return result


def _queue_of_day(f: DayFigures, day: dt.date | None) -> VolumeTotals:
    """The e-request part of one channel's day (no channel-day of its own)."""
    backlog, resolved = f.requests_backlog, f.requests_resolved
    flows = VolumeTotals(requests_received=f.requests_received or 0, requests_resolved=resolved or 0,
                         backlog_sum=_paired(backlog, resolved), resolved_with_backlog=_paired(resolved, backlog))
    if day is None or backlog is None:
        return flows
    ages = f.backlog_ages.as_tuple() if f.backlog_ages else _NO_AGES
    return replace(flows, backlog_day=day, backlog=backlog, backlog_ages=ages, aged_backlog=sum(ages))


def _latest_backlog(a: VolumeTotals, b: VolumeTotals) -> dict[str, object]:
    """The later day's backlog of the two (summed when both are of the same day): commutative and associative."""
    if b.backlog_day is None or (a.backlog_day is not None and a.backlog_day > b.backlog_day):
        return {"backlog_day": a.backlog_day, "backlog": a.backlog, "backlog_ages": a.backlog_ages,
                "aged_backlog": a.aged_backlog}
    if a.backlog_day is None or b.backlog_day > a.backlog_day:
        return {"backlog_day": b.backlog_day, "backlog": b.backlog, "backlog_ages": b.backlog_ages,
                "aged_backlog": b.aged_backlog}
    return {"backlog_day": a.backlog_day, "backlog": a.backlog + b.backlog, "aged_backlog": a.aged_backlog +
            b.aged_backlog, "backlog_ages": tuple(x + y for x, y in zip(a.backlog_ages, b.backlog_ages, strict=True))}


def _paired(denominator: int | None, numerator: int | None) -> int:
    return denominator if denominator is not None and numerator is not None else 0


@dataclass(frozen=True)
class RatingTotals:
    """Ratings of the same service (and channel) and days, from the hourly rollups.

    ``answered`` and ``skipped`` cover the whole window; ``covered`` counts the answers given on the channel-days
    whose completed transactions were reported (the numerator of coverage).
    """

    answered: int = 0
    skipped: int = 0
    covered: int = 0

    def __add__(self, other: RatingTotals) -> RatingTotals:
        if not isinstance(other, RatingTotals):
            return NotImplemented
        return RatingTotals(self.answered + other.answered, self.skipped + other.skipped,
                            self.covered + other.covered)


@dataclass(frozen=True)
class ShareStat:
    """A share ``numerator / denominator`` in [0, 1] with its Wilson interval."""

    value: float
    interval: Interval
    numerator: int
    denominator: int


@dataclass(frozen=True)
class WaitQuantile:
    """A waiting-time quantile in minutes; ``open_ended`` means it lies in the > 15 min bucket and ``minutes`` is
    that bucket's lower bound (the quantile is at least that long)."""

    minutes: float
    open_ended: bool


@dataclass(frozen=True)
class QueueStats:
    """The e-request queue of a window: flows, the latest reported backlog and its ages."""

    requests_received: int
    requests_resolved: int
    backlog_day: dt.date | None
    backlog: int | None
    backlog_ages: tuple[int, int, int, int, int] | None
    median_backlog_age: tuple[float, bool] | None
    """Median age of the latest backlog in days (interpolated; open-ended: at least 14), the resolution proxy."""
    oldest_share: ShareStat | None
    """Requests older than 14 days / the latest backlog with ages."""
    estimated_resolution_days: float | None
    """Little's law: mean backlog / requests resolved per day, over the days reporting both."""


def queue_stats(v: VolumeTotals, *, confidence: float = DEFAULT_CONFIDENCE) -> QueueStats | None:
    """The queue figures of the totals; None when no e-request figure was reported."""
    if v.backlog_day is None and v.requests_received == 0 and v.requests_resolved == 0:
        return None
    aged = v.aged_backlog > 0
    return QueueStats(
        requests_received=v.requests_received, requests_resolved=v.requests_resolved, backlog_day=v.backlog_day,
        backlog=v.backlog if v.backlog_day is not None else None, backlog_ages=v.backlog_ages if aged else None,
        median_backlog_age=grouped_quantile(v.backlog_ages, MEDIAN, BACKLOG_AGE_BOUNDS),
        oldest_share=share(v.backlog_ages[-1], v.aged_backlog, confidence=confidence),
        estimated_resolution_days=v.backlog_sum / v.resolved_with_backlog if v.resolved_with_backlog else None)


@dataclass(frozen=True)
class KpiStats:
    """Every KPI of a window. A value is None when there is nothing to compute it from (or, after
    :func:`publishable`, when it may not be shown)."""

    channel_days: int
    transactions: int | None
    digital_transactions: int | None
    transactions_started: int | None
    contacts_received: int | None
    contacts_answered_directly: int | None
    callbacks: int | None
    contacts_abandoned: int | None
    waits: tuple[int, int, int, int] | None
    ratings_answered: int | None
    ratings_skipped: int | None
    ratings_covered: int | None
    digital_take_up: ShareStat | None
    completion_rate: ShareStat | None
    answered_directly_share: ShareStat | None
    callback_share: ShareStat | None
    abandonment_rate: ShareStat | None
    coverage: ShareStat | None
    response_rate: ShareStat | None
    median_wait: WaitQuantile | None
    p90_wait: WaitQuantile | None
    cost_per_transaction: float | None
    published: bool
    first_contact_resolved: int | None = None
    first_contact_resolution: ShareStat | None = None
    queue: QueueStats | None = None


def share(numerator: int, denominator: int, *, confidence: float = DEFAULT_CONFIDENCE) -> ShareStat | None:
    """The share with its Wilson interval; None when the denominator is 0 or smaller than the numerator (then
    the figures do not describe one population, e.g. more ratings than reported transactions)."""
    if denominator <= 0 or not 0 <= numerator <= denominator:
        return None
    return ShareStat(numerator / denominator, wilson_interval(numerator, denominator, confidence=confidence),
                     numerator, denominator)


def wait_quantile(buckets: Sequence[int], q: Fraction) -> WaitQuantile | None:
    """The ``q`` quantile of waits from bucket counts (see the module docstring); None without contacts."""
    found = grouped_quantile(buckets, q, WAIT_BUCKET_BOUNDS)
    return None if found is None else WaitQuantile(*found)


def grouped_quantile(buckets: Sequence[int], q: Fraction, bounds: Sequence[float]) -> tuple[float, bool] | None:
    """The ``q`` quantile of counts in buckets with lower ``bounds`` (the last open-ended), as (value,
    open-ended); see the module docstring. None when the buckets are empty."""
    total = sum(buckets)
    if total <= 0:
        return None
    target = q * total
    before = 0
    for index, count in enumerate(buckets):
        if count > 0 and before + count >= target:
            lower = bounds[index]
            if index == len(bounds) - 1:
                return lower, True
            width = bounds[index + 1] - lower
            return float(lower + (target - before) / count * Fraction(width)), False
        before += count
    raise AssertionError("unreachable: the target never exceeds the total")


def summarise_kpis(volumes: VolumeTotals, ratings: RatingTotals, *, publication_threshold: int,
              per_channel: bool = False, confidence: float = DEFAULT_CONFIDENCE) -> KpiStats:
    """Every KPI of the totals, unfiltered (what the owning organisation sees). ``per_channel``: the totals are
    one channel's, so digital take-up (a share of the whole service's transactions) is left out. ``published``
    says whether the window's volume reaches the threshold; :func:`publishable` filters each figure."""
    v, r = volumes, ratings
    has_waits = sum(v.waits) > 0
    return KpiStats(
        channel_days=v.channel_days, transactions=v.transactions, digital_transactions=v.digital_transactions,
        transactions_started=v.started, contacts_received=v.contacts_received,
        contacts_answered_directly=v.answered_directly, callbacks=v.callbacks, contacts_abandoned=v.abandoned,
        waits=v.waits if has_waits else None,
        ratings_answered=r.answered, ratings_skipped=r.skipped, ratings_covered=r.covered,
        digital_take_up=None if per_channel else share(v.digital_transactions, v.transactions, confidence=confidence),
        completion_rate=share(v.completed_with_started, v.started, confidence=confidence),
        answered_directly_share=share(v.answered_directly, v.received_with_answered, confidence=confidence),
        callback_share=share(v.callbacks, v.received_with_callbacks, confidence=confidence),
        abandonment_rate=share(v.abandoned, v.received_with_abandoned, confidence=confidence),
        coverage=share(r.covered, v.transactions, confidence=confidence),
        response_rate=share(r.answered, r.answered + r.skipped, confidence=confidence),
        median_wait=wait_quantile(v.waits, MEDIAN), p90_wait=wait_quantile(v.waits, P90),
        cost_per_transaction=v.cost_cents / 100 / v.transactions_with_cost if v.transactions_with_cost else None,
        published=is_published(v, publication_threshold=publication_threshold),
        first_contact_resolved=v.first_contact_resolved,
        first_contact_resolution=share(v.first_contact_resolved, v.received_with_resolved, confidence=confidence),
        queue=queue_stats(v, confidence=confidence),
    )


def publishable(stats: KpiStats, volumes: VolumeTotals, *, publication_threshold: int) -> KpiStats:
    """The KPIs as anyone may see them: each figure only when the count it is computed from reaches
    ``publication_threshold``; ``published`` when transactions or contacts reach it.

    Guarantee: no shown share, count or quantile rests on fewer than ``publication_threshold`` transactions,
    contacts or ratings, so a tiny service's volume is not singled out. Coverage needs both its transactions and
    its ratings to reach the threshold (a coverage of 3 in 1000 would give away a ratings count that scores hide).
    Limits: differencing across overlapping windows or between a service total and its channels is not
    controlled here (as for scores). Nor is differencing across questions: ``ratingsAnswered`` counts every
    question of the service, so subtracting the published per-question counts gives the n of the questions whose
    scores are unpublished (a count below the threshold, never a value).
    """
    t = publication_threshold
    v, s = volumes, stats

    def keep(value: object, base: int) -> object:
        return value if base >= t else None

    coverage_ok = v.transactions >= t and (s.ratings_covered or 0) >= t
    shown = {
        "transactions": keep(s.transactions, v.transactions),
        "digital_transactions": keep(s.digital_transactions, v.transactions),
        "digital_take_up": keep(s.digital_take_up, v.transactions),
        "transactions_started": keep(s.transactions_started, v.started),
        "completion_rate": keep(s.completion_rate, v.started),
        "contacts_received": keep(s.contacts_received, v.contacts_received),
        "contacts_answered_directly": keep(s.contacts_answered_directly, v.received_with_answered),
        "answered_directly_share": keep(s.answered_directly_share, v.received_with_answered),
        "callbacks": keep(s.callbacks, v.received_with_callbacks),
        "callback_share": keep(s.callback_share, v.received_with_callbacks),
        "contacts_abandoned": keep(s.contacts_abandoned, v.received_with_abandoned),
        "abandonment_rate": keep(s.abandonment_rate, v.received_with_abandoned),
        "first_contact_resolved": keep(s.first_contact_resolved, v.received_with_resolved),
        "first_contact_resolution": keep(s.first_contact_resolution, v.received_with_resolved),
        "queue": keep(s.queue, v.requests_received),
        "waits": keep(s.waits, sum(v.waits)), "median_wait": keep(s.median_wait, sum(v.waits)),
        "p90_wait": keep(s.p90_wait, sum(v.waits)),
        "cost_per_transaction": keep(s.cost_per_transaction, v.transactions_with_cost),
        "ratings_answered": keep(s.ratings_answered, s.ratings_answered or 0),
        "ratings_skipped": keep(s.ratings_skipped, s.ratings_answered or 0),
        "response_rate": keep(s.response_rate, s.ratings_answered or 0),
        "ratings_covered": s.ratings_covered if coverage_ok else None,
        "coverage": s.coverage if coverage_ok else None,
    }
    return replace(s, **shown)  # type: ignore[arg-type]


def is_published(volumes: VolumeTotals, *, publication_threshold: int) -> bool:
    """Whether the window's volume (completed transactions, contacts or e-requests received) reaches the
    threshold."""
    return max(volumes.transactions, volumes.contacts_received, volumes.requests_received) >= publication_threshold


def kpis_for(volumes: VolumeTotals, ratings: RatingTotals, *, publication_threshold: int,
             reveal_unpublished: bool, per_channel: bool = False) -> KpiStats:
    """The KPIs as one caller may see them: every figure for the service's organisations and admins
    (``reveal_unpublished``), otherwise only what :func:`publishable` lets through."""
    stats = summarise_kpis(volumes, ratings, publication_threshold=publication_threshold, per_channel=per_channel)
    if reveal_unpublished:
        return stats
    return publishable(stats, volumes, publication_threshold=publication_threshold)
