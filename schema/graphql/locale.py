"""The Locale enum of the API and picking a name in the caller's language.

``Locale`` names the languages of the national catalogue's data (PTV names and descriptions, question wordings):
fi, sv and en only. The interface languages are the gettext catalogs' (federation/i18n/, Northern Sámi ``se``
included) and live outside GraphQL: the widget's and the dashboard's texts come from ``/i18n/<locale>.json``, and a
Sámi page reads its data with ``FI`` (schema/http/static/dashboard/i18n.js ``dataLocale``)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="A language of the national catalogue.")
class Locale(Enum):
    FI = "fi"
    SV = "sv"
    EN = "en"


def pick(locale: Locale, fi: str, sv: str | None, en: str | None) -> str:
    """The name in ``locale``, falling back to Finnish (the catalogue's required language)."""
    chosen = {Locale.FI: fi, Locale.SV: sv, Locale.EN: en}[locale]
    return chosen or fi
