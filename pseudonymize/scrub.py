"""Scrubbing of direct identifiers from free text before it is stored (and then sealed).

Replaced: Finnish personal identity codes (``[HETU]``), e-mail addresses (``[EMAIL]``), telephone
numbers and other runs of 7 or more digits (``[PHONE]``) and IBANs (``[IBAN]``). The patterns are
generous on purpose: a false alarm costs a few characters of feedback, a miss leaks an identifier.

How spellings are recognised: the patterns run on a *matching view* of the text in which every
character is folded on its own (so positions stay aligned): any decimal digit (full-width ``０``,
Arabic-Indic, …) becomes its ASCII digit, every dash-like character (hyphen U+2010, non-breaking hyphen,
figure dash, en and em dash, minus sign, small and full-width hyphen-minus) becomes ``-``, every space
(no-break, narrow no-break, thin, ideographic, …) becomes `` ``, and other characters whose NFKC form is
a single ASCII character (full-width letters, ``＠``, ``＋``) become that character. Only the matched
spans are replaced; the rest of the text stays as typed.

- HETU: six digits, a century sign of the 2023 reform (``+``, ``- Y X W V U``, ``A B C D E F``, either
  case, any dash for ``-``), three digits and any check character — a mistyped check character still
  identifies the person. When the six digits are a possible date (DDMMYY) the code is also found with up
  to two spaces on either side of the sign, and without a sign when the check character is a letter
  (``041069 971S``, ``041069971S``).
- E-mail: ``local@domain.tld`` with any case, plus-addressing and subdomains; the obfuscated forms
  ``(at)`` / ``[at]`` for ``@`` and ``(dot)`` / ``[dot]`` for ``.`` (any case, optional spaces around),
  common in Finnish public-sector addresses, are caught too; ``name at domain dot fi`` is not.
- Telephone: a number starting with ``+``, ``(0``, ``0`` or ``358`` (so ``0``, ``+358``, ``00358``,
  ``+358 (0)40``) whose digit groups are separated by a space, dot, slash, parenthesis or a dash with
  optional spaces around it, and 7 or more digits in all; any run of 7 or more digits.
- IBAN: two letters, two digits and 11-30 letters and digits (either case), whole or in groups of four;
  a last group of letters only is taken for a following word. The check digits are not required (a typo
  still identifies the account), but a candidate whose rest is exactly a HETU or a telephone number is an
  IBAN only if it is valid (registry country, check digits); otherwise those rules take it.

Not identifiers (kept): years (2026), dates (1.12.2025, 01.12.25) and date ranges (1.12.2025-5.12.2025),
times (9.00, 09:00) and time ranges (09.00–16.00), prices (12,50 €, 1 000 000 €, 358 000 000 euroa: digit groups
followed by € or eur…) and small counts.

Limits: only these direct identifiers are found. Names, street addresses, case numbers with letters,
and anything a reader could recognise from context stay — scrubbing lowers the risk, it does not
anonymise. A HETU with spaces or dots inside its digit groups (``14 10 69-971S``) is not recognised.
A phone number written without its leading 0 or + and with separators ("40 123 4567") is not
recognised: grouped ordinary numbers ("1 000 000") look the same; written without separators it is
caught as a run of 7 or more digits. A landline with a one-digit area code written with dots in the
shape of a time or a date ("09.12 345", "09.12.3456") is kept as one. A number in a HETU's shape
("040123-4567") is replaced but counted as ``[HETU]``; amounts of a billion or more written in groups
("1 000 000 000") are replaced as ``[PHONE]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

MAX_LENGTH = 2000
"""Longest scrubbed text kept; longer text is cut (never inside a placeholder)."""

_INPUT_LIMIT = 8 * MAX_LENGTH  # bounds the work per text; see scrub()
_LONGEST_IDENTIFIER = 256

KINDS: tuple[str, ...] = ("HETU", "EMAIL", "PHONE", "IBAN")
"""The kinds of identifier replaced; each becomes ``"[<KIND>]"``."""

_PLACEHOLDERS = tuple(f"[{kind}]" for kind in KINDS)

# Characters people type for the hyphen-minus; NFKC leaves most of them alone, so they are listed.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d")

# Every pattern below is a bounded-length token or a run of one character class that cannot restart
# inside itself (each has a lookbehind), so matching is linear in the length of the text.
_EMAIL_CHARS = r"[\w.!#$%&'*+/=?^`{|}~-]"
_AT = r"(?:@|[ ]?[(\[](?i:at)[)\]][ ]?)"
_DOT = r"(?:\.|[ ]?[(\[](?i:dot)[)\]][ ]?)"
_EMAIL = re.compile(rf"(?<!{_EMAIL_CHARS}){_EMAIL_CHARS}+{_AT}[\w-]+(?:{_DOT}[\w-]+)+")

# Two letters, two check digits, then letters and digits written whole or in groups of four; the match
# does not end in a group of letters only, so that a following word ("… 7034 kiva") is not taken in.
_IBAN = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}"
    r"(?:[ ]?[0-9A-Za-z]{4}){1,7}(?:[ ]?[0-9A-Za-z]{1,4})?"
    r"(?![0-9A-Za-z])(?<![ ][A-Za-z]{4})(?<![ ][A-Za-z]{3})(?<![ ][A-Za-z]{2})(?<![ ][A-Za-z])"
)

# DDMMYY, a century sign (- + A-F U-Y, upper or lower case), three digits and any check character:
# a mistyped check character still identifies the person. The looser spellings (spaces around the
# sign, no sign) ask for a possible date and a clean end, as they would otherwise catch number ranges.
# Six digits after a telephone prefix ("+358400-1234", "+358 401234-5678") start a phone number, not a HETU.
_HETU_DATE = r"(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2}"
_HETU_SIGN = r"[-+A-FU-Ya-fu-y]"
_HETU = re.compile(
    r"(?<![0-9])(?<!\+)(?<!\+[ ])(?<!358[ -])(?<!\(0\))(?<!\(0\)[ ])(?:"  # not after "+", "+358 ", "(0)": a phone
    rf"[0-9]{{6}}{_HETU_SIGN}[0-9]{{3}}[0-9A-Za-z]"
    rf"|{_HETU_DATE}[ ]{{0,2}}{_HETU_SIGN}[ ]{{0,2}}[0-9]{{3}}[0-9A-Za-z](?![0-9A-Za-z])"
    rf"|{_HETU_DATE}[ ]{{0,2}}[0-9]{{3}}[A-Za-z](?![0-9A-Za-z])"
    r")"
)

# A telephone number starts with "+", "(0", "0" or "358" and continues in digit groups separated by one
# space, dot, slash or parenthesis, or a dash with optional spaces. Dates (1.12.2025), times (9.00,
# 09:00) and the second half of a date or time range (…-5.12.2025, …–16.00) are not starts.
_SEPARATOR = r"(?:[ ]?-[ ]?|[ ./]|\)[ ]?|[ ]?\()"
_PHONE = re.compile(
    r"(?<![\w+])(?<![0-9][-./:,])"
    r"(?:\+[ ]?|\((?=0)|(?=0)|(?=358))"
    r"(?![0-9]{1,2}\.[0-9]{1,2}\.(?:[0-9]{4}|[0-9]{2})(?![0-9]))"
    r"(?![0-9]{1,2}[.:][0-9]{2}(?![0-9]))"
    rf"[0-9]+(?:{_SEPARATOR}[0-9]+)*"
    r"(?![0-9])(?![ ]?(?:€|[eE][uU][rR]))"  # an amount ("358 000 000 €", "358 000 000 euroa") is no phone number
)
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{7,}")
_MIN_PHONE_DIGITS = 7


def _is_phone(candidate: str) -> bool:
    return sum(c.isdigit() for c in candidate) >= _MIN_PHONE_DIGITS


# Countries in the IBAN registry (SWIFT, 2024).
_IBAN_COUNTRIES = frozenset(
    re.findall(
        "..",
        "ADAEALATAZBABEBGBHBIBRBYCHCRCYCZDEDJDKDOEEEGESFIFKFOFRGBGEGIGLGRGTHRHUIEILIQISITJOKWKZLBLCLILTLULV"
        "LYMCMDMEMKMNMRMTMUNINLNOOMPKPLPSPTQARORSRUSASCSDSESISKSMSOSTSVTLTNTRUAVAVGXKYE",
    )
)


def _is_valid_iban(compact: str) -> bool:
    """A registry country and the ISO 13616 check: the rearranged IBAN, letters as 10-35, is 1 modulo 97."""
    rearranged = (compact[4:] + compact[:4]).upper()
    return compact[:2].upper() in _IBAN_COUNTRIES and int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _iban_length(candidate: str) -> int:
    """How much of ``candidate`` is the IBAN (0: none). A last group after a space is dropped when only
    the shorter text is a valid IBAN ("EE38 2200 2210 2014 5685 3 kertaa": the count is not part of it).
    """
    head, space, tail = candidate.rpartition(" ")
    shorter_is_valid = bool(space) and len(tail) < 4 and _is_valid_iban(head.replace(" ", ""))
    if shorter_is_valid and not _is_valid_iban(candidate.replace(" ", "")):
        return len(head)
    return len(candidate) if _is_iban(candidate) else 0


def _is_iban(candidate: str) -> bool:
    """Any IBAN-shaped candidate, even with a typo, unless its rest reads exactly as a HETU or telephone
    number: then only a valid IBAN is one (else "ab12 040 1234 5678" would hide a phone number's kind).
    """
    compact = candidate.replace(" ", "")
    if not 11 <= len(compact) - 4 <= 30 or compact[:2].upper() not in _IBAN_COUNTRIES:
        return False
    rest = candidate[4:].lstrip(" ")
    looks_like_other = _HETU.fullmatch(rest) is not None or (_PHONE.fullmatch(rest) is not None and _is_phone(rest))
    return not looks_like_other or _is_valid_iban(compact)


def _phone_length(candidate: str) -> int:
    return len(candidate) if _is_phone(candidate) else 0


def _whole(candidate: str) -> int:
    return len(candidate)


# Each rule: a kind, its pattern, and how much of a match is the identifier (0: a false alarm).
# Order matters: e-mail addresses and IBANs contain digit runs, and a HETU looks like a phone number.
_RULES: tuple[tuple[str, re.Pattern[str], Callable[[str], int]], ...] = (
    ("EMAIL", _EMAIL, _whole),
    ("IBAN", _IBAN, _iban_length),
    ("HETU", _HETU, _whole),
    ("PHONE", _PHONE, _phone_length),
    ("PHONE", _LONG_NUMBER, _whole),
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
    Guarantee: no text whose matching view (see the module docstring) matches an identifier pattern
    remains, and only matched spans change; years ("2026"), dates, times, their ranges, prices below a
    billion and small counts remain.
    Limits: see the module docstring. Removing format characters also splits joined emoji sequences.
    When an identifier written with spaces (a phone number) straddles the 16 000th character, its first
    groups can stay — visible only if the text shrank below 2000 characters by then.
    """
    truncated = len(text) > _INPUT_LIMIT
    if truncated:
        text = _without_last_word(text[:_INPUT_LIMIT])
    text = _strip_controls(text)
    view = _matching_view(text)
    removed = dict.fromkeys(KINDS, 0)
    for kind, pattern, identifier_length in _RULES:
        text, view = _replace(kind, pattern, identifier_length, text, view, removed)
    if len(text) > MAX_LENGTH:
        text, truncated = _cut(text), True
    return ScrubResult(text, removed, truncated)


def _replace(
    kind: str,
    pattern: re.Pattern[str],
    identifier_length: Callable[[str], int],
    text: str,
    view: str,
    removed: dict[str, int],
) -> tuple[str, str]:
    """Replace in ``text`` (as typed) and in its aligned ``view`` the identifier in each match found in the view."""
    placeholder = f"[{kind}]"
    text_parts: list[str] = []
    view_parts: list[str] = []
    end = 0
    for match in pattern.finditer(view):
        length = identifier_length(match.group())
        if not length:
            continue
        text_parts += [text[end : match.start()], placeholder]
        view_parts += [view[end : match.start()], placeholder]
        end = match.start() + length
        removed[kind] += 1
    if not text_parts:
        return text, view
    return "".join([*text_parts, text[end:]]), "".join([*view_parts, view[end:]])


def _matching_view(text: str) -> str:
    """``text`` with each character folded to the one the patterns look for; same length, same positions."""
    if text.isascii():
        return text
    return "".join(_fold(char) for char in text)


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    if char in _DASHES:
        return "-"
    if unicodedata.category(char) == "Zs":
        return " "
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    compatible = unicodedata.normalize("NFKC", char)
    return compatible if len(compatible) == 1 and compatible.isascii() else char


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
