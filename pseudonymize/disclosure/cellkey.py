"""Consistent cell-key noise: the same cell with the same content always gets the same perturbation.

The perturbation of a statistic of a cell is drawn from a fixed bounded distribution by HMAC-SHA-256 under a
server secret, over the cell's key, the statistic's name and its true value. The cell's key combines secret
keys of what the cell contains (in arvio: the cube cells it sums, each with its counts, as the ABS cell-key
method combines record keys), so a cell reached through any query — another shape, another scope covering the
same answers, a margin equal to one of its cells — carries the same noise, and asking again or averaging many
answers gains nothing. When the content changes (one person more), the noise is drawn afresh, so the difference
of two releases is not the difference of the true values.

Content keys are combined by addition modulo 2**64, so the key of a cell does not depend on the order in which
its content is listed.

:meth:`CellKeyNoise.uniform` is the other use: noise keyed by a cell's *identity* alone (not its values), uniform
on ``[−bound, bound]``. Researcher breakdowns perturb the finest cube cells this way once, and publish only sums of
those perturbed cells (federation/research/compute.py): however many queries, scopes and periods overlap, every one
of them sees the same single draw of each finest cell.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

MIN_SECRET_BYTES = 32
_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class CellKeyNoise:
    """Deterministic, secret-keyed noise in ``[−bound, bound]`` with the triangular weights ``bound + 1 − |k|``
    (mean 0, variance ``bound(bound + 2)/6``); the bound is chosen per statistic by the caller.

    Guarantee: a function of (secret, cell key, statistic, true value, bound) only; without the secret the draws
    are indistinguishable from independent ones (HMAC-SHA-256 as a PRF). The 64-bit HMAC output is mapped to the
    weights by multiply-and-shift, which skews each probability by less than 2**-40.
    Limits: not differential privacy — the noise is bounded, and a cell whose true value can be pinned by other
    means stays pinned; it defeats averaging and repeated-query attacks, not prior knowledge. Rotating the secret
    draws all noise afresh (one more sample of every cell), so derive it from a key that rotates rarely.
    """

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.secret, bytes) or len(self.secret) < MIN_SECRET_BYTES:
            raise ValueError(
                f"the cell-key secret must be at least {MIN_SECRET_BYTES} bytes; derive it with "
                "pseudonymize.keys.derive_key(master, 'research-cell-key', ...)."
            )

    def content_key(self, item: str) -> int:
        """A secret 64-bit key of one item of content (a record, or a cube cell described with its counts)."""
        return _u64(hmac.new(self.secret, b"content\x00" + item.encode(), hashlib.sha256).digest())

    def deviation(self, cell_key: str, statistic: str, true_value: int, bound: int) -> int:
        """The noise, in ``[−bound, bound]``, of ``statistic`` of the cell ``cell_key`` with ``true_value``."""
        _check_bound(bound)
        if "\x00" in cell_key or "\x00" in statistic:
            raise ValueError("cell keys and statistic names may not contain NUL characters.")
        message = f"cell\x00{cell_key}\x00{statistic}\x00{true_value}\x00{bound}".encode()
        draw = _u64(hmac.new(self.secret, message, hashlib.sha256).digest())
        return slot_deviation((draw * (bound + 1) ** 2) >> 64, bound)


    def uniform(self, cell_key: str, statistic: str, bound: int) -> int:
        """Noise uniform on the integers ``[−bound, bound]`` for ``statistic`` of the cell ``cell_key``, keyed by
        the cell's identity only: the same cell gets the same draw whatever it holds, so a change of content is
        seen exactly (the change, not the cell) and repeated or overlapping views add nothing."""
        _check_bound(bound)
        if "\x00" in cell_key or "\x00" in statistic:
            raise ValueError("cell keys and statistic names may not contain NUL characters.")
        message = f"uniform\x00{cell_key}\x00{statistic}\x00{bound}".encode()
        draw = _u64(hmac.new(self.secret, message, hashlib.sha256).digest())
        return ((draw * (2 * bound + 1)) >> 64) - bound


def slot_deviation(slot: int, bound: int) -> int:
    """The deviation at position ``slot`` of the ``(bound + 1)²`` equally likely slots (inverse CDF)."""
    for deviation in range(-bound, bound + 1):
        slot -= bound + 1 - abs(deviation)
        if slot < 0:
            return deviation
    raise ValueError(f"slot index out of range for bound {bound}.")


def deviation_probability(deviation: int, bound: int) -> Fraction:
    """The exact probability of ``deviation`` under the triangular weights (tests and documentation)."""
    _check_bound(bound)
    if abs(deviation) > bound:
        return Fraction(0)
    return Fraction(bound + 1 - abs(deviation), (bound + 1) ** 2)


def _check_bound(bound: int) -> None:
    if isinstance(bound, bool) or not isinstance(bound, int) or not 0 <= bound <= 10_000:
        raise ValueError(f"the cell-key noise bound must be a whole number from 0 to 10000, got {bound!r}.")


def combine_content_keys(keys: Iterable[int]) -> int:
    """The key of a cell from the keys of its content: their sum modulo 2**64 (order does not matter)."""
    total = 0
    for key in keys:
        total = (total + key) & _MASK
    return total


def _u64(digest: bytes) -> int:
    return int.from_bytes(digest[:8], "big")
