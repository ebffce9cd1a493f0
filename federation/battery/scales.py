"""Answer scales of the rating questions.

Every metric arvio publishes derives from a histogram of counts per scale value, so a scale is defined by its
value range and by which values count as "top two box" (the two best), promoters and detractors.
"""

from __future__ import annotations

import enum
import functools


class Scale(enum.Enum):
    """The answer scales a question can use. The names are part of the public API contract."""

    STARS_5 = "STARS_5"
    NPS_11 = "NPS_11"
    YES_NO = "YES_NO"
    FACES_4 = "FACES_4"
    LIKERT_5 = "LIKERT_5"

    # The facts below are cached on the member: they are read for every histogram a score or an export sums.
    @functools.cached_property
    def minimum(self) -> int:
        """The lowest value an answer on this scale can take."""
        return _BOUNDS[self][0]

    @functools.cached_property
    def maximum(self) -> int:
        """The highest value an answer on this scale can take."""
        return _BOUNDS[self][1]

    @functools.cached_property
    def values(self) -> range:
        """Every value an answer on this scale can take, lowest first."""
        return range(self.minimum, self.maximum + 1)

    @functools.cached_property
    def size(self) -> int:
        """How many distinct values the scale has."""
        return self.maximum - self.minimum + 1

    def contains(self, value: int) -> bool:
        """Whether ``value`` is a valid answer on this scale."""
        return self.minimum <= value <= self.maximum

    def describe_range(self) -> str:
        """The valid range as a user-facing phrase, e.g. ``1–5``."""
        return f"{self.minimum}–{self.maximum}"


_BOUNDS: dict[Scale, tuple[int, int]] = {
    Scale.STARS_5: (1, 5),
    Scale.NPS_11: (0, 10),
    Scale.YES_NO: (0, 1),
    Scale.FACES_4: (1, 4),
    Scale.LIKERT_5: (1, 5),
}

# Rollups store one counter column per possible value; every scale's values fit in 0..10.
HISTOGRAM_SLOTS = 11
