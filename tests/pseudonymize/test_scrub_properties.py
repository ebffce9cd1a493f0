"""Properties of the free-text scrubber over generated spellings: no identifier survives in any form a person
types (dashes, spaces, case, full-width digits, surrounding punctuation), ordinary numbers do, and the work
stays linear on adversarial input."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pseudonymize import KINDS, MAX_LENGTH, ScrubResult, scrub
from tests.pseudonymize.strategies import (
    CLOSERS,
    OPENERS,
    email_spellings,
    fi_sv_filler,
    fi_sv_words,
    hetu_spellings,
    iban_spellings,
    ordinary_numbers,
    phone_spellings,
)

surroundings = st.tuples(fi_sv_filler, st.sampled_from(OPENERS), st.sampled_from(CLOSERS), fi_sv_filler)


def embed(written: str, around: tuple[str, str, str, str]) -> str:
    before, opener, closer, after = around
    return f"{before} {opener}{written}{closer} {after}"


def digits_of(text: str) -> str:
    """``text`` as the patterns see its digits: every decimal digit as ASCII, everything else kept."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def reconstructs(digits: str, text: str, around: tuple[str, str, str, str]) -> bool:
    """Whether ``digits`` can be read off ``text`` in order, at most 3 other characters apart, when the
    surrounding filler alone does not already spell them (random filler may: "kiitos 5 0 00000")."""
    pattern = "[^0-9]{0,3}".join(digits)
    return re.search(pattern, digits_of(text)) is not None and re.search(pattern, " ".join(around)) is None


def birth_and_individual_digits_remain(hetu: str, text: str, around: tuple[str, str, str, str]) -> bool:
    """Whether the six birth digits are followed, within six characters, by the three individual digits
    (and the filler alone does not hold them)."""
    pattern = hetu[:6] + r"[^0-9]{0,6}" + hetu[7:10]
    return re.search(pattern, digits_of(text)) is not None and re.search(pattern, " ".join(around)) is None


@given(hetu_spellings(), surroundings)
def test_no_hetu_survives_in_any_spelling(spelled: tuple[str, str], around: tuple[str, str, str, str]) -> None:
    hetu, written = spelled
    result = scrub(embed(written, around))
    assert written not in result.text
    assert not birth_and_individual_digits_remain(hetu, result.text, around)
    assert result.removed["HETU"] >= 1


@given(hetu_spellings(valid_check=False), surroundings)
def test_a_hetu_with_a_mistyped_check_character_is_caught(
    spelled: tuple[str, str], around: tuple[str, str, str, str]
) -> None:
    hetu, written = spelled
    result = scrub(embed(written, around))
    assert not birth_and_individual_digits_remain(hetu, result.text, around)
    assert result.removed["HETU"] >= 1


@given(phone_spellings(), surroundings)
@example(("4000000", "+358400-0000"), ("", "", "", ""))  # six digits and a dash after "+": not a HETU
def test_no_phone_number_survives_in_any_spelling(
    spelled: tuple[str, str], around: tuple[str, str, str, str]
) -> None:
    digits, written = spelled
    result = scrub(embed(written, around))
    assert written not in result.text
    assert not reconstructs(digits[-7:], result.text, around)
    assert result.removed["PHONE"] >= 1


@given(email_spellings(), surroundings)
def test_no_email_address_survives_in_any_spelling(
    spelled: tuple[str, str, str], around: tuple[str, str, str, str]
) -> None:
    local, at, domain = spelled
    result = scrub(embed(f"{local}{at}{domain}", around))
    folded = unicodedata.normalize("NFKC", result.text).casefold()
    assert f"{local}{at}".casefold() not in folded
    assert f"{at}{domain}".casefold().strip() not in folded
    assert "@" not in folded
    assert result.removed["EMAIL"] >= 1


@given(iban_spellings(), surroundings)
def test_no_iban_survives_in_any_spelling(spelled: tuple[str, str], around: tuple[str, str, str, str]) -> None:
    iban, written = spelled
    result = scrub(embed(written, around))
    assert written not in result.text
    assert not reconstructs(re.sub("[^0-9]", "", iban[4:])[-8:], result.text, around)
    assert result.removed["IBAN"] >= 1


@given(st.lists(st.tuples(fi_sv_words, ordinary_numbers(), st.sampled_from(["", ".", ",", ":", "!"])), max_size=8))
def test_ordinary_numbers_are_kept(parts: list[tuple[str, str, str]]) -> None:
    text = " ".join(f"{word} {number}{punctuation}" for word, number, punctuation in parts)
    assert scrub(text) == ScrubResult(text, dict.fromkeys(KINDS, 0))


