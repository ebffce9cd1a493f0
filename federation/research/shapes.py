"""The shapes a researcher may ask for, the research policy, and the refusals that say what is allowed.

A breakdown is: one scope (a service, an organisation's services, a service class or the nation); one question
of the national battery in one wording version; whole quarters or whole years that have ended (at most
``max_quarters`` quarters); at most two of age band (10-year), region, language and gender; and metrics that fit
the question's scale. Anything else is refused with a :class:`BreakdownRefusal` whose message says what is allowed.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from federation.battery.scales import Scale
from federation.errors import DomainError, PublicationCode, ResearchCode
from pseudonymize.disclosure import PRODUCTION_MINIMUM_THRESHOLD, DisclosurePolicy, Metric
from pseudonymize.pseudonyms import quarter_end


class ScopeKind(enum.Enum):
    """Which services a breakdown covers. The names are part of the public API contract."""

    SERVICE = "SERVICE"
    ORGANISATION = "ORGANISATION"
    SERVICE_CLASS = "SERVICE_CLASS"
    NATION = "NATION"


class Dimension(enum.Enum):
    """A demographic attribute a breakdown can group by, in canonical order. Part of the API contract."""

    AGE_BAND = "AGE_BAND"
    REGION = "REGION"
    LANGUAGE = "LANGUAGE"
    GENDER = "GENDER"

    @property
    def column(self) -> str:
        """The cube column holding the attribute."""
        return self.value.lower()


class PrivacyMode(enum.Enum):
    """How an answer is noised. The names are part of the public API contract."""

    DISCLOSURE_CONTROL = "DISCLOSURE_CONTROL"
    DIFFERENTIAL_PRIVACY = "DIFFERENTIAL_PRIVACY"


ALLOWED_SHAPES = (
    "Allowed: scope SERVICE (a service id), ORGANISATION (a business ID), SERVICE_CLASS (a class name) or NATION "
    "(no id); a national battery question (national.*); whole quarters ('2025Q1' to '2025Q4') or whole years "
    "('2024' to '2025') that have ended, at most {max_quarters} quarters; at most two of AGE_BAND, REGION, "
    "LANGUAGE, GENDER; metrics COUNT and MEAN (any scale), TOP_TWO_BOX (not YES_NO), NPS (NPS_11 only), "
    "YES_SHARE (YES_NO only); epsilon only with DIFFERENTIAL_PRIVACY, {min_epsilon}–{max_epsilon} with at most "
    "three decimals."
)

_QUARTER = re.compile(r"(\d{4})Q([1-4])")
_YEAR = re.compile(r"\d{4}")
FIRST_YEAR, LAST_YEAR = 2000, 2099
"""Years a period may name; anything else is refused before a quarter is counted."""
_MICRO = 1_000_000


class BreakdownRefusal(DomainError):
    """A breakdown outside the allowed shapes (or over budget); the message says what is allowed."""


def _refuse(code: ResearchCode | PublicationCode, message: str,
            policy: ResearchPolicy | None = None) -> BreakdownRefusal:
    allowed = (policy or ResearchPolicy()).allowed()
    return BreakdownRefusal(code, f"{message} {allowed}")


@dataclass(frozen=True)
class ResearchPolicy:
    """Limits of researcher breakdowns: disclosure control, period length, epsilon range and budgets.

    Budgets are in epsilon (exact fractions): ``researcher_budget`` per researcher, ``global_budget`` for all
    researchers together. Guarantee: validated here; with ``production`` the disclosure threshold is at
    least 10. Limits: a policy only states the limits; the ledger enforces the budgets.
    """

    disclosure: DisclosurePolicy = field(default_factory=DisclosurePolicy)
    max_quarters: int = 12
    min_epsilon: Fraction = Fraction(1, 100)
    max_epsilon: Fraction = Fraction(5)
    researcher_budget: Fraction = Fraction(10)
    global_budget: Fraction = Fraction(100)
    production: bool = False

    def __post_init__(self) -> None:
        if self.production and self.disclosure.threshold < PRODUCTION_MINIMUM_THRESHOLD:
            raise ValueError(f"the research threshold may not be below {PRODUCTION_MINIMUM_THRESHOLD} in "
                             f"production, got {self.disclosure.threshold}; raise ARVIO_RESEARCH_THRESHOLD.")
        if not 1 <= self.max_quarters <= 40:
            raise ValueError(f"max_quarters must be from 1 to 40, got {self.max_quarters}.")
        if not 0 < self.min_epsilon <= self.max_epsilon:
            raise ValueError(f"need 0 < min_epsilon <= max_epsilon, got {self.min_epsilon} and {self.max_epsilon}.")
        for name in ("researcher_budget", "global_budget"):
            value = getattr(self, name)
            if value < 0 or (value * _MICRO).denominator != 1:
                raise ValueError(f"{name} must be zero or more with at most six decimals, got {value}.")

    def allowed(self) -> str:
        """The sentence that lists every allowed shape (ends every refusal)."""
        return ALLOWED_SHAPES.format(max_quarters=self.max_quarters, min_epsilon=_text(self.min_epsilon),
                                     max_epsilon=_text(self.max_epsilon))


def _text(value: Fraction) -> str:
    return f"{float(value):g}"


def to_micro(epsilon: Fraction) -> int:
    """Epsilon in millionths (the ledger's integer unit); exact."""
    micro = epsilon * _MICRO
    if micro.denominator != 1:
        raise ValueError(f"{epsilon} has more than six decimals.")
    return int(micro)


def parse_epsilon(value: float, policy: ResearchPolicy) -> Fraction:
    """An API epsilon as an exact fraction: its shortest decimal form, at most three decimals, within range."""
    try:
        decimal = Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, OverflowError):
        raise _refuse(ResearchCode.EPSILON_OUT_OF_RANGE, f"epsilon {value!r} is not a number.", policy) from None
    epsilon = Fraction(decimal) if decimal.is_finite() else Fraction(-1)
    if (epsilon * 1000).denominator != 1 or not policy.min_epsilon <= epsilon <= policy.max_epsilon:
        raise _refuse(ResearchCode.EPSILON_OUT_OF_RANGE, f"epsilon {value!r} is out of range.", policy)
    return epsilon


