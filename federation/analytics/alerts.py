"""Automatic alerts: a self-starting two-sided CUSUM on standardised daily means. Pure functions.

Days with answers are taken one by one, or — for small services — pooled with the following days until they hold
``block_answers`` answers, so that each observation's mean is close enough to normal. Each observation gives a
standardised mean against the *reference*, the pooled histogram of every earlier observation since the series
(or the last alarm) began:

    z_t = (mean_t − mean_ref) / (s_ref · sqrt(1/n_t + 1/n_ref))

Under a stationary series the z_t are approximately independent standard normals (they are recursive residuals),
whatever the service's level, spread or daily volume. Two CUSUMs accumulate evidence of a rise and of a drop,
``S⁺ = max(0, S⁺ + z − k)`` and ``S⁻ = max(0, S⁻ − z − k)``; an alarm is raised when either exceeds ``h``. The
change is dated to the most likely start of the new level within the CUSUM's current run, and the detector
restarts with the days since that date as its new reference (the new level).

False-alarm rate: ``h`` is chosen for a stated bound — on a stationary series, on average at most
``false_alarms_per_year`` alarms per 365 monitored days (days with answers after the warm-up). Siegmund's
approximation gives a one-sided average run length ARL(h, k) = (e^(2kb) − 2kb − 1) / (2k²), b = h + 1.166, and
the two sides together alarm at rate 2 / ARL per observation. ``h`` is set so that rate is a third of the bound
(``design_margin`` = 3): the approximation assumes normal means with a known spread, while arvio's are discrete,
often skewed (most answers five stars) and standardised with an estimated spread. With the defaults (k = 0.5,
one alarm a year) h ≈ 5.84. A seeded simulation test checks the bound on stationary series of small, large and
skewed services. Observations before ``warmup_days`` days and ``warmup_answers`` answers of reference are not
monitored.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from federation.scores.stats import Histogram, mean_of

_SIEGMUND_OFFSET = 1.166


class Direction(enum.Enum):
    """Whether the score rose or dropped."""

    RISE = "RISE"
    DROP = "DROP"


def siegmund_arl(h: float, k: float) -> float:
    """Siegmund's approximation of a one-sided CUSUM's average run length on in-control N(0, 1) data."""
    b = h + _SIEGMUND_OFFSET
    return (math.exp(2 * k * b) - 2 * k * b - 1) / (2 * k * k)


def threshold_for(average_run_length: float, k: float) -> float:
    """The smallest ``h`` whose one-sided Siegmund ARL reaches ``average_run_length`` (bisection)."""
    low, high = 0.0, 1.0
    while siegmund_arl(high, k) < average_run_length:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if siegmund_arl(middle, k) < average_run_length:
            low = middle
        else:
            high = middle
    return high


@dataclass(frozen=True)
class CusumPolicy:
    """The detector's settings; ``threshold`` (h) follows from the stated false-alarm bound."""

    false_alarms_per_year: float = 1.0
    drift: float = 0.5
    warmup_days: int = 14
    warmup_answers: int = 50
    block_answers: int = 10
    design_margin: float = 3.0

    def __post_init__(self) -> None:
        if not 0 < self.false_alarms_per_year <= 365:
            raise ValueError("false_alarms_per_year must be in (0, 365]: it bounds alarms per 365 days.")
        if self.drift <= 0:
            raise ValueError("drift (k) must be positive: it is half the shift, in standard errors, to detect.")
        if self.warmup_days < 2 or self.warmup_answers < 2:
            raise ValueError("warmup_days and warmup_answers must be at least 2 to estimate a spread.")
        if self.block_answers < 1:
            raise ValueError("block_answers must be at least 1.")
        if self.design_margin < 1:
            raise ValueError("design_margin must be at least 1.")

    @property
    def threshold(self) -> float:
        """h: two sides alarm at rate 2 / ARL; that rate is set to the bound divided by the design margin."""
        daily_rate = self.false_alarms_per_year / 365.0 / self.design_margin
        return threshold_for(2.0 / daily_rate, self.drift)


@dataclass(frozen=True)
class ChangePoint:
    """An alarm: the direction, the estimated first day of the new level, the day it was detected, and the
    reference (before) and shifted (since the start) means and answer counts."""

    direction: Direction
    started_on: dt.date
    detected_on: dt.date
    reference_mean: float
    reference_count: int
    shifted_mean: float
    shifted_count: int
    statistic: float


@dataclass(frozen=True)
class CusumRun:
    """The alarms of one series and how many days were monitored (days with answers past the warm-up)."""

    change_points: tuple[ChangePoint, ...]
    monitored_days: int


@dataclass(frozen=True)
class Block:
    """Consecutive days pooled until they hold ``block_answers`` answers (one day for busy services)."""

    first: dt.date
    last: dt.date
    days: int
    histogram: Histogram


