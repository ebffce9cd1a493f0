"""Free-text scrubbing: direct identifiers out, ordinary text and numbers in."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pseudonymize import KINDS, MAX_LENGTH, ScrubResult, scrub
from tests.pseudonymize.strategies import filler, phone_numbers, valid_hetus


def counts(**found: int) -> dict[str, int]:
    return {kind: found.get(kind, 0) for kind in KINDS}


@pytest.mark.parametrize(
    ("text", "expected", "removed"),
    [
        ("Hetu 131052-308T kiitos", "Hetu [HETU] kiitos", counts(HETU=1)),
        ("hetu:010105A123X.", "hetu:[HETU].", counts(HETU=1)),
        ("väärä tarkiste 131052-308A", "väärä tarkiste [HETU]", counts(HETU=1)),
        ("new signs 010101Y1234 and 020304b567c", "new signs [HETU] and [HETU]", counts(HETU=2)),
        ("matti.meikalainen@example.fi vastasi", "[EMAIL] vastasi", counts(EMAIL=1)),
        ("<Anna-Liisa.O'Brien+palaute@kela.fi>", "<[EMAIL]>", counts(EMAIL=1)),
        ("soita +358 40 123 4567", "soita [PHONE]", counts(PHONE=1)),
        ("puh. 040-1234567.", "puh. [PHONE].", counts(PHONE=1)),
        ("vaihde 09 123 4567", "vaihde [PHONE]", counts(PHONE=1)),
        ("(09) 1234 567 arkisin", "[PHONE] arkisin", counts(PHONE=1)),
        ("0401234567", "[PHONE]", counts(PHONE=1)),
        ("US office +1 (555) 123-4567", "US office [PHONE]", counts(PHONE=1)),
        ("asiakasnumero 12345678", "asiakasnumero [PHONE]", counts(PHONE=1)),
        ("tili FI21 1234 5600 0007 85 kiitos", "tili [IBAN] kiitos", counts(IBAN=1)),
        ("tili FI2112345600000785", "tili [IBAN]", counts(IBAN=1)),
        ("tili fi21 1234 5600 0007 85", "tili [IBAN]", counts(IBAN=1)),
        ("GB29 NWBK 6016 1331 9268 19 / DE89370400440532013000", "[IBAN] / [IBAN]", counts(IBAN=2)),
    ],
)
def test_identifiers_are_replaced(text: str, expected: str, removed: dict[str, int]) -> None:
    assert scrub(text) == ScrubResult(expected, removed, truncated=False)


@pytest.mark.parametrize(
    "text",
    [
        "Vuonna 2026 asioin 3 kertaa, jonotin 45 min.",
        "Kävin 1.12.2025 ja 01.12.2025 sekä 5.1.26 klo 9.00 tai 09:30",
        "aukiolo 09.00-16.00, palvelu toimi 2020-2026",
        "hinta 1 000 000 € tai 12,50 € tai 1 234,56 euroa",
        "päätös 12/2025, lomake 5080 ja pykälä 14 a §",
        "Case AB12 is fine, FI is fine, and so is 0,5 l",
        "rivi 1\nrivi 2\tsarake",
    ],
)
def test_ordinary_text_and_numbers_survive(text: str) -> None:
    assert scrub(text) == ScrubResult(text, counts(), truncated=False)


@given(valid_hetus(), filler, filler)
@example("010100A002H", "AA00 0000", "")  # IBAN-shaped with it, but AA is no IBAN country: a HETU
def test_no_valid_hetu_survives(hetu: str, before: str, after: str) -> None:
    result = scrub(f"{before} {hetu} {after}")
    assert hetu not in result.text
    assert result.removed["HETU"] >= 1


@given(st.emails(), filler, filler)
def test_no_email_survives(email: str, before: str, after: str) -> None:
    result = scrub(f"{before} {email} {after}")
    assert email not in result.text
    assert result.removed["EMAIL"] >= 1


@given(phone_numbers(), filler, filler)
def test_no_phone_number_survives(phone: str, before: str, after: str) -> None:
    result = scrub(f"{before} {phone} {after}")
    assert phone not in result.text
    assert "".join(c for c in phone if c.isdigit())[-7:] not in result.text
    assert result.removed["PHONE"] >= 1


@given(filler)
def test_scrubbing_is_idempotent(text: str) -> None:
    once = scrub(text)
    assert scrub(once.text) == ScrubResult(once.text, counts(), truncated=False)


def test_control_and_invisible_characters_are_stripped_before_scrubbing() -> None:
    assert scrub("a\x00b\x1b[31mc\u200bd\r\ne\u2028f").text == "ab[31mcd\ne\nf"
    assert scrub("040\u200b123\u200d4567") == ScrubResult("[PHONE]", counts(PHONE=1))
    assert scrub("matti\u00ad@example.fi").text == "[EMAIL]"


def test_long_text_is_cut_to_the_maximum_length() -> None:
    result = scrub("a" * (MAX_LENGTH + 500))
    assert result == ScrubResult("a" * MAX_LENGTH, counts(), truncated=True)


def test_a_placeholder_is_never_cut() -> None:
    text = "a" * (MAX_LENGTH - 3) + " 040 123 4567"
    result = scrub(text)
    assert result.text == "a" * (MAX_LENGTH - 3) + " "
    assert result.truncated


def test_a_placeholder_ending_at_the_limit_is_kept() -> None:
    text = "a" * (MAX_LENGTH - len("[PHONE]")) + "0401234567"
    assert scrub(text).text == "a" * (MAX_LENGTH - 7) + "[PHONE]"


def test_very_long_input_is_bounded_and_its_cut_last_word_dropped() -> None:
    text = "sana " * 5000 + "0401234567"
    result = scrub(text)
    assert len(result.text) == MAX_LENGTH
    assert result.truncated
    assert scrub("x " * 7999 + "a0401234567") == ScrubResult(
        ("x " * 1000)[:MAX_LENGTH], counts(), truncated=True
    )


def test_very_long_text_without_spaces_keeps_its_start() -> None:
    result = scrub("a" * 20_000 + "@example.fi")
    assert result == ScrubResult("a" * MAX_LENGTH, counts(), truncated=True)


def test_an_identifier_cut_at_the_input_limit_does_not_leak_when_the_text_shrank() -> None:
    long_addresses = ("a" * 190 + "@example.fi ") * 79  # 15 958 characters that shrink to 632
    text = long_addresses + "x" * 30 + " matti.meikalainen@example.fi"  # the input limit cuts the address
    assert scrub(text) == ScrubResult("[EMAIL] " * 79 + "x" * 30 + " ", counts(EMAIL=79), truncated=True)


def test_scrub_result_validation() -> None:
    with pytest.raises(ValueError) as info:
        ScrubResult("a" * (MAX_LENGTH + 1), counts())
    assert str(info.value) == "scrubbed text may be at most 2000 characters; build it with scrub()."
    with pytest.raises(ValueError) as info:
        ScrubResult("a", {"HETU": 1})
    assert str(info.value) == (
        "removed must count every kind HETU, EMAIL, PHONE, IBAN with a number >= 0; build it with scrub()."
    )
