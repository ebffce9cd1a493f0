"""Hypothesis strategies shared by the pseudonymize tests: keys, valid HETUs, phone numbers, filler text."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

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