@dataclass
class _State:
    reference: list[Block] = field(default_factory=list)
    pooled: Histogram | None = None
    since_rise: list[tuple[Block, float]] = field(default_factory=list)
    since_drop: list[tuple[Block, float]] = field(default_factory=list)
    rise: float = 0.0
    drop: float = 0.0


def _spread(histogram: Histogram) -> float:
    mean = mean_of(histogram)
    squares = sum(c * (v - mean) ** 2 for v, c in zip(histogram.scale.values, histogram.counts, strict=True))
    return math.sqrt(squares / (histogram.count - 1))


def _pool(blocks: Sequence[Block]) -> Histogram:
    total = blocks[0].histogram
    for block in blocks[1:]:
        total = total + block.histogram
    return total


def blocks_of(days: Sequence[tuple[dt.date, Histogram]], block_answers: int) -> list[Block]:
    """Days with answers pooled, in order, into blocks of at least ``block_answers`` answers (a trailing
    block with fewer is dropped: it is not yet a complete observation)."""
    blocks: list[Block] = []
    pending: list[tuple[dt.date, Histogram]] = []
    for day, histogram in days:
        if histogram.count == 0:
            continue
        pending.append((day, histogram))
        total = sum(h.count for _, h in pending)
        if total >= block_answers:
            pooled = pending[0][1]
            for _, more in pending[1:]:
                pooled = pooled + more
            blocks.append(Block(pending[0][0], pending[-1][0], len(pending), pooled))
            pending = []
    return blocks


def _warm(state: _State, policy: CusumPolicy) -> bool:
    pooled = state.pooled
    return (pooled is not None and sum(b.days for b in state.reference) >= policy.warmup_days
            and pooled.count >= policy.warmup_answers and _spread(pooled) > 0)


def _change_start(run: Sequence[tuple[Block, float]]) -> int:
    """Where in the CUSUM's run the new level most likely began: the j maximising (Σ_{i≥j} z_i)² / (m − j),
    the likelihood ratio of a single shift of unknown size (the CUSUM's own restart point, which the drift k
    biases toward earlier noise, is only the fallback for ties)."""
    best, best_score, tail = 0, -1.0, 0.0
    for j in range(len(run) - 1, -1, -1):
        tail += run[j][1]
        score = tail * tail / (len(run) - j)
        if score >= best_score:
            best, best_score = j, score
    return best


def _alarm(state: _State, block: Block, direction: Direction, statistic: float) -> ChangePoint:
    run = state.since_rise if direction is Direction.RISE else state.since_drop
    shifted_blocks = [b for b, _ in run[_change_start(run):]]
    shifted = _pool(shifted_blocks)
    started_on = shifted_blocks[0].first
    reference = _pool([b for b in state.reference if b.last < started_on] or state.reference)
    point = ChangePoint(direction, started_on, block.last, mean_of(reference), reference.count,
                        mean_of(shifted), shifted.count, statistic)
    # The new level becomes the reference; monitoring resumes once it holds a warm-up's worth of days.
    state.reference, state.pooled = shifted_blocks, shifted
    state.since_rise, state.since_drop, state.rise, state.drop = [], [], 0.0, 0.0
    return point


def _standardised(state: _State, block: Block) -> float:
    pooled = state.pooled
    assert pooled is not None
    n = block.histogram.count
    return (mean_of(block.histogram) - mean_of(pooled)) / (_spread(pooled) * math.sqrt(1 / n + 1 / pooled.count))


def detect(days: Sequence[tuple[dt.date, Histogram]], policy: CusumPolicy | None = None) -> CusumRun:
    """Run the detector over (local date, histogram) days, oldest first; days without answers are skipped."""
    policy = policy or CusumPolicy()
    h, k = policy.threshold, policy.drift
    state = _State()
    alarms: list[ChangePoint] = []
    monitored = 0
    for block in blocks_of(days, policy.block_answers):
        if _warm(state, policy):
            monitored += block.days
            z = _standardised(state, block)
            state.rise, state.drop = max(0.0, state.rise + z - k), max(0.0, state.drop - z - k)
            state.since_rise = [*state.since_rise, (block, z)] if state.rise > 0 else []
            state.since_drop = [*state.since_drop, (block, -z)] if state.drop > 0 else []
            if state.rise > h or state.drop > h:
                direction = Direction.RISE if state.rise > h else Direction.DROP
                alarms.append(_alarm(state, block, direction, max(state.rise, state.drop)))
                continue
        state.reference.append(block)
        state.pooled = block.histogram if state.pooled is None else state.pooled + block.histogram
    return CusumRun(tuple(alarms), monitored)
