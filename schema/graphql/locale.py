"""The Locale enum of the API and picking a name in the caller's language."""

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
