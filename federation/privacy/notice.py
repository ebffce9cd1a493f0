"""The transparency notice behind the widget's "i": what the answers are used for, in fi, sv and en.

The figures in it (publication threshold, retention) come from the settings, so the notice always says what
this arvio actually does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """A notice in one language: a title and its paragraphs."""

    locale: str
    title: str
    paragraphs: tuple[str, ...]
    more_label: str
    """The name of the full record of processing (``/privacy``), linked below the notice."""


def transparency_notice(locale: str, *, publication_threshold: int, retention_days: int) -> Notice:
    """The notice in ``locale`` (fi, sv or en; anything else gets Finnish)."""
    months = max(1, round(retention_days / 30.4))
    n = publication_threshold
    if locale == "sv":
        return Notice("sv", "Vad används dina svar till?", (
            "Dina svar hjälper de offentliga tjänsterna att bli bättre. Organisationen som tillhandahåller tjänsten "
            "ser svaren, och av dem räknas tjänstens betyg fram. Betyget publiceras i det nationella "
            "servicedatalagret (Suomi.fi) och i öppna data.",
            "Det är frivilligt och anonymt att svara: vi frågar inte efter ditt namn och sparar inga "
            "kontaktuppgifter. Om du skriver fri respons tar vi bort personbeteckningar, e-postadresser, "
            "telefonnummer och kontonummer och sparar texten krypterad. Bara organisationen som tillhandahåller "
            "tjänsten kan läsa den.",
            f"Ett betyg visas offentligt först när det finns minst {n} svar. De enskilda svaren raderas efter "
            f"cirka {months} månader; bara statistiken finns kvar.",
        ), "Dataskyddsbeskrivning")
    if locale == "en":
        return Notice("en", "What are your answers used for?", (
            "Your answers help public services improve. The organisation providing the service sees the answers, "
            "and they are summarised into the service's rating, which is published in the national service "
            "catalogue (Suomi.fi) and as open data.",
            "Answering is voluntary and anonymous: we do not ask your name or store contact details. If you write "
            "free feedback, we remove personal identity codes, e-mail addresses, phone numbers and bank account "
            "numbers and store the text encrypted. Only the organisation providing the service can read it.",
            f"A rating is shown publicly only once it has at least {n} answers. Individual answers are deleted "
            f"after about {months} months; only the statistics remain.",
        ), "Privacy notice")
    return Notice("fi", "Mihin vastauksiasi käytetään?", (
        "Vastauksesi auttavat julkisia palveluita kehittymään. Palvelun tarjoava organisaatio näkee vastaukset, ja "
        "niistä lasketaan palvelun arvio. Arvio julkaistaan kansallisessa palvelutietovarannossa (Suomi.fi) ja "
        "avoimena datana.",
        "Vastaaminen on vapaaehtoista ja nimetöntä: emme kysy nimeäsi emmekä tallenna yhteystietoja. Jos kirjoitat "
        "vapaata palautetta, poistamme siitä henkilötunnukset, sähköpostiosoitteet, puhelinnumerot ja tilinumerot "
        "ja tallennamme tekstin salattuna. Vain palvelun tarjoava organisaatio voi lukea sen.",
        f"Arvio näytetään julkisesti vasta, kun vastauksia on vähintään {n}. Yksittäiset vastaukset poistetaan "
        f"noin {months} kuukauden kuluttua; vain tilastot säilyvät.",
    ), "Tietosuojaseloste")
