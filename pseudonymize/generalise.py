"""Generalisation of optional demographic attributes at ingest: raw values in, coarse groups out.

Raw values (birth year, municipality, free-form language and gender) are never stored: only the groups
these functions return. Error messages never repeat a raw value (it is personal data and messages may
be logged); the sender knows which item it sent.

The municipality → region (maakunta) table is Statistics Finland's classification Kunnat 2025 /
Maakunnat 2025 (CC BY 4.0), shipped in ``pseudonymize/data`` with its README.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

MAX_AGE = 120
"""Oldest age accepted at the rating date; an older birth year is almost surely a typing error."""

AGE_BANDS: tuple[str, ...] = ("<20", *(f"{low}-{low + 4}" for low in range(20, 85, 5)), "85+")
"""The 5-year age bands stored with a rating, youngest first."""

AGE_BANDS_10: tuple[str, ...] = ("<20", *(f"{low}-{low + 9}" for low in range(20, 80, 10)), "80+")
"""The 10-year age bands offered to researchers, youngest first."""

LANGUAGE_GROUPS: tuple[str, ...] = ("fi", "sv", "en", "other")
GENDER_GROUPS: tuple[str, ...] = ("female", "male", "other", "unspecified")

_LANGUAGES = {"fi": "fi", "fin": "fi", "sv": "sv", "swe": "sv", "en": "en", "eng": "en"}

# Accepted spellings, case-insensitive. "1"/"2"/"0"/"9" are ISO/IEC 5218 sex codes, as in Finnish registers.
_GENDERS: Mapping[str, str] = MappingProxyType(
    {
        "female": "female",
        "f": "female",
        "nainen": "female",
        "woman": "female",
        "kvinna": "female",
        "2": "female",
        "male": "male",
        "m": "male",
        "mies": "male",
        "man": "male",
        "1": "male",
        "other": "other",
        "muu": "other",
        "annan": "other",
        "unspecified": "unspecified",
        "": "unspecified",
        "0": "unspecified",
        "9": "unspecified",
    }
)

# Municipalities merged since 2020 whose old codes may still come from older registers: each merged into
# a municipality of the same region, so the region stays exact (see data/README.md).
_RETIRED_MUNICIPALITIES: Mapping[str, str] = MappingProxyType({"099": "214", "588": "507"})


def age_band(birth_year: int, on: dt.date) -> str:
    """The 5-year age band (``"<20"``, ``"20-24"``, …, ``"80-84"``, ``"85+"``) at the rating date ``on``.

    Only the birth year is known, so the age is ``on.year - birth_year``: the age the person reaches
    during the rating year. It can be one year more than the true age before the birthday, so a person
    near a band edge may land in the next band up. Every age from 0 to 120 maps to exactly one band,
    and bands never go down as the age goes up.
    ``ValueError`` for a birth year after the rating year or more than 120 years before it.
    """
    if isinstance(birth_year, bool) or not isinstance(birth_year, int):
        raise TypeError("birth year must be a whole number such as 1980.")
    age = on.year - birth_year
    if age < 0:
        raise ValueError(
            f"birth year is after the rating year {on.year}; "
            "send the year of birth as four digits, e.g. 1980."
        )
    if age > MAX_AGE:
        raise ValueError(
            f"birth year is more than {MAX_AGE} years before the rating year {on.year}; "
            "send the year of birth as four digits, e.g. 1980."
        )
    if age < 20:
        return "<20"
    if age >= 85:
        return "85+"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


def age_band_10(band5: str) -> str:
    """The 10-year band (``"<20"``, ``"20-29"``, …, ``"70-79"``, ``"80+"``) containing a 5-year band.

    Exact: every 5-year band lies inside one 10-year band (``"80-84"`` and ``"85+"`` both become ``"80+"``).
    """
    if band5 not in AGE_BANDS:
        raise ValueError(f"unknown 5-year age band {band5!r}; use one of {', '.join(AGE_BANDS)}.")
    if band5 == "<20":
        return "<20"
    if band5 in ("80-84", "85+"):
        return "80+"
    low = int(band5.split("-", maxsplit=1)[0]) // 10 * 10
    return f"{low}-{low + 9}"


@dataclass(frozen=True)
class _Classification:
    region_of_municipality: Mapping[str, str]
    region_names: Mapping[str, Mapping[str, str]]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (resources.files("pseudonymize") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def _classification() -> _Classification:
    names = {
        row["region_code"]: MappingProxyType(
            {"fi": row["name_fi"], "sv": row["name_sv"], "en": row["name_en"]}
        )
        for row in _read_csv("fi_regions.csv")
    }
    regions: dict[str, str] = {}
    for row in _read_csv("fi_municipalities.csv"):
        if row["region_code"] not in names:
            raise RuntimeError(
                f"pseudonymize/data/fi_municipalities.csv maps {row['municipality_code']} to region "
                f"{row['region_code']}, which fi_regions.csv lacks; restore both files from the repository "
                "(git checkout pseudonymize/data)."
            )
        regions[row["municipality_code"]] = row["region_code"]
    return _Classification(MappingProxyType(regions), MappingProxyType(names))


def municipality_codes() -> tuple[str, ...]:
    """The current municipality codes (3 digits, ascending) of the classification shipped with arvio."""
    return tuple(sorted(_classification().region_of_municipality))


def region_of(municipality_code: str) -> str:
    """The 2-digit region (maakunta) code of a municipality code: ``"091"`` (or ``"91"``) → ``"01"``.

    Codes of 1 to 3 digits are zero-padded to 3. The retired codes 099 (Honkajoki, merged into
    Kankaanpää in 2021) and 588 (Pertunmaa, merged into Mäntyharju in 2025) map to their successor's
    region, which is the region they were in. Every other code outside the classification is refused.
    Limits: the classification is the one of 1.1.2025; later mergers need a data update.
    """
    code = municipality_code.strip() if isinstance(municipality_code, str) else ""
    if not (code.isascii() and code.isdigit() and 1 <= len(code) <= 3):
        raise ValueError(
            "a municipality code is 1 to 3 digits, e.g. '091' for Helsinki; send the code, not the name."
        )
    padded = code.zfill(3)
    region = _classification().region_of_municipality.get(_RETIRED_MUNICIPALITIES.get(padded, padded))
    if region is None:
        raise ValueError(
            "unknown municipality code; use a current Statistics Finland municipality code "
            "(Kunnat 2025), e.g. '091' for Helsinki."
        )
    return region


def region_names() -> dict[str, dict[str, str]]:
    """Names of every region by code, in Finnish, Swedish and English: ``{"01": {"fi": "Uusimaa", …}}``.

    A fresh copy on every call: changing it changes nothing else.
    """
    return {code: dict(names) for code, names in _classification().region_names.items()}


def language_group(code: str) -> str:
    """``"fi"``, ``"sv"``, ``"en"`` or ``"other"`` for a language code, ignoring case.

    Takes the ISO 639-1 code (``"fi"``), also its ISO 639-2 form (``"fin"``) or a language tag with a
    region (``"sv-FI"``, ``"en_GB"``); every other language is ``"other"``. Note ``"se"`` is Northern
    Sami, not Swedish. ``ValueError`` for an empty code (leave the attribute out instead).
    """
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    if not primary:
        raise ValueError(
            "the language code is empty; send an ISO 639-1 code such as 'fi', 'sv' or 'en', "
            "or leave the language out."
        )
    return _LANGUAGES.get(primary, "other")


def gender_group(value: str | None) -> str:
    """``"female"``, ``"male"``, ``"other"`` or ``"unspecified"`` for a gender value, ignoring case.

    Accepts the group names, the Finnish and Swedish words, one-letter forms and the ISO/IEC 5218 codes
    (see :data:`ACCEPTED_GENDER_VALUES`); ``None`` and ``""`` are ``"unspecified"``. Anything else is
    refused, since guessing would put people in the wrong group.
    """
    if value is None:
        return "unspecified"
    group = _GENDERS.get(value.strip().lower())
    if group is None:
        raise ValueError(
            "the gender value is not one of the accepted forms; use one of "
            f"{', '.join(ACCEPTED_GENDER_VALUES)} (case does not matter), or leave it out."
        )
    return group


ACCEPTED_GENDER_VALUES: tuple[str, ...] = tuple(repr(v) for v in _GENDERS)
"""Every accepted gender spelling (quoted), in the order of the groups they map to."""


@dataclass(frozen=True)
class GeneralisedDemographics:
    """The generalised demographic attributes of one rating; ``None`` where the attribute was not given.

    Guarantee: every value present is one of the coarse groups (:data:`AGE_BANDS`, a region code of
    the classification, :data:`LANGUAGE_GROUPS`, :data:`GENDER_GROUPS`); nothing finer can be stored.
    Limits: groups alone still identify people in small cells; disclosure control happens at query time.
    """

    age_band: str | None = None
    region: str | None = None
    language: str | None = None
    gender: str | None = None

    def __post_init__(self) -> None:
        if self.age_band is not None and self.age_band not in AGE_BANDS:
            raise ValueError(
                f"age_band must be one of {', '.join(AGE_BANDS)} or None; build it with age_band()."
            )
        if self.region is not None and self.region not in _classification().region_names:
            raise ValueError(
                f"region must be a 2-digit region code such as '01' or None; build it with region_of(), "
                f"got {self.region!r}."
            )
        if self.language is not None and self.language not in LANGUAGE_GROUPS:
            raise ValueError(
                f"language must be one of {', '.join(LANGUAGE_GROUPS)} or None; "
                "build it with language_group()."
            )
        if self.gender is not None and self.gender not in GENDER_GROUPS:
            raise ValueError(
                f"gender must be one of {', '.join(GENDER_GROUPS)} or None; build it with gender_group()."
            )


def generalise(
    *,
    on: dt.date,
    birth_year: int | None = None,
    municipality_code: str | None = None,
    language: str | None = None,
    gender: str | None = None,
) -> GeneralisedDemographics:
    """Generalise the raw attributes of one rating made on ``on``; an attribute not given stays ``None``.

    Raises the ``ValueError`` of the first attribute that cannot be generalised (see the functions above).
    """
    return GeneralisedDemographics(
        age_band=None if birth_year is None else age_band(birth_year, on),
        region=None if municipality_code is None else region_of(municipality_code),
        language=None if language is None else language_group(language),
        gender=None if gender is None else gender_group(gender),
    )
