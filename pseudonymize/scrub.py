"""Scrubbing of direct identifiers from free text before it is stored (and then sealed).

Replaced: Finnish personal identity codes (``[HETU]``), e-mail addresses (``[EMAIL]``), telephone
numbers and other runs of 7 or more digits (``[PHONE]``) and IBANs (``[IBAN]``). The patterns are
generous on purpose: a false alarm costs a few characters of feedback, a miss leaks an identifier.

Limits: only these direct identifiers are found. Names, street addresses, case numbers with letters,
and anything a reader could recognise from context stay — scrubbing lowers the risk, it does not
anonymise. Only ASCII digits are recognised as digits. A phone number written without its leading
0 or + and with separators ("40 123 4567") is not recognised: grouped ordinary numbers ("1 000 000")
look the same; written without separators it is caught as a run of 7 or more digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

MAX_LENGTH = 2000
"""Longest scrubbed text kept; longer text is cut (never inside a placeholder)."""

_INPUT_LIMIT = 8 * MAX_LENGTH  # bounds the work per text; see scrub()
_LONGEST_IDENTIFIER = 256

KINDS: tuple[str, ...] = ("HETU", "EMAIL", "PHONE", "IBAN")
"""The kinds of identifier replaced; each becomes ``"[<KIND>]"``."""

_PLACEHOLDERS = tuple(f"[{kind}]" for kind in KINDS)

_EMAIL_CHARS = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(rf"(?<!{_EMAIL_CHARS}){_EMAIL_CHARS}+@[\w-]+(?:\.[\w-]+)+")

# Two letters, two check digits, then 11-30 letters and digits, written whole or in groups of four.
_IBAN = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}"
    r"(?:[ \u00a0]?[0-9A-Z]{4}){2,7}(?:[ \u00a0]?[0-9A-Z]{1,4})?"
    r"(?![0-9A-Za-z])"
)

# DDMMYY, a century sign (- + A-F U-Y, upper or lower case), three digits and any check character:
# a mistyped check character still identifies the person.
_HETU = re.compile(r"(?<![0-9])[0-9]{6}[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-Za-z]")

# A telephone number starts with "+", "(0", "0" or "358" and continues in digit groups separated by one
# space, hyphen, dot, slash or parenthesis. Dates (1.12.2025) and times (9.00, 09:00) are not starts.
_SEPARATOR = r"(?:[ \u00a0./-]|\)[ \u00a0]?|[ \u00a0]?\()"
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?![0-9]{1,2}\.[0-9]{1,2}\.(?:[0-9]{4}|[0-9]{2})(?![0-9]))"
    r"(?![0-9]{1,2}[.:][0-9]{2}(?![0-9]))"
    r"(?:\+[ \u00a0]?|\((?=0)|(?=0)|(?=358))"
    rf"[0-9]+(?:{_SEPARATOR}[0-9]+)*"
)
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{7,}")
_MIN_PHONE_DIGITS = 7


def _is_iban(candidate: str) -> bool:
    return 11 <= len(re.sub(r"\s", "", candidate[4:])) <= 30


def _is_phone(candidate: str) -> bool:
    return sum(c.isdigit() for c in candidate) >= _MIN_PHONE_DIGITS


def _always(_: str) -> bool:
    return True


# Order matters: e-mail addresses and IBANs contain digit runs, and a HETU looks like a phone number.
_RULES: tuple[tuple[str, re.Pattern[str], Callable[[str], bool]], ...] = (
    ("EMAIL", _EMAIL, _always),
    ("IBAN", _IBAN, _is_iban),
    ("HETU", _HETU, _always),
    ("PHONE", _PHONE, _is_phone),
    ("PHONE", _LONG_NUMBER, _always),
)


@dataclass(frozen=True)
class ScrubResult:
    """Scrubbed text and how many identifiers of each kind were replaced.

    Guarantee: ``text`` is at most :data:`MAX_LENGTH` characters; ``removed`` has a count for every kind
    in :data:`KINDS`; ``truncated`` says whether the text was cut.
    """

    text: str
    removed: dict[str, int]
    truncated: bool = False

    def __post_init__(self) -> None:
        if len(self.text) > MAX_LENGTH:
            raise ValueError(f"scrubbed text may be at most {MAX_LENGTH} characters; build it with scrub().")
        if set(self.removed) != set(KINDS) or any(n < 0 for n in self.removed.values()):
            raise ValueError(
                f"removed must count every kind {', '.join(KINDS)} with a number >= 0; build it with scrub()."
            )


def scrub(text: str) -> ScrubResult:
    """Replace direct identifiers in ``text`` with placeholders; strip control characters; cap the length.

    Steps: text beyond 16 000 characters is dropped, with the last (possibly cut) word, to bound the
    work; control and invisible format characters (Unicode Cc, Cf, Cs — e.g. zero-width spaces, which
    could hide an identifier) are removed, except newline and tab, and line/paragraph separators become
    newlines; identifiers are replaced; the result is cut to 2000 characters, never inside a placeholder.
    Guarantee: no text matching the identifier patterns above remains; years ("2026"), dates, times,
    prices and small counts remain.
    Limits: see the module docstring. Removing format characters also splits joined emoji sequences.
    When an identifier written with spaces (a phone number) straddles the 16 000th character, its first
    groups can stay — visible only if the text shrank below 2000 characters by then.
    """
    truncated = len(text) > _INPUT_LIMIT
    if truncated:
        text = _without_last_word(text[:_INPUT_LIMIT])
    text = _strip_controls(text)
    removed = dict.fromkeys(KINDS, 0)
    for kind, pattern, accept in _RULES:
        text = pattern.sub(_replacer(kind, accept, removed), text)
    if len(text) > MAX_LENGTH:
        text, truncated = _cut(text), True
    return ScrubResult(text, removed, truncated)


def _replacer(
    kind: str, accept: Callable[[str], bool], removed: dict[str, int]
) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        if not accept(match.group()):
            return match.group()
        removed[kind] += 1
        return f"[{kind}]"

    return replace


def _without_last_word(text: str) -> str:
    """Drop the trailing run of non-space characters (at most 256): it may be the start of a cut identifier.

    256 characters hold the longest e-mail address (254), so a cut identifier without spaces always goes.
    """
    end = len(text)
    stop = max(0, end - _LONGEST_IDENTIFIER)
    while end > stop and not text[end - 1].isspace():
        end -= 1
    return text[:end]


def _strip_controls(text: str) -> str:
    kept: list[str] = []
    for char in text:
        if char in "\n\t":
            kept.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Zl", "Zp"):
            kept.append("\n")
        elif category not in ("Cc", "Cf", "Cs"):
            kept.append(char)
    return "".join(kept)


def _cut(text: str) -> str:
    cut = text[:MAX_LENGTH]
    start = cut.rfind("[", MAX_LENGTH - max(len(p) for p in _PLACEHOLDERS))
    if start != -1 and any(text.startswith(p, start) and start + len(p) > MAX_LENGTH for p in _PLACEHOLDERS):
        return cut[:start]
    return cut
