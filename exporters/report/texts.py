"""The quarterly report's words in Finnish, Swedish and English, and numbers written the language's way.

Finnish and Swedish write a decimal comma and group thousands with a no-break space; English writes a decimal
point and a comma. NPS is read on the usual bands (below 0 more detractors than promoters, 0–29 good,
30–69 very good, 70 and over excellent).
"""

from __future__ import annotations

from federation.errors import DomainError, ReportCode

LANGUAGES = ("fi", "sv", "en")

_TEXTS: dict[str, tuple[str, str, str]] = {
    "title": ("Neljännesvuosiraportti", "Kvartalsrapport", "Quarterly report"),
    "quarter": ("Neljännes", "Kvartal", "Quarter"),
    "running": ("kesken, tilanne", "pågår, läget", "in progress, as of"),
    "generated": ("Laadittu", "Upprättad", "Generated"),
    "threshold": ("Julkaisuraja: luku näytetään, kun vastauksia on vähintään {n}.",
                  "Publiceringsgräns: en siffra visas när det finns minst {n} svar.",
                  "Publication threshold: a figure is shown when it has at least {n} answers."),
    "scores": ("Palvelujen arviot (asiointi sujui, 1–5 tähteä)", "Tjänsternas betyg (ärendet löpte smidigt, 1–5 "
               "stjärnor)", "Service scores (transaction went smoothly, 1–5 stars)"),
    "service": ("Palvelu", "Tjänst", "Service"),
    "mean": ("Keskiarvo", "Medelvärde", "Mean"),
    "interval": ("95 %:n luottamusväli", "95 % konfidensintervall", "95 % interval"),
    "published": ("Julkaistu", "Publicerad", "Published"),
    "yes": ("kyllä", "ja", "yes"),
    "no": ("ei", "nej", "no"),
    "previous": ("Edellinen neljännes", "Föregående kvartal", "Previous quarter"),
    "change": ("Muutos", "Förändring", "Change"),
    "significant": ("merkitsevä", "signifikant", "significant"),
    "not_significant": ("ei merkitsevä", "inte signifikant", "not significant"),
    "too_few": ("liian vähän vastauksia", "för få svar", "too few answers"),
    "chart_title": ("Keskiarvot 95 %:n luottamusväleineen", "Medelvärden med 95 % konfidensintervall",
                    "Means with 95 % intervals"),
    "nps": ("Suositteluindeksi (NPS)", "Rekommendationsindex (NPS)", "Net Promoter Score (NPS)"),
    "interpretation": ("Tulkinta", "Tolkning", "Interpretation"),
    "nps_negative": ("arvostelijoita enemmän kuin suosittelijoita", "fler kritiker än ambassadörer",
                     "more detractors than promoters"),
    "nps_good": ("hyvä", "bra", "good"),
    "nps_very_good": ("erittäin hyvä", "mycket bra", "very good"),
    "nps_excellent": ("erinomainen", "utmärkt", "excellent"),
    "no_nps": ("Organisaation palveluilla ei ole NPS-vastauksia.", "Organisationens tjänster har inga NPS-svar.",
               "The organisation's services have no NPS answers."),
    "kpis": ("Asiointimäärät ja tunnusluvut", "Ärendevolymer och nyckeltal", "Volumes and KPIs"),
    "transactions": ("Asioinnit", "Ärenden", "Transactions"),
    "digital_take_up": ("Digitaalinen osuus", "Digital andel", "Digital take-up"),
    "completion_rate": ("Loppuun asti", "Slutförda", "Completion rate"),
    "contacts": ("Yhteydenotot", "Kontakter", "Contacts"),
    "median_wait": ("Odotus, mediaani (min)", "Väntetid, median (min)", "Median wait (min)"),
    "response_rate": ("Vastausaste", "Svarsfrekvens", "Response rate"),
    "no_kpis": ("Ei julkaistavia tunnuslukuja tältä neljännekseltä.", "Inga publicerbara nyckeltal för kvartalet.",
                "No publishable KPIs for this quarter."),
    "peers": ("Vertailu samankaltaisiin palveluihin", "Jämförelse med liknande tjänster",
              "Comparison with similar services"),
    "group": ("Vertailuryhmä", "Jämförelsegrupp", "Peer group"),
    "all_services": ("kaikki palvelut", "alla tjänster", "all services"),
    "rank": ("Sija", "Placering", "Rank"),
    "percentile": ("Persentiili", "Percentil", "Percentile"),
    "adjusted": ("Tasoitettu keskiarvo", "Utjämnat medelvärde", "Adjusted mean"),
    "peer_mean": ("Ryhmän keskiarvo", "Gruppens medelvärde", "Group mean"),
    "not_ranked": ("ei sijoitettu", "inte rangordnad", "not ranked"),
    "events": ("Te sanoitte, me teimme: palvelumuutokset", "Ni sade, vi gjorde: ändringar i tjänsterna",
               "You said, we did: service changes"),
    "date": ("Päivä", "Datum", "Date"),
    "description": ("Muutos", "Ändring", "Change"),
    "impact": ("Vaikutus (28 pv ennen/jälkeen)", "Effekt (28 d före/efter)", "Impact (28 days before/after)"),
    "pending": ("ei vielä arvioitavissa", "kan inte bedömas ännu", "not measurable yet"),
    "internal": ("sisäinen", "intern", "internal"),
    "no_events": ("Ei kirjattuja palvelumuutoksia tällä neljänneksellä.", "Inga registrerade ändringar under "
                  "kvartalet.", "No service changes recorded in this quarter."),
    "page": ("Sivu", "Sida", "Page"),
}


def check_language(language: str) -> str:
    """``fi``, ``sv`` or ``en``; UNSUPPORTED_REPORT_LANGUAGE otherwise."""
    if language not in LANGUAGES:
        raise DomainError(ReportCode.UNSUPPORTED_REPORT_LANGUAGE,
                          f"--lang must be one of {', '.join(LANGUAGES)} (got {language[:10]!r}).")
    return language


def text(key: str, language: str) -> str:
    """The words of ``key`` in ``language``."""
    return _TEXTS[key][LANGUAGES.index(language)]


def pick(names: tuple[str, str | None, str | None], language: str) -> str:
    """A name in ``language``, falling back to Finnish."""
    return names[LANGUAGES.index(language)] or names[0]


def number(value: float, language: str, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals, written the language's way (``4,21`` / ``4.21``; ``12 345``)."""
    written = f"{value:,.{digits}f}"
    if language == "en":
        return written
    return written.replace(",", "\u00a0").replace(".", ",")


def signed(value: float, language: str, digits: int = 2) -> str:
    """``value`` with its sign always written (``+0,30`` / ``-0.12``)."""
    return ("+" if value >= 0 else "-") + number(abs(value), language, digits)


def percent(share: float, language: str) -> str:
    """A share 0–1 as a whole percentage (``63 %``)."""
    return f"{number(100 * share, language, 0)} %"


def nps_band(nps: float) -> str:
    """The text key of an NPS's interpretation."""
    if nps < 0:
        return "nps_negative"
    if nps < 30:
        return "nps_good"
    if nps < 70:
        return "nps_very_good"
    return "nps_excellent"
