"""Keyed pseudonyms: stable per (identifier, domain, key version), unlinkable across domains and keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pseudonymize import (
    KeyRing,
    MasterKey,
    PseudonymDomain,
    normalise_identifier,
    pseudonym,
    pseudonym_key_version,
    pseudonyms_for_all_keys,
    quarter_end,
    quarter_of,
)
from tests.pseudonymize.strategies import (
    formatting_variants,
    hkdf_sha256_reference,
    master_keys,
    secrets_,
    valid_hetus,
)

SECRET = bytes(range(32))
KEY = MasterKey(1, SECRET)
DOMAIN = PseudonymDomain("5f1e3c2a-0000-4000-8000-000000000001", "2026Q1")

service_ids = st.text(alphabet="0123456789abcdef-", min_size=1, max_size=36)
quarters = st.builds(lambda y, q: f"{y}Q{q}", st.integers(2000, 2100), st.integers(1, 4))
domains = st.builds(PseudonymDomain, service_ids, quarters)


# quarters


@pytest.mark.parametrize(
    ("day", "quarter", "end"),
    [
        (dt.date(2026, 1, 1), "2026Q1", dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), "2026Q2", dt.date(2026, 6, 30)),
        (dt.date(2026, 9, 30), "2026Q3", dt.date(2026, 9, 30)),
        (dt.date(2026, 12, 31), "2026Q4", dt.date(2026, 12, 31)),
        (dt.date(2028, 2, 29), "2028Q1", dt.date(2028, 3, 31)),
    ],
)
def test_quarter_of_and_its_end(day: dt.date, quarter: str, end: dt.date) -> None:
    assert quarter_of(day) == quarter
    assert quarter_end(quarter) == end


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9998, 12, 31)))
def test_a_day_lies_in_its_quarter_and_the_next_day_after_the_end_does_not(day: dt.date) -> None:
    end = quarter_end(quarter_of(day))
    assert day <= end
    assert quarter_of(end) == quarter_of(day)
    assert quarter_of(end + dt.timedelta(days=1)) != quarter_of(day)


@pytest.mark.parametrize(
    "quarter", ["2026Q5", "2026Q0", "2026q1", "26Q1", "2026-Q1", " 2026Q1", "0000Q1", ""]
)
def test_malformed_quarters_are_refused(quarter: str) -> None:
    message = (
        f"quarter must look like '2026Q1' (a four-digit year, 'Q', then 1 to 4), got {quarter!r}; "
        "build it with quarter_of(date)."
    )
    with pytest.raises(ValueError) as info:
        quarter_end(quarter)
    assert str(info.value) == message
    with pytest.raises(ValueError) as info:
        PseudonymDomain("s", quarter)
    assert str(info.value) == message


# domains


@pytest.mark.parametrize("service_id", ["", " s", "s\n"])
def test_a_domain_needs_a_clean_service_id(service_id: str) -> None:
    with pytest.raises(ValueError) as info:
        PseudonymDomain(service_id, "2026Q1")
    assert str(info.value) == (
        "PseudonymDomain service_id must be a non-empty id without surrounding whitespace, "
        f"got {service_id!r}; pass the service id as stored."
    )


def test_domain_for_a_date_and_its_end() -> None:
    domain = PseudonymDomain.for_date("s", dt.date(2026, 5, 17))
    assert domain == PseudonymDomain("s", "2026Q2")
    assert domain.label == "s|2026Q2"
    assert domain.ends_on == dt.date(2026, 6, 30)


# normalisation


@pytest.mark.parametrize(
    "raw", ["131052-308T", "131052-308t", " 131052-308T ", "131052 -308T", "1310 52-30 8t", "\t131052-308T\n"]
)
def test_formatting_variants_normalise_to_one_identifier(raw: str) -> None:
    assert normalise_identifier(raw) == "131052-308T"


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_an_empty_identifier_is_refused(raw: str) -> None:
    with pytest.raises(ValueError) as info:
        normalise_identifier(raw)
    assert str(info.value) == "the personal identifier is empty; send the identifier or leave the field out."


@given(st.data(), valid_hetus())
def test_formatting_variants_give_one_pseudonym(data: st.DataObject, hetu: str) -> None:
    variant = data.draw(formatting_variants(hetu))
    assert pseudonym(normalise_identifier(variant), DOMAIN, KEY) == pseudonym(hetu, DOMAIN, KEY)


def test_a_non_normalised_identifier_is_refused_without_repeating_it() -> None:
    with pytest.raises(ValueError) as info:
        pseudonym(" 131052-308t", DOMAIN, KEY)
    assert str(info.value) == (
        "the personal identifier is not normalised; pass it through normalise_identifier() first."
    )
    assert "131052" not in str(info.value)


# pseudonyms


def test_pseudonym_is_hmac_sha256_under_the_hkdf_domain_key() -> None:
    derived = hkdf_sha256_reference(SECRET, b"pseudonym\x00" + DOMAIN.label.encode())
    expected = hmac.new(derived, b"131052-308T", hashlib.sha256).hexdigest()
    assert pseudonym("131052-308T", DOMAIN, KEY) == f"v1:{expected}"


@given(valid_hetus(), domains, master_keys)
def test_a_pseudonym_is_stable_and_well_formed(hetu: str, domain: PseudonymDomain, key: MasterKey) -> None:
    value = pseudonym(hetu, domain, key)
    assert value == pseudonym(
        hetu, PseudonymDomain(domain.service_id, domain.quarter), MasterKey(key.version, key.secret)
    )
    assert re.fullmatch(rf"v{key.version}:[0-9a-f]{{64}}", value)
    assert len(value) <= 80  # the column width of rating.pseudonym
    assert pseudonym_key_version(value) == key.version


@given(valid_hetus(), domains, domains, master_keys)
def test_pseudonyms_differ_across_domains(
    hetu: str, one: PseudonymDomain, other: PseudonymDomain, key: MasterKey
) -> None:
    assume(one != other)
    assert pseudonym(hetu, one, key) != pseudonym(hetu, other, key)


@given(valid_hetus(), domains, secrets_, secrets_)
def test_pseudonyms_differ_across_keys(
    hetu: str, domain: PseudonymDomain, first: bytes, second: bytes
) -> None:
    assume(first != second)
    keys = KeyRing((MasterKey(1, first), MasterKey(2, second)))
    one, two = pseudonym(hetu, domain, keys.get(1)), pseudonym(hetu, domain, keys.get(2))
    assert one.split(":")[1] != two.split(":")[1]


@given(valid_hetus(), valid_hetus(), domains, master_keys)
def test_different_people_get_different_pseudonyms(
    a: str, b: str, domain: PseudonymDomain, key: MasterKey
) -> None:
    assume(a != b)
    assert pseudonym(a, domain, key) != pseudonym(b, domain, key)


def test_pseudonyms_for_all_keys_covers_every_version_in_the_ring() -> None:
    keys = KeyRing((MasterKey(1, SECRET), MasterKey(3, bytes(range(5, 37)))))
    assert pseudonyms_for_all_keys("131052-308T", DOMAIN, keys) == {
        1: pseudonym("131052-308T", DOMAIN, keys.get(1)),
        3: pseudonym("131052-308T", DOMAIN, keys.get(3)),
    }


def test_after_rotation_the_old_pseudonym_is_still_found() -> None:
    old = KeyRing((KEY,))
    stored = pseudonym("131052-308T", DOMAIN, old.current)
    rotated = old.with_new_key(bytes(range(9, 41)))
    found = pseudonyms_for_all_keys("131052-308T", DOMAIN, rotated)
    assert found[1] == stored
    assert found[2] != stored
    assert (
        stored
        not in pseudonyms_for_all_keys(
            "131052-308T", DOMAIN, rotated.with_new_key(bytes(range(40))).without(1)
        ).values()
    )


@pytest.mark.parametrize("value", ["", "1:" + "a" * 64, "v0:" + "a" * 64, "v1:" + "A" * 64, "v1:" + "a" * 63])
def test_pseudonym_key_version_refuses_what_is_not_a_pseudonym(value: str) -> None:
    with pytest.raises(ValueError) as info:
        pseudonym_key_version(value)
    assert str(info.value) == (
        "not a pseudonym: expected 'v<version>:<64 lower-case hex digits>' as made by pseudonym()."
    )