@dataclass(frozen=True)
class Scope:
    """The services of a breakdown: ``SERVICE`` (id), ``ORGANISATION`` (business ID), ``SERVICE_CLASS`` (class
    name) or ``NATION`` (no id). Guarantee: an id exactly when the kind needs one."""

    kind: ScopeKind
    id: str | None = None

    def __post_init__(self) -> None:
        if (self.kind is ScopeKind.NATION) != (self.id is None or self.id == ""):
            need = "no id" if self.kind is ScopeKind.NATION else "an id"
            raise _refuse(ResearchCode.INVALID_SCOPE, f"scope {self.kind.value} takes {need}.")

    @property
    def label(self) -> str:
        """``KIND`` or ``KIND:id`` (audit subject)."""
        return self.kind.value if self.id is None else f"{self.kind.value}:{self.id}"


@dataclass(frozen=True)
class Period:
    """Whole quarters (``"2025Q1"``–``"2025Q2"``) or whole years (``"2024"``–``"2025"``), ends included.

    Guarantee: both ends of the same kind, in the years 2000–2099, first ≤ last (compared as quarter numbers, not
    text), so a period holds at most 400 quarters. Limits: whether it has ended is checked against a given ``now``
    by :func:`check_request`.
    """

    first: str
    last: str

    def __post_init__(self) -> None:
        kinds = {_kind(self.first), _kind(self.last)}
        if None in kinds or len(kinds) != 1:
            raise _refuse(PublicationCode.INVALID_PERIOD,
                          "from and to must both be whole quarters ('2025Q1') or both whole years ('2025').")
        for end in (self.first, self.last):
            if not FIRST_YEAR <= int(end[:4]) <= LAST_YEAR:
                raise _refuse(PublicationCode.INVALID_PERIOD,
                              f"period end {end} is outside the years {FIRST_YEAR}–{LAST_YEAR}.")
        if self.count > 0:
            return
        raise _refuse(PublicationCode.INVALID_PERIOD, f"period starts ({self.first}) after it ends ({self.last}).")

    @property
    def _bounds(self) -> tuple[int, int]:
        """First and last quarter as numbers (year × 4 + quarter − 1)."""
        first = self.first if _kind(self.first) == "quarter" else f"{self.first}Q1"
        last = self.last if _kind(self.last) == "quarter" else f"{self.last}Q4"
        return int(first[:4]) * 4 + int(first[5]) - 1, int(last[:4]) * 4 + int(last[5]) - 1

    @property
    def count(self) -> int:
        """How many quarters the period holds (≤ 0 when it starts after it ends), computed without listing them."""
        first, last = self._bounds
        return last - first + 1

    @property
    def quarters(self) -> tuple[str, ...]:
        """Every quarter of the period, oldest first (``"2025Q1"`` form, as in the cube)."""
        first, last = self._bounds
        return tuple(f"{n // 4:04d}Q{n % 4 + 1}" for n in range(first, last + 1))

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return quarter_end(self.quarters[-1])


def _kind(text: str) -> str | None:
    if not isinstance(text, str):
        return None
    if _QUARTER.fullmatch(text):
        return "quarter"
    return "year" if _YEAR.fullmatch(text) else None


