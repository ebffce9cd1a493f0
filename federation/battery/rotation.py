"""Question rotation: which main question a final page shows, drawn at random by configured weights. Pure.

The pool of a draw is the national battery plus the organisation's own questions (retired ones excluded), limited
to what the channel's type takes, in that type's wording (federation/battery/question_sets.py ``draw_pool``).
Each question's weight is the most specific rule the organisation configured - (service, channel), then
(service, any channel), then (any service, channel), then organisation-wide - or else the default: the
question's own weight, except that NPS questions are meant for voice channels (phone, chat) only: by default
a voice channel draws only NPS_11 questions and every other channel (or none) only the others. A rule with
weight 0 takes a question out. When every weight is 0 the draw falls back to the channel's standard question
(``national.nps`` on voice channels, ``national.transaction-smooth`` elsewhere) so a page always has one.

Probabilities are exactly weight / total weight; :meth:`DrawTable.pick` uses one ``random()`` of the injected
generator per draw.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from federation.battery.national import NPS, TRANSACTION_SMOOTH, Wording
from federation.battery.scales import Scale
from federation.registry.kinds import ChannelType

MAX_WEIGHT = 1000.0
MIN_WEIGHT = 0.001
"""Smallest positive weight: keeps every probability a normal float (a share of at least 1e-9)."""


@dataclass(frozen=True, slots=True)
class PoolQuestion:
    """A question the organisation may draw: national or its own, not retired, with its current wording."""

    question_id: str
    wording_version: int
    scale: Scale
    default_weight: float
    owner: str | None
    wording: Wording
    channel_types: frozenset[ChannelType] | None = None
    """An own question's channel types (None: every type); national questions follow their question sets."""
    variant: str | None = None
    """The channel wording shown instead of the national one (e.g. "Kiosk.1"), None for the national wording."""


@dataclass(frozen=True, slots=True)
class WeightRule:
    """An organisation's weight for one question; ``None`` for service or channel means any."""

    question_id: str
    weight: float
    service_id: str | None = None
    channel_id: str | None = None

    def __post_init__(self) -> None:
        check_weight(self.weight)

    def specificity(self, service_id: str, channel_id: str | None) -> int:
        """How closely the rule fits a draw for (service, channel): 4 best, 0 = does not apply."""
        if self.service_id is not None and self.service_id != service_id:
            return 0
        if self.channel_id is not None and self.channel_id != channel_id:
            return 0
        return 1 + 2 * (self.service_id is not None) + (self.channel_id is not None)


def check_weight(weight: float) -> None:
    """Refuse weights that are not 0 or a number from :data:`MIN_WEIGHT` to :data:`MAX_WEIGHT`."""
    if not math.isfinite(weight) or not (weight == 0.0 or MIN_WEIGHT <= weight <= MAX_WEIGHT):
        raise ValueError(f"a weight must be 0 (takes the question out of the rotation) or a number from "
                         f"{MIN_WEIGHT:g} to {MAX_WEIGHT:g}; got {weight!r}.")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A question that can be drawn, with its weight and its probability in the table it belongs to."""

    question: PoolQuestion
    weight: float
    probability: float


@dataclass(frozen=True)
class DrawTable:
    """The candidates of one (service, channel) with positive weight, ready for drawing.

    Guarantee: at least one candidate; probabilities are positive and sum to 1 (up to rounding).
    """

    candidates: tuple[Candidate, ...]
    _cumulative: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.candidates:
            raise ValueError("a draw table needs at least one candidate with a positive weight.")
        running, cumulative = 0.0, []
        for candidate in self.candidates:
            running += candidate.probability
            cumulative.append(running)
        object.__setattr__(self, "_cumulative", tuple(cumulative))

    def pick(self, rng: random.Random) -> Candidate:
        """One candidate, drawn with probability equal to its share of the total weight."""
        index = bisect.bisect_right(self._cumulative, rng.random() * self._cumulative[-1])
        return self.candidates[min(index, len(self.candidates) - 1)]


def default_weight(question: PoolQuestion, *, voice: bool) -> float:
    """The weight without any rule: the question's own, if its scale suits the channel kind, else 0."""
    return question.default_weight if (question.scale is Scale.NPS_11) == voice else 0.0


def resolve_weight(question: PoolQuestion, rules: Iterable[WeightRule], *, service_id: str,
                   channel_id: str | None, voice: bool) -> float:
    """The weight of ``question`` at (service, channel): the most specific rule, else the default."""
    best: WeightRule | None = None
    best_fit = 0
    for rule in rules:
        if rule.question_id != question.question_id:
            continue
        fit = rule.specificity(service_id, channel_id)
        if fit > best_fit:
            best, best_fit = rule, fit
    return best.weight if best is not None else default_weight(question, voice=voice)


def build_table(pool: Sequence[PoolQuestion], rules: Sequence[WeightRule], *, service_id: str,
                channel_id: str | None, voice: bool) -> DrawTable:
    """The draw table of (service, channel); see the module docstring for the rules and the fallback.

    Raises ``LookupError`` when nothing can be drawn (no positive weight and the standard question is not in
    the pool).
    """
    weighted = [(q, resolve_weight(q, rules, service_id=service_id, channel_id=channel_id, voice=voice))
                for q in sorted(pool, key=lambda q: q.question_id)]
    chosen = [(q, w) for q, w in weighted if w > 0]
    if not chosen:
        standard = NPS if voice else TRANSACTION_SMOOTH
        chosen = [(q, 1.0) for q in pool if q.question_id == standard]
    if not chosen:
        raise LookupError("no question can be drawn: every weight is 0 and the standard question is missing; "
                          "give at least one question a positive weight.")
    total = math.fsum(w for _, w in chosen)
    return DrawTable(tuple(Candidate(q, w, w / total) for q, w in chosen))
