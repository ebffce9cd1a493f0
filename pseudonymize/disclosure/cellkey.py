"""Consistent cell-key noise: the same cell with the same true value always gets the same perturbation.

The perturbation of a statistic of a cell is drawn from a fixed bounded distribution by HMAC-SHA-256 under a
server secret, over the cell's key (a canonical description of what the cell counts: its levels and *which
components contribute to it*), the statistic's name and its true value. So asking again, asking through another
query that reaches the same cell, or averaging many answers gains nothing: they all carry the same noise.
When the true value changes (one person more), the noise is drawn afresh, so the difference of two releases is
not the difference of the true values.

Component keys are combined by addition modulo 2**64 (as record keys are in the ABS cell-key method), so the
key of a cell does not depend on the order in which its components are listed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field

MIN_SECRET_BYTES = 32
_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class CellKeyNoise:
    """Deterministic, secret-keyed noise in ``[−bound, bound]`` with the triangular weights ``bound + 1 − |k|``
    (mean 0, variance ``bound(bound + 2)/6``).

    Guarantee: a function of (secret, cell key, statistic, true value) only; without the secret the draws are
    indistinguishable from independent ones (HMAC-SHA-256 as a PRF). The 64-bit HMAC output is mapped to the
    weights by multiply-and-shift, which skews each probability by less than 2**-50.
    Limits: not differential privacy — the noise is bounded, and a cell whose true value can be pinned by other
    means stays pinned; it defeats averaging and repeated-query attacks, not prior knowledge. Rotating the secret
    draws all noise afresh (one more sample of every cell), so derive it from a key that rotates rarely.
    """

    secret: bytes = field(repr=False)
    bound: int = 3

    def __post_init__(self) -> None:
        if not isinstance(self.secret, bytes) or len(self.secret) < MIN_SECRET_BYTES:
            raise ValueError(
                f"the cell-key secret must be at least {MIN_SECRET_BYTES} bytes; derive it with "
                "pseudonymize.keys.derive_key(master, 'cell-key', ...)."
            )
        if isinstance(self.bound, bool) or not isinstance(self.bound, int) or not 0 <= self.bound <= 50:
            raise ValueError(f"the cell-key noise bound must be a whole number from 0 to 50, got {self.bound!r}.")

    def component_key(self, component: str) -> int:
        """A secret 64-bit key of one component (e.g. one service in one quarter)."""
        return _u64(hmac.new(self.secret, b"component\x00" + component.encode(), hashlib.sha256).digest())

    def deviation(self, cell_key: str, statistic: str, true_value: int) -> int:
        """The noise of ``statistic`` of the cell ``cell_key`` whose true value is ``true_value``."""
        if "\x00" in cell_key or "\x00" in statistic:
            raise ValueError("cell keys and statistic names may not contain NUL characters.")
        message = f"cell\x00{cell_key}\x00{statistic}\x00{true_value}".encode()
        draw = _u64(hmac.new(self.secret, message, hashlib.sha256).digest())
        return self.weight_index_to_deviation((draw * (self.bound + 1) ** 2) >> 64)

    def weight_index_to_deviation(self, index: int) -> int:
        """The deviation at position ``index`` of the ``(bound + 1)²`` equally likely slots (inverse CDF)."""
        for deviation in range(-self.bound, self.bound + 1):
            index -= self.bound + 1 - abs(deviation)
            if index < 0:
                return deviation
        raise ValueError(f"slot index out of range for bound {self.bound}.")

    def probability(self, deviation: int) -> float:
        """The probability of ``deviation`` (for tests and documentation)."""
        if abs(deviation) > self.bound:
            return 0.0
        return (self.bound + 1 - abs(deviation)) / (self.bound + 1) ** 2


def combine_component_keys(keys: Iterable[int]) -> int:
    """The key of a set of components: the sum of their keys modulo 2**64 (order does not matter)."""
    total = 0
    for key in keys:
        total = (total + key) & _MASK
    return total


def _u64(digest: bytes) -> int:
    return int.from_bytes(digest[:8], "big")