@dataclass(frozen=True)
class BreakdownRequest:
    """One researcher question. Dimensions are kept in canonical order and metrics as a set, so two requests
    that mean the same compare (and cache) equal. Guarantee: at most two distinct dimensions, at least one
    metric, epsilon exactly in differential-privacy mode."""

    scope: Scope
    question_id: str
    period: Period
    dimensions: tuple[Dimension, ...]
    metrics: frozenset[Metric]
    mode: PrivacyMode = PrivacyMode.DISCLOSURE_CONTROL
    epsilon: Fraction | None = None
    wording_version: int | None = None

    def __post_init__(self) -> None:
        if len(set(self.dimensions)) != len(self.dimensions) or len(self.dimensions) > 2:
            raise _refuse(ResearchCode.TOO_MANY_DIMENSIONS,
                          f"the breakdown asks for {len(self.dimensions)} dimensions "
                          f"({', '.join(d.value for d in self.dimensions)}); ask for at most two distinct ones.")
        object.__setattr__(self, "dimensions", tuple(d for d in Dimension if d in self.dimensions))
        object.__setattr__(self, "metrics", frozenset(self.metrics))
        if not self.metrics:
            raise _refuse(ResearchCode.NO_METRICS, "the breakdown asks for no metric.")
        if (self.mode is PrivacyMode.DIFFERENTIAL_PRIVACY) != (self.epsilon is not None):
            raise _refuse(ResearchCode.EPSILON_REQUIRED if self.epsilon is None else ResearchCode.EPSILON_NOT_ALLOWED,
                          "epsilon is required with DIFFERENTIAL_PRIVACY and not allowed with DISCLOSURE_CONTROL.")

    def canonical(self) -> dict[str, object]:
        """A JSON-ready description (cache key, audit trail): no personal data."""
        return {"scope": self.scope.kind.value, "scopeId": self.scope.id, "question": self.question_id,
                "wording": self.wording_version, "from": self.period.first, "to": self.period.last,
                "by": [d.value for d in self.dimensions], "metrics": sorted(m.value for m in self.metrics),
                "mode": self.mode.value, "epsilon": None if self.epsilon is None else str(self.epsilon)}

    def canonical_json(self) -> str:
        """:meth:`canonical` as compact, key-sorted JSON."""
        return json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))


_METRIC_SCALES: dict[Metric, tuple[Scale, ...] | None] = {
    Metric.COUNT: None, Metric.MEAN: None, Metric.NPS: (Scale.NPS_11,), Metric.YES_SHARE: (Scale.YES_NO,),
    Metric.TOP_TWO_BOX: (Scale.STARS_5, Scale.NPS_11, Scale.FACES_4, Scale.LIKERT_5),
}


CLOSING_DAYS = 30
"""Days after its end that a quarter closes: from then on its cube no longer changes (late answers are left out,
pseudonyms are cleared so erasure cannot reach it; federation/privacy/cube.py), and researchers may ask for it.
The same number as the cube's pseudonym grace period (``PSEUDONYM_GRACE_DAYS``), which a test keeps equal."""


def check_request(request: BreakdownRequest, scale: Scale, policy: ResearchPolicy, now: dt.datetime) -> None:
    """Refuse what the shape rules forbid given the question's ``scale`` and the time ``now``: too many quarters,
    quarters that have not closed (ended :data:`CLOSING_DAYS` ago), metrics that do not fit the scale."""
    if request.period.count > policy.max_quarters:
        raise _refuse(ResearchCode.PERIOD_TOO_LONG, f"the period has {request.period.count} quarters.", policy)
    if request.period.end >= now.astimezone(dt.UTC).date():
        raise _refuse(PublicationCode.PERIOD_NOT_ENDED,
                      f"the period ends on {request.period.end.isoformat()}, which has not "
                      "passed; ask for quarters that have ended.", policy)
    opens = request.period.end + dt.timedelta(days=CLOSING_DAYS + 1)
    if opens > now.astimezone(dt.UTC).date():
        raise _refuse(PublicationCode.PERIOD_NOT_ENDED,
                      f"the period ends on {request.period.end.isoformat()}; a quarter opens to "
                      f"research {CLOSING_DAYS} days after it ends, when its figures no longer "
                      f"change (this one on {opens.isoformat()}).", policy)
    for metric in sorted(request.metrics, key=lambda m: m.value):
        scales = _METRIC_SCALES[metric]
        if scales is not None and scale not in scales:
            raise _refuse(ResearchCode.METRIC_NOT_FOR_SCALE,
                          f"{metric.value} is not defined for {request.question_id}, "
                          f"which uses the {scale.value} scale.", policy)
    if request.epsilon is not None and not policy.min_epsilon <= request.epsilon <= policy.max_epsilon:
        raise _refuse(ResearchCode.EPSILON_OUT_OF_RANGE, f"epsilon {_text(request.epsilon)} is out of range.", policy)
