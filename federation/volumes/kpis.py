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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from fractions import Fraction

from federation.scores.stats import DEFAULT_CONFIDENCE, Interval, wilson_interval
from federation.volumes.contract import WAIT_BUCKET_BOUNDS, DayFigures

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)
_NO_WAITS = (0, 0, 0, 0)


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

    @classmethod
    def of_day(cls, figures: DayFigures, *, digital: bool) -> VolumeTotals:
        """The totals of one channel's day; ``digital`` says whether the channel counts as digital."""
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
        )

    def __add__(self, other: VolumeTotals) -> VolumeTotals:
        if not isinstance(other, VolumeTotals):
            return NotImplemented
        sums = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self) if f.name != "waits"}
        waits = tuple(a + b for a, b in zip(self.waits, other.waits, strict=True))
        return VolumeTotals(**sums, waits=waits)  # type: ignore[arg-type]

    @classmethod
    def total(cls, parts: Iterable[VolumeTotals]) -> VolumeTotals:
        """The sum of ``parts`` (zero when there are none)."""
        result = cls()
        for part in parts:
            result = result + part
        return result


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


def share(numerator: int, denominator: int, *, confidence: float = DEFAULT_CONFIDENCE) -> ShareStat | None:
    """The share with its Wilson interval; None when the denominator is 0 or smaller than the numerator (then
    the figures do not describe one population, e.g. more ratings than reported transactions)."""
    if denominator <= 0 or not 0 <= numerator <= denominator:
        return None
    return ShareStat(numerator / denominator, wilson_interval(numerator, denominator, confidence=confidence),
                     numerator, denominator)


def wait_quantile(buckets: Sequence[int], q: Fraction) -> WaitQuantile | None:
    """The ``q`` quantile of waits from bucket counts (see the module docstring); None without contacts."""
    total = sum(buckets)
    if total <= 0:
        return None
    target = q * total
    before = 0
    for index, count in enumerate(buckets):
        if count > 0 and before + count >= target:
            lower = WAIT_BUCKET_BOUNDS[index]
            if index == len(WAIT_BUCKET_BOUNDS) - 1:
                return WaitQuantile(lower, True)
            width = WAIT_BUCKET_BOUNDS[index + 1] - lower
            return WaitQuantile(float(lower + (target - before) / count * Fraction(width)), False)
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
    """Whether the window's volume (completed transactions or contacts received) reaches the threshold."""
    return max(volumes.transactions, volumes.contacts_received) >= publication_threshold


def kpis_for(volumes: VolumeTotals, ratings: RatingTotals, *, publication_threshold: int,
             reveal_unpublished: bool, per_channel: bool = False) -> KpiStats:
    """The KPIs as one caller may see them: every figure for the service's organisations and admins
    (``reveal_unpublished``), otherwise only what :func:`publishable` lets through."""
    stats = summarise_kpis(volumes, ratings, publication_threshold=publication_threshold, per_channel=per_channel)
    if reveal_unpublished:
        return stats
    return publishable(stats, volumes, publication_threshold=publication_threshold)
