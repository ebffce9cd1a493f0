"""Checking and generalising the demographic attributes of one rating, each with its own rejection code.

Pure (no I/O): the rating date is passed in. Messages name the attribute (``demographics.birthYear: …``) and say
how to fix it, but never repeat a raw value — it is personal data and messages may be logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from federation.ratings.contract import ItemCode
from federation.registry.checks import Rejection
from pseudonymize.generalise import GeneralisedDemographics, age_band, gender_group, language_group, region_of

LEGAL_BASES = ("PUBLIC_TASK", "LEGAL_OBLIGATION", "LEGITIMATE_INTEREST", "CONSENT")
"""GDPR Art. 6 bases an organisation may declare for sending demographics."""


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("send it as a string.")
    return value


def _birth_year(value: object, on: dt.date) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("birth year must be a whole number such as 1980.")
    return age_band(value, on)


# (API name, stored column, code, generaliser) — in the order the attributes are checked.
_ATTRIBUTES: tuple[tuple[str, str, ItemCode, Callable[[object, dt.date], str]], ...] = (
    ("birthYear", "age_band", ItemCode.INVALID_BIRTH_YEAR, _birth_year),
    ("municipalityCode", "region", ItemCode.INVALID_MUNICIPALITY_CODE, lambda v, _: region_of(_text(v))),
    ("language", "language", ItemCode.INVALID_LANGUAGE, lambda v, _: language_group(_text(v))),
    ("gender", "gender", ItemCode.INVALID_GENDER, lambda v, _: gender_group(_text(v))),
)


def check_legal_basis(raw: Mapping[str, Any]) -> None:
    """Demographics need a declared legal basis from :data:`LEGAL_BASES` or ``consent: true``.

    :class:`Rejection` ``INVALID_LEGAL_BASIS`` for an unknown basis (even with consent: a wrong declaration is
    a mistake to fix), ``DEMOGRAPHICS_WITHOUT_LEGAL_BASIS`` when neither is given.
    """
    basis = raw.get("legalBasis")
    if basis not in (None, "") and basis not in LEGAL_BASES:
        raise Rejection(ItemCode.INVALID_LEGAL_BASIS,
                        f"demographics.legalBasis is not one of {', '.join(LEGAL_BASES)}; send one of them "
                        "(or consent: true without a legalBasis).")
    if basis in (None, "") and raw.get("consent") is not True:
        raise Rejection(ItemCode.DEMOGRAPHICS_WITHOUT_LEGAL_BASIS,
                        "demographics need a declared legal basis (legalBasis: "
                        f"{', '.join(LEGAL_BASES)}) or consent: true; otherwise leave the demographics out.")


def generalised_columns(given: Mapping[str, object], on: dt.date) -> dict[str, Any]:
    """The rating columns ``age_band``, ``region``, ``language``, ``gender`` for the attributes ``given``
    (API names; absent ones stay None), generalised at the rating date ``on``.

    Guarantee: only coarse groups come out (checked by :class:`GeneralisedDemographics`).
    :class:`Rejection` with the attribute's own code for the first attribute that cannot be generalised.
    """
    columns: dict[str, Any] = {}
    for name, column, code, generalise in _ATTRIBUTES:
        value = given.get(name)
        if value is None:
            columns[column] = None
            continue
        try:
            columns[column] = generalise(value, on)
        except (ValueError, TypeError) as error:
            raise Rejection(code, f"demographics.{name}: {error}") from None
    GeneralisedDemographics(**columns)
    return columns
