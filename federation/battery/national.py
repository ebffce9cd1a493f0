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


class Versioned:
    """Every wording a text has had, oldest first: ``wordings[0]`` is version 1, the last one the current."""

    wordings: tuple[Wording, ...]

    @property
    def wording(self) -> Wording:
        """The current wording."""
        return self.wordings[-1]

    @property
    def current_version(self) -> int:
        """The current wording's version number (1-based)."""
        return len(self.wordings)


@dataclass(frozen=True)
class NationalQuestion(Versioned):
    """A question of the national battery with every wording it has had, oldest first.

    ``wordings[0]`` is wording version 1; the last one is the current version. Answers keep the version they
    were collected under (``rating.wording_version``), so a wording is never edited: a fix is a new version.
    ``federation/battery/service.py`` (``seed_national_battery``) brings the database up to these versions.
    """

    id: str
    scale: Scale
    wordings: tuple[Wording, ...]


NATIONAL_BATTERY: tuple[NationalQuestion, ...] = (
    NationalQuestion(TRANSACTION_SMOOTH, Scale.STARS_5, (Wording(
        "Kuinka asiointisi sujui?", "Hur gick ditt ärende?", "How did your transaction go?"),)),
    NationalQuestion(LANGUAGE_CLEAR, Scale.STARS_5, (Wording(
        "Oliko palvelun kieli helposti ymmärrettävää?", "Var språket i tjänsten lätt att förstå?",
        "Was the language of the service easy to understand?"), Wording(
        "Miten arvioisit palvelun kielen ymmärrettävyyttä?",
        "Hur bedömer du hur lätt språket i tjänsten var att förstå?",
        "How would you rate how easy the language of the service was to understand?"))),
    NationalQuestion(FOUND_EASILY, Scale.STARS_5, (Wording(
        "Löysitkö palvelun helposti?", "Hittade du tjänsten lätt?", "Did you find the service easily?"), Wording(
        "Miten arvioisit palvelun löytämisen helppoutta?", "Hur bedömer du hur lätt det var att hitta tjänsten?",
        "How would you rate how easy the service was to find?"))),
    NationalQuestion(EASY_TO_USE, Scale.STARS_5, (Wording(
        "Oliko palvelua helppoa käyttää?", "Var tjänsten lätt att använda?", "Was the service easy to use?"), Wording(
        "Miten arvioisit palvelun helppokäyttöisyyttä?", "Hur bedömer du hur lätt tjänsten var att använda?",
        "How would you rate how easy the service was to use?"))),
    NationalQuestion(HELPED_PROGRESS, Scale.STARS_5, (Wording(
        "Auttoiko palvelu sinua etenemään asioinnissa?",
        "Hjälpte tjänsten dig att komma vidare i ditt ärende?",
        "Did the service help you move forward with your matter?"), Wording(
        "Miten arvioisit palvelun apua asiointisi etenemisessä?",
        "Hur bedömer du tjänstens hjälp med att komma vidare i ditt ärende?",
        "How would you rate the service's help in moving your matter forward?"))),
    NationalQuestion(RECOMMEND, Scale.STARS_5, (Wording(
        "Suosittelisitko verkkoasiointia muille?", "Skulle du rekommendera e-tjänsten till andra?",
        "Would you recommend the online service to others?"), Wording(
        "Miten arvioisit verkkoasiointia muille suositeltavana palveluna?",
        "Hur bedömer du e-tjänsten som en tjänst att rekommendera till andra?",
        "How would you rate the online service as one to recommend to others?"))),
    NationalQuestion(NPS, Scale.NPS_11, (Wording(
        "Kuinka todennäköisesti suosittelisit palvelua läheisellesi?",
        "Hur sannolikt är det att du skulle rekommendera tjänsten till en närstående?",
        "How likely are you to recommend the service to someone close to you?"),)),
)
"""The six star questions of the national concept, plus NPS for phone and chat contacts.

Version 1 of five star questions was worded as a yes/no question ("Was the service easy to use?") although it
is answered on five stars labelled Poor–Excellent; version 2 asks "How would you rate …", which those labels
answer. ``federation/battery/wording_rules.py`` states the rule and tests/federation/battery/test_wording_rules.py
enforces it for every current national wording."""
