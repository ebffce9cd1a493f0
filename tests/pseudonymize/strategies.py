"""Hypothesis strategies shared by the pseudonymize tests: keys, valid HETUs, phone numbers, filler text, and
the spellings of identifiers (and of ordinary numbers) in free text used by the scrubber properties."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from hypothesis import assume
from hypothesis import strategies as st

from pseudonymize import MasterKey

HETU_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURY_SIGNS = {18: "+", 19: "-YXWVU", 20: "ABCDEF"}

secrets_ = st.binary(min_size=32, max_size=48)
versions = st.integers(min_value=1, max_value=65535)
master_keys = st.builds(MasterKey, versions, secrets_)


def hetu_check_character(ddmmyy: str, individual: str) -> str:
    """The real HETU check character: the remainder of DDMMYYNNN divided by 31, looked up in the table."""
    return HETU_CHECK_CHARACTERS[int(ddmmyy + individual) % 31]


@st.composite
def valid_hetus(draw: st.DrawFn) -> str:
    """A valid Finnish personal identity code, any century sign in use since 2023."""
    birth = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    sign = draw(st.sampled_from(_CENTURY_SIGNS[birth.year // 100]))
    individual = f"{draw(st.integers(min_value=2, max_value=899)):03d}"
    ddmmyy = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"
    return f"{ddmmyy}{sign}{individual}{hetu_check_character(ddmmyy, individual)}"


@st.composite
def formatting_variants(draw: st.DrawFn, identifier: str) -> str:
    """``identifier`` with random case, inner spaces and surrounding whitespace."""
    chars = [c.lower() if draw(st.booleans()) else c for c in identifier]
    spaced = "".join(c + (" " * draw(st.integers(0, 2))) for c in chars)
    before = draw(st.sampled_from(["", " ", "  ", "\t", "\n "]))
    after = draw(st.sampled_from(["", " ", "\t", " \n"]))
    return before + spaced + after


_digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """Finnish and international telephone numbers in the ways people write them."""
    area = draw(st.sampled_from(["40", "41", "44", "45", "50", "9", "2", "3", "13", "19", "17"]))
    subscriber = draw(st.text(alphabet="0123456789", min_size=5, max_size=8))
    cut = draw(st.integers(min_value=1, max_value=len(subscriber) - 1))
    head, tail = subscriber[:cut], subscriber[cut:]
    style = draw(st.sampled_from(["international", "hyphen", "spaces", "parentheses", "compact", "00"]))
    if style == "international":
        return f"+358 {area} {head} {tail}"
    if style == "hyphen":
        return f"0{area}-{subscriber}"
    if style == "spaces":
        return f"0{area} {head} {tail}"
    if style == "parentheses":
        return f"(0{area}) {head} {tail}"
    if style == "00":
        return f"00358 {area} {subscriber}"
    return f"0{area}{subscriber}"


words = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789.,!?:;'\"()-"
    ),
    min_size=1,
    max_size=12,
)
filler = st.lists(words, max_size=12).map(" ".join)
"""Random text around an embedded identifier; words are separated by spaces, as in real feedback."""


def hkdf_sha256_reference(secret: bytes, info: bytes) -> bytes:
    """RFC 5869 HKDF-SHA256 with no salt (a zero salt) and one output block, written out independently."""
    prk = hmac.new(b"\x00" * 32, secret, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


# --- Spellings of identifiers in free text (tests/pseudonymize/test_scrub_properties.py) ---

DASHES = ("-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d")
"""Hyphen-minus and the dash-like characters typed (or auto-corrected) in its place."""
SPACES = (" ", "\u00a0", "\u202f", "\u2009")
"""Space, no-break space, narrow no-break space, thin space."""
OPENERS = ("", "", "(", "[", '"', "'", "«", "\u201c", "hetu:", "hetu: ", "HETU ", "nro ", "<", "mailto:", "tili: ")
CLOSERS = ("", "", ".", ",", ")", "]", '"', "'", "»", "\u201d", "!", "?", ";", ":", "...", ").", ">")

_FULL_WIDTH_DIGITS = {str(d): chr(0xFF10 + d) for d in range(10)}

_FI_SV_WORDS = """kiitos palvelu oli hyvä huono jonotin asia hoitui nopeasti mutta soitin numeroon sähköposti kela
vero tack bra tjänsten och väntade länge jag ringde numret e-post tyvärr ärende hetu tili puh nro klo"""
fi_sv_words = st.sampled_from(_FI_SV_WORDS.split())
fi_sv_filler = st.lists(st.one_of(fi_sv_words, words), max_size=10).map(" ".join)
"""Finnish and Swedish words mixed with random ones (which may hold digits and punctuation)."""


@st.composite
def _space_run(draw: st.DrawFn, max_size: int = 2) -> str:
    return "".join(draw(st.lists(st.sampled_from(SPACES), max_size=max_size)))


def _maybe_full_width(draw: st.DrawFn, digits: str) -> str:
    if not draw(st.booleans()):
        return digits
    return "".join(_FULL_WIDTH_DIGITS[d] if draw(st.booleans()) else d for d in digits)


@st.composite
def hetu_spellings(draw: st.DrawFn, valid_check: bool = True) -> tuple[str, str]:
    """``(hetu, written)``: a HETU and one way of writing it — any dash for "-", spaces around the
    sign, either case, full-width digits, and (``valid_check=False``) a mistyped check character."""
    hetu = draw(valid_hetus())
    ddmmyy, sign, individual, check = hetu[:6], hetu[6], hetu[7:10], hetu[10]
    if sign == "-":
        sign = draw(st.sampled_from(DASHES))
    if not valid_check:
        check = draw(st.sampled_from(HETU_CHECK_CHARACTERS + "GIOQZ"))
    sign, check = (c.lower() if draw(st.booleans()) else c for c in (sign, check))
    written = (
        _maybe_full_width(draw, ddmmyy) + draw(_space_run()) + sign + draw(_space_run())
        + _maybe_full_width(draw, individual) + check
    )
    return hetu, written


@st.composite
def phone_spellings(draw: st.DrawFn) -> tuple[str, str]:
    """``(digits, written)``: the national digits (area code without 0, subscriber number) of a Finnish
    telephone number and one way of writing it — 0 / +358 / 00358 / +358 (0), spaces, dashes, dots."""
    area = draw(st.sampled_from(["40", "41", "44", "45", "46", "50", "9", "2", "3", "13", "19", "17"]))
    subscriber = draw(st.text(alphabet="0123456789", min_size=5, max_size=8))
    cut = draw(st.integers(min_value=1, max_value=len(subscriber) - 1))
    separator = draw(st.sampled_from([" ", "", ".", "-", *SPACES, *DASHES, " - ", " \u2013 "]))
    subscriber_written = subscriber[:cut] + separator + subscriber[cut:]
    after_area = draw(st.sampled_from([" ", "-", "\u2013", ".", "", "\u00a0"]))
    # "09.12 345" and "09.12.3456" read as a time and a date: a documented limit of the scrubber.
    assume(not (after_area == "." and len(area) == 1 and cut <= 2))
    prefix = draw(st.sampled_from(["0", "+358 ", "+358", "+358-", "00358 ", "+358 (0)", "+358(0)", "(0"]))
    # "040123-4567" is also a HETU's shape (six digits, dash, three digits, check character): it is
    # replaced, but as [HETU] — a documented limit; the kind asserted here would be wrong.
    assume(not (prefix == "0" and after_area == "" and len(area) + cut == 5 and separator.strip() in DASHES))
    if prefix == "(0":
        return area + subscriber, f"(0{area}) {subscriber_written}"
    return area + subscriber, f"{prefix}{area}{after_area}{subscriber_written}"


_EMAIL_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)


@st.composite
def email_spellings(draw: st.DrawFn) -> tuple[str, str, str]:
    """``(local, at, domain)`` of an e-mail address: dotted or hyphenated local parts, plus-addressing,
    subdomains, any case, and ``@`` or the obfuscated ``(at)`` / ``[at]``."""
    local = draw(st.lists(_EMAIL_WORDS, min_size=1, max_size=3).map(draw(st.sampled_from([".", "-", "_"])).join))
    if draw(st.booleans()):
        local += "+" + draw(_EMAIL_WORDS)
    labels = draw(st.lists(_EMAIL_WORDS, min_size=1, max_size=3))
    domain = ".".join([*labels, draw(st.sampled_from(["fi", "se", "com", "org", "gov.fi", "ax"]))])
    at = draw(st.sampled_from(["@", "@", "(at)", "[at]", " (at) ", "(AT)", "\uff20"]))
    case = draw(st.sampled_from([str.lower, str.upper, str.title]))
    return case(local), at, case(domain)


IBAN_FORMATS = {"FI": "n14", "SE": "n20", "DE": "n18", "EE": "n16", "NO": "n11", "GB": "a4n14", "NL": "a4n10",
                "FR": "n10c11n2", "MT": "a4n5c18"}
"""BBAN layouts: n digits, a letters, c letters or digits (a few countries, enough for the spellings)."""


def iban_check_digits(country: str, bban: str) -> str:
    value = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{98 - value % 97:02d}"


@st.composite
def iban_spellings(draw: st.DrawFn) -> tuple[str, str]:
    """``(iban, written)``: a valid IBAN and one way of writing it — whole or in groups of four separated by
    a space, NBSP or narrow NBSP, upper or lower case."""
    country = draw(st.sampled_from(sorted(IBAN_FORMATS)))
    bban = ""
    for kind, count in re.findall(r"([nac])(\d+)", IBAN_FORMATS[country]):
        alphabet = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
        bban += draw(st.text(alphabet=alphabet[kind], min_size=int(count), max_size=int(count)))
    iban = country + iban_check_digits(country, bban) + bban
    separator = draw(st.sampled_from(["", " ", "\u00a0", "\u202f"]))
    written = separator.join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban, written.lower() if draw(st.booleans()) else written


@st.composite
def ordinary_numbers(draw: st.DrawFn) -> str:
    """Numbers that are not identifiers: years, dates, times, ranges, prices, counts, percentages."""
    day, month = draw(st.integers(1, 28)), draw(st.integers(1, 12))
    year = draw(st.integers(1990, 2040))
    hour, minute = draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))
    dash = draw(st.sampled_from(["-", "\u2013", " \u2013 ", " - "]))
    choices = [
        str(year),
        f"{day}.{month}.{year}",
        f"{day:02d}.{month:02d}.{year}",
        f"{day}.{month}.{year % 100:02d}",
        f"{day}.{month}.",
        f"{day:02d}.{month:02d}.{year}{dash}{day + 1:02d}.{month:02d}.{year}",
        f"{hour}.{minute:02d}",
        f"{hour:02d}:{minute:02d}",
        f"{hour:02d}.{minute:02d}{dash}{(hour + 1) % 24:02d}.{minute:02d}",
        f"{year}{dash}{year + 1}",
        f"{draw(st.integers(0, 999))},{draw(st.integers(0, 99)):02d} €",
        f"{draw(st.integers(1, 999))} {draw(st.integers(0, 999)):03d},{draw(st.integers(0, 99)):02d} euroa",
        f"{draw(st.integers(1, 999))} 000 000 €",
        str(draw(st.integers(0, 999))),
        f"{draw(st.integers(0, 100))} %",
        f"{draw(st.integers(1, 12))}/{year}",
    ]
    return draw(st.sampled_from(choices))
