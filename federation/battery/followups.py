"""Follow-up drivers: the multiple-choice reasons behind an answer ("what went well / what didn't")."""

from __future__ import annotations

import enum

from federation.battery.national import Wording
from federation.battery.scales import Scale
from federation.i18n.markers import N_

DRIVERS: tuple[str, ...] = (
    "effectiveness", "ease", "efficiency", "transparency", "language", "staff", "other",
)
"""Driver codes (after US A-11 §280 and the national concept); the codes are API contract."""

MAX_FREE_TEXT = 2000
"""Longest free text accepted, in characters."""


class Band(enum.Enum):
    """Where an answer falls on its scale; it picks the follow-up question and is the polarity of drivers."""

    POSITIVE = "POSITIVE"
    NEUTRAL = "NEUTRAL"
    NEGATIVE = "NEGATIVE"


_NPS_DETRACTOR_MAX, _NPS_PASSIVE_MAX = 6, 8


def band_of(scale: Scale, value: int) -> Band:
    """The band of ``value`` on ``scale`` (the value must be on the scale).

    Stars and Likert (1-5): 1-2 NEGATIVE, 3 NEUTRAL, 4-5 POSITIVE (the national concept). Other scales are
    scaled by the value's position p = (value - min) / (max - min): p < 0.4 NEGATIVE, p > 0.6 POSITIVE, else
    NEUTRAL, so FACES_4 is 1-2 / 3-4 and YES_NO 0 / 1 (no middle). NPS_11 keeps its own convention instead:
    detractors 0-6 NEGATIVE, passives 7-8 NEUTRAL, promoters 9-10 POSITIVE.
    """
    if not scale.contains(value):
        raise ValueError(f"value {value} is not on the {scale.value} scale ({scale.describe_range()}).")
    if scale is Scale.NPS_11:
        if value <= _NPS_DETRACTOR_MAX:
            return Band.NEGATIVE
        return Band.NEUTRAL if value <= _NPS_PASSIVE_MAX else Band.POSITIVE
    position = (value - scale.minimum) / (scale.maximum - scale.minimum)
    if position < 0.4:
        return Band.NEGATIVE
    return Band.POSITIVE if position > 0.6 else Band.NEUTRAL


FOLLOW_UP_QUESTIONS: dict[Band, str] = {
    Band.POSITIVE: N_("Where did we succeed especially?"),
    Band.NEUTRAL: N_("What could be better?"),
    Band.NEGATIVE: N_("What should we improve?"),
}
"""The follow-up question of each band (the national concept's three follow-ups), as msgids of the gettext
catalogs (federation/i18n/locales/): federation/i18n/catalogs.py translates them in the reader's locale."""

DRIVER_LABELS: dict[str, str] = {
    "effectiveness": N_("The outcome of my matter"),
    "ease": N_("Ease"),
    "efficiency": N_("Speed"),
    "transparency": N_("Clarity and transparency"),
    "language": N_("Language"),
    "staff": N_("Staff"),
    "other": N_("Other"),
}
"""How the widget names each driver, as msgids of the gettext catalogs (same order as :data:`DRIVERS`).

Each label is a noun phrase, never a clause: the same checkbox follows "Where did we succeed especially?" and
"What should we improve?", so "The outcome of my matter" reads right after both, where "My matter got done"
would be a claim that cannot be an improvement area. The dashboard names drivers with the same msgids
(schema/http/static/dashboard/i18n.js); tests/federation/battery/test_followups.py checks both."""


def wording_in(wording: Wording, locale: str) -> str:
    """The text of ``wording`` in ``locale`` (fi, sv or en; anything else, such as se, gets Finnish)."""
    return wording_of(wording, locale)[0]


def wording_of(wording: Wording, locale: str) -> tuple[str, str]:
    """The text of ``wording`` in ``locale`` and the language it is in: question wordings are versioned data
    (federation/battery/national.py) in fi, sv and en; any other locale (se) gets the Finnish wording."""
    if locale == "sv":
        return wording.sv, "sv"
    return (wording.en, "en") if locale == "en" else (wording.fi, "fi")
