"""The disclosure-control policy: threshold, rounding bases, cell-key noise bound and small-cell coding."""

from __future__ import annotations

from dataclasses import dataclass

PRODUCTION_MINIMUM_THRESHOLD = 10
"""UK/ONS research-output rule: in production every published cell and margin rests on at least 10 people."""


@dataclass(frozen=True)
class DisclosurePolicy:
    """How an answer is protected before release.

    - ``threshold``: fewest distinct respondents a published cell or margin may rest on (default 10);
    - ``count_base``: counts are rounded to a multiple of it (default 5);
    - ``mean_decimals``: means are rounded to this many decimals (default 1, i.e. to 0.1);
    - ``noise_bound``: for researcher breakdowns, each finest cell's count gets noise uniform on
      ``[−noise_bound, noise_bound]`` (default 1: counts say who answered, which the threshold protects, not the
      noise; a small bound keeps the means of large tables close);
    - ``atom_noise_bound``: for researcher breakdowns, each finest cell's shares (top two, yes, promoters,
      detractors) get noise uniform on ``[−atom_noise_bound, atom_noise_bound]`` and its value sum that times the
      scale's range (default 3: see federation/research/compute.py for what that guarantees);
    - ``small_cell_limit`` and ``extreme_share_percent``: in a cell whose published count is below
      ``small_cell_limit`` (default 50), a share of at least ``100 − extreme_share_percent`` % is published only
      as "≥ 95 %" and a share of at most ``extreme_share_percent`` % only as "≤ 5 %" (default 5).

    Guarantee: the values are validated here, with messages that say what to change. Whether a threshold
    below 10 is acceptable depends on the environment: the caller enforces :data:`PRODUCTION_MINIMUM_THRESHOLD`
    in production (see ``federation.settings``).
    Limits: a policy only says what to do; the protection comes from applying all of it to every answer.
    """

    threshold: int = 10
    count_base: int = 5
    mean_decimals: int = 1
    noise_bound: int = 1
    atom_noise_bound: int = 3
    small_cell_limit: int = 50
    extreme_share_percent: int = 5

    def __post_init__(self) -> None:
        _whole("threshold", self.threshold, 1, 1000)
        _whole("count_base", self.count_base, 1, 100)
        _whole("mean_decimals", self.mean_decimals, 0, 3)
        _whole("noise_bound", self.noise_bound, 0, 50)
        _whole("atom_noise_bound", self.atom_noise_bound, 0, 50)
        _whole("small_cell_limit", self.small_cell_limit, 0, 100_000)
        _whole("extreme_share_percent", self.extreme_share_percent, 0, 49)


def _whole(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"DisclosurePolicy.{name} must be a whole number from {low} to {high}, got {value!r}.")
