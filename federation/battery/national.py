"""The national shared battery: the main questions every organisation may ask. Ids are API contract.

Pure data (no I/O): federation/battery/service.py seeds it into the database."""

from __future__ import annotations

from dataclasses import dataclass

from federation.battery.scales import Scale

TRANSACTION_SMOOTH = "national.transaction-smooth"
"""The headline question, "How did your transaction go?" (★1–5): the default of every score and the public score."""
LANGUAGE_CLEAR = "national.language-clear"
FOUND_EASILY = "national.found-easily"
EASY_TO_USE = "national.easy-to-use"
HELPED_PROGRESS = "national.helped-progress"
RECOMMEND = "national.recommend"
NPS = "national.nps"
"""Net promoter score (0–10), asked after phone and chat contacts instead of the headline question."""


@dataclass(frozen=True)
class Wording:
    """A question's text in Finnish, Swedish and English."""

    fi: str
    sv: str
    en: str


@dataclass(frozen=True)
class NationalQuestion:
    """A question of the national battery as first published (wording version 1)."""

    id: str
    scale: Scale
    wording: Wording


NATIONAL_BATTERY: tuple[NationalQuestion, ...] = (
    NationalQuestion(TRANSACTION_SMOOTH, Scale.STARS_5, Wording(
        "Kuinka asiointisi sujui?", "Hur gick ditt ärende?", "How did your transaction go?")),
    NationalQuestion(LANGUAGE_CLEAR, Scale.STARS_5, Wording(
        "Oliko palvelun kieli helposti ymmärrettävää?", "Var språket i tjänsten lätt att förstå?",
        "Was the language of the service easy to understand?")),
    NationalQuestion(FOUND_EASILY, Scale.STARS_5, Wording(
        "Löysitkö palvelun helposti?", "Hittade du tjänsten lätt?", "Did you find the service easily?")),
    NationalQuestion(EASY_TO_USE, Scale.STARS_5, Wording(
        "Oliko palvelua helppoa käyttää?", "Var tjänsten lätt att använda?", "Was the service easy to use?")),
    NationalQuestion(HELPED_PROGRESS, Scale.STARS_5, Wording(
        "Auttoiko palvelu sinua etenemään asioinnissa?",
        "Hjälpte tjänsten dig att komma vidare i ditt ärende?",
        "Did the service help you move forward with your matter?")),
    NationalQuestion(RECOMMEND, Scale.STARS_5, Wording(
        "Suosittelisitko verkkoasiointia muille?", "Skulle du rekommendera e-tjänsten till andra?",
        "Would you recommend the online service to others?")),
    NationalQuestion(NPS, Scale.NPS_11, Wording(
        "Kuinka todennäköisesti suosittelisit palvelua läheisellesi?",
        "Hur sannolikt är det att du skulle rekommendera tjänsten till en närstående?",
        "How likely are you to recommend the service to someone close to you?")),
)
"""The six star questions of the national concept, plus NPS for phone and chat contacts."""
