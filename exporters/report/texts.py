"""The quarterly report's words, as msgids of the gettext catalogs (federation/i18n/locales/; complete in Finnish,
Swedish and English, another catalog locale reads Finnish where it lacks a text), and numbers written the
language's way.

English writes a decimal point and groups thousands with a comma; every other language (Finnish, Swedish,
Northern Sámi) writes a decimal comma and groups thousands with a no-break space. NPS is read on the usual bands
(below 0 more detractors than promoters, 0–29 good, 30–69 very good, 70 and over excellent).
"""

from __future__ import annotations

from federation.errors import DomainError, ReportCode
from federation.i18n import catalogs
from federation.i18n.markers import NP_

NAME_LANGUAGES = ("fi", "sv", "en")
"""The languages names are data in (the national catalogue's: federation/registry/catalogue.py)."""

TEXTS: dict[str, tuple[str, str]] = {
    "title": NP_("quarterly report", "Quarterly report"),
    "quarter": NP_("quarterly report", "Quarter"),
    "running": NP_("quarterly report", "in progress, as of"),
    "generated": NP_("quarterly report", "Generated"),
    "threshold": NP_("quarterly report", "Publication threshold: a figure is shown when it has at least {n} answers."),
    "scores": NP_("quarterly report", "Service scores (transaction went smoothly, 1–5 stars)"),
    "service": NP_("quarterly report", "Service"),
    "mean": NP_("quarterly report", "Mean"),
    "interval": NP_("quarterly report", "95 % interval"),
    "published": NP_("quarterly report", "Published"),
    "yes": NP_("quarterly report", "yes"),
    "no": NP_("quarterly report", "no"),
    "previous": NP_("quarterly report", "Previous quarter"),
    "change": NP_("quarterly report", "Change"),
    "significant": NP_("quarterly report", "significant"),
    "not_significant": NP_("quarterly report", "not significant"),
    "too_few": NP_("quarterly report", "too few answers"),
    "chart_title": NP_("quarterly report", "Means with 95 % intervals"),
    "nps": NP_("quarterly report", "Net Promoter Score (NPS)"),
    "interpretation": NP_("quarterly report", "Interpretation"),
    "nps_negative": NP_("quarterly report", "more detractors than promoters"),
    "nps_good": NP_("quarterly report", "good"),
    "nps_very_good": NP_("quarterly report", "very good"),
    "nps_excellent": NP_("quarterly report", "excellent"),
    "no_nps": NP_("quarterly report", "The organisation's services have no NPS answers."),
    "kpis": NP_("quarterly report", "Volumes and KPIs"),
    "transactions": NP_("quarterly report", "Transactions"),
    "digital_take_up": NP_("quarterly report", "Digital take-up"),
    "completion_rate": NP_("quarterly report", "Completion rate"),
    "contacts": NP_("quarterly report", "Contacts"),
    "median_wait": NP_("quarterly report", "Median wait (min)"),
    "response_rate": NP_("quarterly report", "Response rate"),
    "no_kpis": NP_("quarterly report", "No publishable KPIs for this quarter."),
    "peers": NP_("quarterly report", "Comparison with similar services"),
    "group": NP_("quarterly report", "Peer group"),
    "all_services": NP_("quarterly report", "all services"),
    "rank": NP_("quarterly report", "Rank"),
    "percentile": NP_("quarterly report", "Percentile"),
    "adjusted": NP_("quarterly report", "Adjusted mean"),
    "peer_mean": NP_("quarterly report", "Group mean"),
    "not_ranked": NP_("quarterly report", "not ranked"),
    "events": NP_("quarterly report", "You said, we did: service changes"),
    "date": NP_("quarterly report", "Date"),
    "description": NP_("quarterly report, service change", "Change"),
    "impact": NP_("quarterly report", "Impact (28 days before/after)"),
    "pending": NP_("quarterly report", "not measurable yet"),
    "internal": NP_("quarterly report", "internal"),
    "no_events": NP_("quarterly report", "No service changes recorded in this quarter."),
    "page": NP_("quarterly report", "Page"),
}
"""The report's words by key: ``(msgctxt, msgid)`` of the gettext catalogs."""


def languages() -> tuple[str, ...]:
    """The languages a report can be written in: every locale with a catalog (federation/i18n/catalogs.py)."""
    return catalogs.available_locales()


def check_language(language: str) -> str:
    """A locale with a catalog (``fi``, ``sv``, ``en``, ``se``…); UNSUPPORTED_REPORT_LANGUAGE otherwise."""
    if not catalogs.is_locale(language):
        raise DomainError(ReportCode.UNSUPPORTED_REPORT_LANGUAGE,
                          f"--lang must be one of {', '.join(languages())} (got {language[:10]!r}).")
    return language


def text(key: str, language: str) -> str:
    """The words of ``key`` in ``language`` (Finnish where its catalog lacks them)."""
    context, msgid = TEXTS[key]
    return catalogs.pgettext(language, context, msgid)


def pick(names: tuple[str, str | None, str | None], language: str) -> str:
    """A name (fi, sv, en) in ``language``, falling back to Finnish."""
    return (names[NAME_LANGUAGES.index(language)] if language in NAME_LANGUAGES else None) or names[0]


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
