"""Generalisation of demographic attributes: age bands, regions, language and gender groups."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pseudonymize
from pseudonymize import (
    AGE_BANDS,
    AGE_BANDS_10,
    GeneralisedDemographics,
    age_band,
    age_band_10,
    gender_group,
    generalise,
    language_group,
    municipality_codes,
    region_names,
    region_of,
)

DATA = Path(pseudonymize.__file__).parent / "data"
ON = dt.date(2026, 3, 15)


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


MUNICIPALITIES = {row["municipality_code"]: row["region_code"] for row in read_csv("fi_municipalities.csv")}
REGIONS = {row["region_code"] for row in read_csv("fi_regions.csv")}


def band_range(band: str) -> range:
    """The ages a band holds, read from its label."""
    if band.startswith("<"):
        return range(int(band[1:]))
    if band.endswith("+"):
        return range(int(band[:-1]), 121)
    low, high = band.split("-")
    return range(int(low), int(high) + 1)


# age bands


def test_age_band_labels() -> None:
    assert AGE_BANDS == (
        "<20", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
        "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+",
    )  # fmt: skip
    assert AGE_BANDS_10 == ("<20", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+")


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (2026, "<20"),
        (2007, "<20"),
        (2006, "20-24"),
        (2002, "20-24"),
        (2001, "25-29"),
        (1942, "80-84"),
        (1941, "85+"),
        (1906, "85+"),
    ],
)
def test_age_is_the_rating_year_minus_the_birth_year(birth_year: int, band: str) -> None:
    assert age_band(birth_year, ON) == band


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), st.integers(0, 120))
def test_every_age_falls_in_exactly_one_band(on: dt.date, age: int) -> None:
    band = age_band(on.year - age, on)
    assert [b for b in AGE_BANDS if age in band_range(b)] == [band]


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.integers(0, 120),
    st.integers(0, 120),
)
def test_bands_never_go_down_as_age_goes_up(on: dt.date, age: int, other: int) -> None:
    younger, older = sorted((age, other))
    assert AGE_BANDS.index(age_band(on.year - younger, on)) <= AGE_BANDS.index(age_band(on.year - older, on))


def test_the_bands_cover_ages_0_to_120_without_gaps() -> None:
    seen = [age_band(ON.year - age, ON) for age in range(121)]
    assert sorted(set(seen), key=AGE_BANDS.index) == list(AGE_BANDS)
    assert seen == sorted(seen, key=AGE_BANDS.index)


def test_a_birth_year_after_the_rating_year_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        age_band(2027, ON)
    assert str(info.value) == (
        "birth year is after the rating year 2026; send the year of birth as four digits, e.g. 1980."
    )


@pytest.mark.parametrize("birth_year", [1905, 26, 0])
def test_a_birth_year_over_120_years_back_is_refused(birth_year: int) -> None:
    with pytest.raises(ValueError) as info:
        age_band(birth_year, ON)
    assert str(info.value) == (
        "birth year is more than 120 years before the rating year 2026; "
        "send the year of birth as four digits, e.g. 1980."
    )


def test_a_birth_year_must_be_a_whole_number() -> None:
    with pytest.raises(TypeError) as info:
        age_band("1980", ON)  # type: ignore[arg-type]
    assert str(info.value) == "birth year must be a whole number such as 1980."


@pytest.mark.parametrize("band", AGE_BANDS)
def test_10_year_bands_contain_their_5_year_bands(band: str) -> None:
    coarse = age_band_10(band)
    assert coarse in AGE_BANDS_10
    assert set(band_range(band)) <= set(band_range(coarse))


def test_10_year_band_examples() -> None:
    assert [age_band_10(b) for b in ("<20", "20-24", "25-29", "75-79", "80-84", "85+")] == [
        "<20",
        "20-29",
        "20-29",
        "70-79",
        "80+",
        "80+",
    ]


def test_an_unknown_5_year_band_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        age_band_10("20-29")
    assert str(info.value) == f"unknown 5-year age band '20-29'; use one of {', '.join(AGE_BANDS)}."


# regions


def test_the_shipped_classification_has_308_municipalities_in_19_regions() -> None:
    assert len(MUNICIPALITIES) == 308
    assert len(REGIONS) == 19
    assert municipality_codes() == tuple(sorted(MUNICIPALITIES))


def test_every_municipality_maps_to_exactly_its_one_region() -> None:
    mapped = {code: region_of(code) for code in municipality_codes()}
    assert mapped == MUNICIPALITIES
    assert set(mapped.values()) == REGIONS


@pytest.mark.parametrize(
    ("code", "region"),
    [("091", "01"), ("91", "01"), ("49", "01"), ("5", "14"), (" 853 ", "02"), ("478", "21")],
)
def test_short_codes_are_zero_padded(code: str, region: str) -> None:
    assert region_of(code) == region


def test_retired_codes_map_to_their_successors_region() -> None:
    assert region_of("099") == region_of("214") == "04"  # Honkajoki → Kankaanpää, Satakunta
    assert region_of("588") == region_of("507") == "10"  # Pertunmaa → Mäntyharju, Etelä-Savo


@given(st.integers(0, 999).map(lambda n: f"{n:03d}"))
def test_unknown_codes_are_refused(code: str) -> None:
    if code in MUNICIPALITIES or code in ("099", "588"):
        assert region_of(code) in REGIONS
        return
    with pytest.raises(ValueError) as info:
        region_of(code)
    assert str(info.value) == (
        "unknown municipality code; use a current Statistics Finland municipality code (Kunnat 2025), "
        "e.g. '091' for Helsinki."
    )


@pytest.mark.parametrize("code", ["", "Helsinki", "0091", "9a", "-91", "٠٩١"])
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError) as info:
        region_of(code)
    assert str(info.value) == (
        "a municipality code is 1 to 3 digits, e.g. '091' for Helsinki; send the code, not the name."
    )


def test_region_names_in_three_languages() -> None:
    names = region_names()
    assert set(names) == REGIONS
    assert names["01"] == {"fi": "Uusimaa", "sv": "Nyland", "en": "Uusimaa"}
    assert names["21"] == {"fi": "Ahvenanmaa", "sv": "Åland", "en": "Åland"}
    assert all(set(n) == {"fi", "sv", "en"} and all(n.values()) for n in names.values())


def test_region_names_are_a_copy() -> None:
    region_names()["01"]["fi"] = "changed"
    assert region_names()["01"]["fi"] == "Uusimaa"


# language and gender


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("fi", "fi"),
        ("FI", "fi"),
        (" sv ", "sv"),
        ("en", "en"),
        ("sv-FI", "sv"),
        ("en_GB", "en"),
        ("fin", "fi"),
        ("swe", "sv"),
        ("eng", "en"),
        ("se", "other"),
        ("ru", "other"),
        ("et", "other"),
        ("xx", "other"),
    ],
)
def test_language_groups(code: str, group: str) -> None:
    assert language_group(code) == group


def test_an_empty_language_code_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        language_group("  ")
    assert str(info.value) == (
        "the language code is empty; send an ISO 639-1 code such as 'fi', 'sv' or 'en', "
        "or leave the language out."
    )


@pytest.mark.parametrize(
    ("value", "group"),
    [
        ("female", "female"),
        ("F", "female"),
        ("Nainen", "female"),
        ("2", "female"),
        ("male", "male"),
        ("m", "male"),
        ("MIES", "male"),
        ("1", "male"),
        ("other", "other"),
        ("muu", "other"),
        (None, "unspecified"),
        ("", "unspecified"),
        (" ", "unspecified"),
        ("unspecified", "unspecified"),
        ("0", "unspecified"),
        ("9", "unspecified"),
    ],
)
def test_gender_groups(value: str | None, group: str) -> None:
    assert gender_group(value) == group


@pytest.mark.parametrize("value", ["x", "nonbinary", "3", "females"])
def test_an_unknown_gender_value_is_refused_with_the_allowed_list(value: str) -> None:
    with pytest.raises(ValueError) as info:
        gender_group(value)
    assert str(info.value) == (
        "the gender value is not one of the accepted forms; use one of 'female', 'f', 'nainen', 'woman', "
        "'kvinna', '2', 'male', 'm', 'mies', 'man', '1', 'other', 'muu', 'annan', 'unspecified', '', '0', "
        "'9' (case does not matter), or leave it out."
    )
    assert value not in str(info.value).split("'")[1::2]


# the generalised record


def test_generalise_keeps_missing_attributes_missing() -> None:
    assert generalise(on=ON) == GeneralisedDemographics(None, None, None, None)
    assert generalise(on=ON, birth_year=1980, municipality_code="91", language="sv-FI", gender="Nainen") == (
        GeneralisedDemographics(age_band="45-49", region="01", language="sv", gender="female")
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"age_band": "46"},
            f"age_band must be one of {', '.join(AGE_BANDS)} or None; build it with age_band().",
        ),
        (
            {"region": "091"},
            "region must be a 2-digit region code such as '01' or None; build it with region_of(), "
            "got '091'.",
        ),
        (
            {"language": "de"},
            "language must be one of fi, sv, en, other or None; build it with language_group().",
        ),
        (
            {"gender": "f"},
            "gender must be one of female, male, other, unspecified or None; build it with gender_group().",
        ),
    ],
)
def test_generalised_demographics_hold_only_groups(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError) as info:
        GeneralisedDemographics(**fields)
    assert str(info.value) == message