@given(st.sampled_from(["Hetu ", "soita ", "", "tili "]), st.sampled_from([*OPENERS]), ordinary_numbers())
def test_a_number_beside_punctuation_is_kept(word: str, opener: str, number: str) -> None:
    text = f"{word}{opener}{number}"
    assert scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("hetu 041069–971S kiitos", "hetu [HETU] kiitos", "HETU"),
        ("hetu 041069 -971S", "hetu [HETU]", "HETU"),
        ("hetu 041069- 971S", "hetu [HETU]", "HETU"),
        ("hetu 041069 − 971s.", "hetu [HETU].", "HETU"),
        ("(041069\u2011971S)", "([HETU])", "HETU"),
        ("hetu: «041069\u202f–\u00a0971S».", "hetu: «[HETU]».", "HETU"),
        ("０４１０６９－９７１Ｓ", "[HETU]", "HETU"),
        ("041069 971S ilman merkkiä", "[HETU] ilman merkkiä", "HETU"),
        ("041069971S", "[HETU]", "HETU"),
        ("010150+123A ja 010105 f 123X", "[HETU] ja [HETU]", "HETU"),
        ("puh 040 – 123 4567", "puh [PHONE]", "PHONE"),
        ("+358 (0)40 123 4567", "[PHONE]", "PHONE"),
        ("00358\u00a040\u00a01234567", "[PHONE]", "PHONE"),
        ("soita 040.123.4567!", "soita [PHONE]!", "PHONE"),
        ("matti.virtanen(at)kela.fi", "[EMAIL]", "EMAIL"),
        ("M.Virtanen [AT] Kela [dot] FI.", "[EMAIL].", "EMAIL"),
        ("<anna+palaute@mail.kela.fi>", "<[EMAIL]>", "EMAIL"),
        ("matti＠example.fi", "[EMAIL]", "EMAIL"),
        ("gb29 nwbk 6016 1331 9268 19", "[IBAN]", "IBAN"),
        ("BE68 5390 0754 7034 kiva sana", "[IBAN] kiva sana", "IBAN"),
        ("FI21\u00a01234\u00a05600\u00a00007\u00a085", "[IBAN]", "IBAN"),
    ],
)
def test_spellings_from_feedback(text: str, expected: str, kind: str) -> None:
    result = scrub(text)
    assert result.text == expected
    assert result.removed[kind] == expected.count(f"[{kind}]")


@pytest.mark.parametrize(
    "text",
    [
        "01.02.2025-05.02.2025 ja 1.2.–5.2.2025",
        "klo 08.00 – 16.00, la 09:00-14:00",
        "vuodet 2020–2026, hinta 1 000 000 € tai 12 000 000 €",
        "alue 121212 - 150000 m² ja 100000 - 150",
        "Case AB12 kiva sana test ok",
    ],
)
def test_ranges_and_grouped_numbers_are_kept(text: str) -> None:
    assert scrub(text).text == text


@pytest.mark.parametrize(
    ("adversarial", "kind"),
    [
        ("0 " * 8000, "PHONE"),
        ("0-" * 8000, "PHONE"),
        ("0401234-" * 2000, "PHONE"),
        ("010101 - " * 1778, None),
        ("041069 - 971S " * 1142, "HETU"),
        ("1.1." * 4000, None),
        ("09.00-" * 2666, None),
        ("a.b-" * 4000, None),
        ("a@b-" * 4000, None),
        ("matti(at)" * 1777, None),
        ("FI21 1234 " * 1600, None),
        ("FI21 1234 5600 0007 85 " * 695, "IBAN"),
        ("1234567890" * 1600, "PHONE"),
    ],
)
def test_adversarial_input_is_scrubbed_in_linear_time(adversarial: str, kind: str | None) -> None:
    """16 000 characters built to make a backtracking pattern try every split; each finishes at once (a test
    run that hangs here is the failure) and leaves no digit run of 7 or more."""
    result = scrub(adversarial)
    assert len(result.text) <= MAX_LENGTH
    assert not re.search(r"[0-9]{7}", result.text)
    if kind is not None:
        assert result.removed[kind] >= 1


@pytest.mark.parametrize("text", ["Hetu 358 000 000 €", "358 000 000 euroa", "(358 000 000 EUR)"])
def test_an_amount_starting_with_358_is_no_phone_number(text: str) -> None:
    """Found by CI's hypothesis run: digit groups after 358 followed by a currency are an amount, not +358."""
    assert scrub(text).text == text
