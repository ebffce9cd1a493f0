"""Demographics at the door: per-attribute codes, the legal-basis rule, dropInvalid, and only groups stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from federation.privacy.demographics import check_legal_basis, generalised_columns
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import ItemCode, RatingSubmission
from federation.ratings.models import Rating
from federation.ratings.validation import Rejection
from pseudonymize.keys import KeyRing
from pseudonymize.pseudonyms import PseudonymDomain, pseudonym
from tests.conftest import NOW, ORG_A, SERVICE_A, TEST_KEY, Api
from tests.federation.privacy.helpers import INVALID_HETU, PEOPLE
from tests.pseudonymize.strategies import formatting_variants, valid_hetus
from tests.schema.graphql.test_ratings import rating, submit

ON = dt.date(2026, 3, 16)


def with_demo(ref: str, **demo: Any) -> dict[str, Any]:
    return rating(ref, 4, demographics=demo)


def test_every_bad_attribute_gets_its_own_code_and_the_good_items_stay(api: Api) -> None:
    basis = {"legalBasis": "PUBLIC_TASK"}
    items = [
        with_demo("ok", **basis, birthYear=1980, municipalityCode="91", language="FI", gender="2",
                  personalIdentifier=f" {PEOPLE[0].lower()} "),
        with_demo("no-basis", birthYear=1980),
        with_demo("consent-false", consent=False, language="fi"),
        with_demo("bad-basis", legalBasis="BECAUSE", consent=True, language="fi"),
        with_demo("future-birth", **basis, birthYear=2027),
        with_demo("too-old", **basis, birthYear=1900),
        with_demo("municipality", **basis, municipalityCode="999"),
        with_demo("municipality-name", **basis, municipalityCode="Kauniainen"),
        with_demo("gender", **basis, gender="alien"),
        with_demo("hetu", **basis, personalIdentifier=INVALID_HETU),
        with_demo("consent", consent=True, gender="muu"),
        with_demo("empty", legalBasis="PUBLIC_TASK", language="", gender=None),
        with_demo("dropped", birthYear=2030, dropInvalid=True),
    ]
    result = submit(api, items)
    codes = [(r["status"], r["code"]) for r in result["results"]]
    assert codes == [
        ("ACCEPTED", None), ("REJECTED", "DEMOGRAPHICS_WITHOUT_LEGAL_BASIS"),
        ("REJECTED", "DEMOGRAPHICS_WITHOUT_LEGAL_BASIS"), ("REJECTED", "INVALID_LEGAL_BASIS"),
        ("REJECTED", "INVALID_BIRTH_YEAR"), ("REJECTED", "INVALID_BIRTH_YEAR"),
        ("REJECTED", "INVALID_MUNICIPALITY_CODE"), ("REJECTED", "INVALID_MUNICIPALITY_CODE"),
        ("REJECTED", "INVALID_GENDER"), ("REJECTED", "INVALID_PERSONAL_IDENTIFIER"),
        ("ACCEPTED", None), ("ACCEPTED", None), ("ACCEPTED", None),
    ]
    messages = [r["message"] or "" for r in result["results"]]
    assert messages[9] == (
        "demographics.personalIdentifier is not a valid Finnish personal identity code (HETU); check the date "
        "part, the century sign and the check character. Or set dropInvalid: true to keep the rating without "
        "its demographics.")
    assert messages[4].startswith("demographics.birthYear: birth year is after the rating year 2026; ")
    assert messages[1] == ("demographics need a declared legal basis (legalBasis: PUBLIC_TASK, LEGAL_OBLIGATION, "
                           "LEGITIMATE_INTEREST, CONSENT) or consent: true; otherwise leave the demographics out. "
                           "Or set dropInvalid: true to keep the rating without its demographics.")
    assert all("2027" not in m and INVALID_HETU not in m and "Kauniainen" not in m for m in messages)
    with api.database.transaction(write=False) as session:
        stored = {r.client_ref: (r.age_band, r.region, r.language, r.gender, r.pseudonym is not None)
                  for r in session.scalars(select(Rating))}
    assert stored == {
        "ok": ("45-49", "01", "fi", "female", True),
        "consent": (None, None, None, "other", False),
        "empty": (None, None, None, None, False),
        "dropped": (None, None, None, None, False),
    }


@pytest.mark.parametrize(("raw", "code"), [
    ({}, ItemCode.DEMOGRAPHICS_WITHOUT_LEGAL_BASIS),
    ({"consent": "yes"}, ItemCode.DEMOGRAPHICS_WITHOUT_LEGAL_BASIS),
    ({"legalBasis": "public_task"}, ItemCode.INVALID_LEGAL_BASIS),
])
def test_the_legal_basis_rule(raw: dict[str, Any], code: ItemCode) -> None:
    with pytest.raises(Rejection) as info:
        check_legal_basis(raw)
    assert info.value.code is code


@pytest.mark.parametrize("raw", [{"consent": True}, {"legalBasis": "CONSENT"}, {"legalBasis": "LEGAL_OBLIGATION"}])
def test_a_declared_basis_or_consent_is_enough(raw: dict[str, Any]) -> None:
    check_legal_basis(raw)


@pytest.mark.parametrize(("given", "code"), [
    ({"birthYear": "1980"}, ItemCode.INVALID_BIRTH_YEAR),
    ({"birthYear": True}, ItemCode.INVALID_BIRTH_YEAR),
    ({"municipalityCode": 91}, ItemCode.INVALID_MUNICIPALITY_CODE),
    ({"language": 7}, ItemCode.INVALID_LANGUAGE),
    ({"language": "  "}, ItemCode.INVALID_LANGUAGE),
    ({"gender": ["f"]}, ItemCode.INVALID_GENDER),
])
def test_wrong_types_from_ndjson_are_rejected_with_the_attribute_code(given: dict[str, Any], code: ItemCode) -> None:
    with pytest.raises(Rejection) as info:
        generalised_columns(given, ON)
    assert info.value.code is code
    assert info.value.message.startswith(f"demographics.{next(iter(given))}: ")


def test_generalisation_keeps_only_groups() -> None:
    assert generalised_columns({"birthYear": 1941, "municipalityCode": "837", "language": "se", "gender": "M"},
                               ON) == {"age_band": "85+", "region": "06", "language": "other", "gender": "male"}
    assert generalised_columns({}, ON) == {"age_band": None, "region": None, "language": None, "gender": None}
    assert NOW.date() == ON


@given(data=st.data(), hetu=valid_hetus())
def test_formatting_variants_of_a_hetu_give_one_stored_pseudonym(data: st.DataObject, hetu: str) -> None:
    protector = PrivacyProtector(KeyRing((TEST_KEY,)))
    variant = data.draw(formatting_variants(hetu))

    def stored(identifier: str) -> Any:
        item = RatingSubmission("r", SERVICE_A, "q", NOW, value=4,
                                demographics={"consent": True, "personalIdentifier": identifier})
        return protector.protect(item, ORG_A)["pseudonym"]

    assert stored(variant) == stored(hetu) == pseudonym(hetu, PseudonymDomain(SERVICE_A, "2026Q1"), TEST_KEY)
