"""Does a question's wording fit its answer scale? The rule the national battery is held to.

A citizen sees the scale with its labels (the widget, schema/http/static/arvio-widget.js, shows the same
:data:`SCALE_LABELS`): five stars run from "Poor" to "Excellent", NPS from "Not at all likely" to "Extremely
likely", a yes/no question has "Yes" and "No". A wording fits when those labels answer it:

* ``STARS_5`` and ``FACES_4`` (poor … excellent/good): an open question asking how something went or how the
  respondent rates it — "How did …", "How would you rate …" / "Kuinka … sujui", "Miten arvioisit …" /
  "Hur gick …", "Hur bedömer du …". A yes/no question ("Was the service easy to use?") does not fit.
* ``NPS_11``: "How likely … recommend" / "Kuinka todennäköisesti … suosittel…" / "Hur sannolikt … rekommendera".
* ``YES_NO``: a closed question — English and Swedish start with a verb ("Did …", "Hittade du …"), Finnish has
  the question clitic -ko/-kö on its first word ("Löysitkö …").
* ``LIKERT_5`` (disagree … agree): a statement, not a question.

Pure data and string checks; tests/federation/battery/test_wording_rules.py applies it to every national
question (federation/battery/national.py) in fi, sv and en.
"""

from __future__ import annotations

import re

from federation.battery.national import Wording
from federation.battery.scales import Scale

SCALE_LABELS: dict[Scale, tuple[Wording, ...]] = {
    Scale.STARS_5: (Wording("Huono", "Dålig", "Poor"), Wording("Erinomainen", "Utmärkt", "Excellent")),
    Scale.NPS_11: (Wording("Ei lainkaan todennäköisesti", "Inte alls sannolikt", "Not at all likely"),
                   Wording("Erittäin todennäköisesti", "Mycket sannolikt", "Extremely likely")),
    Scale.YES_NO: (Wording("Ei", "Nej", "No"), Wording("Kyllä", "Ja", "Yes")),
    Scale.FACES_4: (Wording("Huono", "Dålig", "Poor"), Wording("Melko huono", "Ganska dålig", "Fairly poor"),
                    Wording("Melko hyvä", "Ganska bra", "Fairly good"), Wording("Hyvä", "Bra", "Good")),
    Scale.LIKERT_5: (Wording("Täysin eri mieltä", "Helt av annan åsikt", "Strongly disagree"),
                     Wording("Täysin samaa mieltä", "Helt av samma åsikt", "Strongly agree")),
}
"""The labels the citizen sees on each scale, lowest first: both ends (STARS_5, NPS_11, LIKERT_5), or every
value (YES_NO: 0 then 1; FACES_4: 1 to 4)."""

_GRADE = {  # open questions that "Poor … Excellent" answers
    "fi": re.compile(r"^(Kuinka|Miten|Millainen|Millaiseksi)\b(?!.*todennäköisesti)"),
    "sv": re.compile(r"^(Hur gick|Hur var|Hur bedömer du|Hur skulle du bedöma)\b"),
    "en": re.compile(r"^(How did|How was|How were|How would you rate)\b"),
}
_LIKELY = {
    "fi": re.compile(r"^Kuinka todennäköisesti\b.*\bsuosittel"),
    "sv": re.compile(r"^Hur sannolikt\b.*\brekommendera"),
    "en": re.compile(r"^How likely\b.*\brecommend"),
}
_CLOSED = {
    "fi": re.compile(r"^\w+(ko|kö)\b", re.IGNORECASE),
    "sv": re.compile(r"^(Var|Är|Hittade|Fick|Kunde|Kan|Har|Hade|Hjälpte|Skulle|Vill|Blev|Gick det|Fungerade|"
                     r"Förstod|Lyckades)\s+(du|ni|tjänsten|språket|det|ditt|din)\b"),
    "en": re.compile(r"^(Did|Do|Does|Was|Were|Is|Are|Could|Can|Would|Will|Have|Has|Had)\b"),
}


def wording_problems(scale: Scale, wording: Wording) -> list[str]:
    """Why ``wording`` does not fit ``scale`` (one message per language that fails); empty when it fits."""
    problems: list[str] = []
    for locale, text in (("fi", wording.fi), ("sv", wording.sv), ("en", wording.en)):
        problem = _problem(scale, locale, text.strip())
        if problem is not None:
            problems.append(f"{locale}: {text!r} {problem}")
    return problems


def _problem(scale: Scale, locale: str, text: str) -> str | None:
    if scale is Scale.LIKERT_5:
        return "must be a statement to agree or disagree with, not a question" if text.endswith("?") else None
    if not text.endswith("?"):
        return "must be a question ending in '?'"
    if scale is Scale.NPS_11:
        return None if _LIKELY[locale].search(text) else "must ask how likely the respondent is to recommend"
    if scale is Scale.YES_NO:
        return None if _CLOSED[locale].search(text) else "must be a yes/no question"
    ends = " – ".join(getattr(label, locale) for label in SCALE_LABELS[scale])
    if _CLOSED[locale].search(text) or not _GRADE[locale].search(text):
        return f"must ask how something went or is rated, so that the labels {ends} answer it"
    return None
