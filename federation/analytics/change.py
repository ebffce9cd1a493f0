"""The impact of a service change: the score over equal windows before and after it, and a significance test.

Pure functions. A change recorded for a local date takes effect at that date's local midnight (Europe/Helsinki).
The *after* window is ``[change, change + window_days)`` and the *before* window the same length just before it.
While the after window is still running (it would end after ``now``) both windows are shortened to the whole hours
elapsed since the change, so they always have equal length; such an impact is ``PARTIAL``. A change that has not
taken effect is ``PENDING``, and one whose windows lack answers is ``INSUFFICIENT_DATA``.

The test follows the scale's headline metric: Welch's t on the means (stars, Likert, faces), a two-proportion
z-test on the yes-share (yes/no) and a z-test on the NPS difference (NPS). Limits: a before/after difference is
not a causal effect — seasons, campaigns and other changes in the same windows move scores too.

A change can cite the drivers it answers ("you said, we did": the staff were trained, so *staff*). For each cited
driver, :func:`driver_impact` tests its share among the *improvement answers* — answers in the NEGATIVE and
NEUTRAL bands (``federation/battery/followups.py``), whose follow-up asks what to improve — in the same two
windows: share = answers of those bands citing the driver / answers of those bands, compared with the
two-proportion z-test. A fix that worked lowers the share (a negative difference). Answers without a follow-up
count in the denominator, so the share is a lower bound of how often the driver is the problem.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from federation.analytics.series import LOCAL_TIME_ZONE
from federation.analytics.significance import Difference, nps_z, two_proportion_z, welch_t
from federation.battery.followups import Band, band_of
from federation.battery.scales import Scale
from federation.scores.stats import DEFAULT_CONFIDENCE, Histogram

DEFAULT_WINDOW_DAYS = 28
MAX_WINDOW_DAYS = 365
MIN_ANSWERS_PER_WINDOW = 2


class ImpactStatus(enum.Enum):
    """How far an impact could be computed."""

    COMPLETE = "COMPLETE"
    PARTIAL = "PARTIAL"
    PENDING = "PENDING"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


@dataclass(frozen=True)
class ImpactWindows:
    """The before window [before_start, change) and the after window [change, after_end), of equal length."""

    before_start: dt.datetime
    change: dt.datetime
    after_end: dt.datetime
    complete: bool

    @property
    def length(self) -> dt.timedelta:
        """The length of each window."""
        return self.after_end - self.change


@dataclass(frozen=True)
class Impact:
    """A change's windows, the two histograms and, when computable, the difference with its test."""

    status: ImpactStatus
    windows: ImpactWindows | None
    before: Histogram | None
    after: Histogram | None
    difference: Difference | None


def change_moment(occurred_on: dt.date, tz: ZoneInfo = LOCAL_TIME_ZONE) -> dt.datetime:
    """The UTC moment a change of ``occurred_on`` takes effect: that local date's midnight."""
    return dt.datetime.combine(occurred_on, dt.time(0), tzinfo=tz).astimezone(dt.UTC)


def impact_windows(occurred_on: dt.date, *, window_days: int, now: dt.datetime,
                   tz: ZoneInfo = LOCAL_TIME_ZONE) -> ImpactWindows | None:
    """The equal before/after windows of a change, or None when it has not taken effect a whole hour ago."""
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise ValueError(f"windowDays must be 1–{MAX_WINDOW_DAYS}, got {window_days}.")
    change = change_moment(occurred_on, tz)
    full_end = change + dt.timedelta(days=window_days)
    elapsed_end = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    after_end = min(full_end, elapsed_end)
    if after_end <= change:
        return None
    return ImpactWindows(change - (after_end - change), change, after_end, complete=after_end == full_end)


def difference_of(before: Histogram, after: Histogram, *,
                  confidence: float = DEFAULT_CONFIDENCE) -> Difference:
    """The headline metric's difference after − before with the scale's test (see the module docstring)."""
    scale = before.scale
    if scale is Scale.YES_NO:
        return two_proportion_z(before.count_of(range(1, 2)), before.count, after.count_of(range(1, 2)),
                                after.count, confidence=confidence)
    if scale is Scale.NPS_11:
        return nps_z(before, after, confidence=confidence)
    return welch_t(before, after, confidence=confidence)


def impact(windows: ImpactWindows | None, before: Histogram | None, after: Histogram | None, *,
           minimum_count: int = MIN_ANSWERS_PER_WINDOW, confidence: float = DEFAULT_CONFIDENCE) -> Impact:
    """The impact for the given windows and their histograms.

    ``minimum_count`` answers are needed on each side (at least 2; callers showing public figures pass the
    publication threshold), otherwise the status is ``INSUFFICIENT_DATA`` and no difference is given.
    """
    if windows is None or before is None or after is None:
        return Impact(ImpactStatus.PENDING, windows, None, None, None)
    if min(before.count, after.count) < max(minimum_count, MIN_ANSWERS_PER_WINDOW):
        return Impact(ImpactStatus.INSUFFICIENT_DATA, windows, before, after, None)
    status = ImpactStatus.COMPLETE if windows.complete else ImpactStatus.PARTIAL
    return Impact(status, windows, before, after, difference_of(before, after, confidence=confidence))


IMPROVEMENT_BANDS = frozenset({Band.NEGATIVE, Band.NEUTRAL})
"""The bands whose follow-up asks what to improve."""


def improvement_answers(histogram: Histogram) -> int:
    """How many answers of the histogram fall in :data:`IMPROVEMENT_BANDS`."""
    scale = histogram.scale
    return sum(c for v, c in zip(scale.values, histogram.counts, strict=True)
               if band_of(scale, v) in IMPROVEMENT_BANDS)


@dataclass(frozen=True)
class DriverImpact:
    """A cited driver's share among the improvement answers before and after a change, and its test."""

    driver: str
    status: ImpactStatus
    before_answers: int | None
    after_answers: int | None
    before_cited: int | None
    after_cited: int | None
    difference: Difference | None


def driver_impact(driver: str, impact: Impact, *, cited_before: int, cited_after: int,
                  minimum_count: int = MIN_ANSWERS_PER_WINDOW,
                  confidence: float = DEFAULT_CONFIDENCE) -> DriverImpact:
    """The before/after test of ``driver``'s share among the improvement answers in ``impact``'s windows.

    ``cited_*`` are the improvement answers citing the driver in each window (from the driver rollups; capped at
    the answers, which they cannot exceed). Needs ``minimum_count`` improvement answers on each side.
    """
    if impact.windows is None or impact.before is None or impact.after is None:
        return DriverImpact(driver, ImpactStatus.PENDING, None, None, None, None, None)
    before, after = improvement_answers(impact.before), improvement_answers(impact.after)
    cited = min(max(cited_before, 0), before), min(max(cited_after, 0), after)
    if min(before, after) < max(minimum_count, MIN_ANSWERS_PER_WINDOW):
        return DriverImpact(driver, ImpactStatus.INSUFFICIENT_DATA, before, after, *cited, None)
    status = ImpactStatus.COMPLETE if impact.windows.complete else ImpactStatus.PARTIAL
    return DriverImpact(driver, status, before, after, *cited,
                        two_proportion_z(cited[0], before, cited[1], after, confidence=confidence))
