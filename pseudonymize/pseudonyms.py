"""Keyed pseudonyms of personal identifiers, one unlinkable namespace per service and quarter.

A personal identifier (e.g. a HETU) may be sent only for de-duplication and erasure. It is turned into
``HMAC-SHA-256(derive_key(master, "pseudonym", "<service>|<quarter>"), identifier)``, so:

- the same person gets the same pseudonym for one service in one quarter under one key version
  (de-duplication works, and erasure can recompute it from the identifier);
- pseudonyms of one person cannot be linked across services, quarters or key versions without the key;
- once a key version is destroyed, pseudonyms made under it can no longer be recomputed or linked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from pseudonymize.keys import KeyRing, MasterKey, derive_key

_QUARTER = re.compile(r"([0-9]{4})Q([1-4])")
_PSEUDONYM = re.compile(r"v([1-9][0-9]{0,4}):([0-9a-f]{64})")


def quarter_of(day: dt.date) -> str:
    """The calendar quarter of ``day``, e.g. ``"2026Q1"`` for any day from 1 January to 31 March 2026.

    Limits: for a ``datetime`` only its date counts; convert to the intended time zone first
    (a UTC timestamp near midnight on 31 March can be 1 April in Finland).
    """
    return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"


def quarter_end(quarter: str) -> dt.date:
    """The last day of ``quarter`` (``"2026Q1"`` → 2026-03-31); ``ValueError`` for a malformed quarter."""
    year, number = _parse_quarter(quarter)
    if number == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * number + 1, 1) - dt.timedelta(days=1)


def _parse_quarter(quarter: str) -> tuple[int, int]:
    match = _QUARTER.fullmatch(quarter) if isinstance(quarter, str) else None
    if match is None or int(match.group(1)) == 0:
        raise ValueError(
            f"quarter must look like '2026Q1' (a four-digit year, 'Q', then 1 to 4), got {quarter!r}; "
            "build it with quarter_of(date)."
        )
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class PseudonymDomain:
    """The namespace of a pseudonym: one service in one calendar quarter.

    Guarantee: ``service_id`` is non-empty without surrounding whitespace and ``quarter`` is a valid
    quarter such as ``"2026Q1"``. Pseudonyms from different domains are unlinkable.
    Limits: ``service_id`` is used exactly as given — pass the canonical id as stored (a PTV GUID in one
    letter case), since ``"ABC"`` and ``"abc"`` are different domains.
    """

    service_id: str
    quarter: str

    def __post_init__(self) -> None:
        if (
            not isinstance(self.service_id, str)
            or not self.service_id
            or self.service_id.strip() != self.service_id
        ):
            raise ValueError(
                f"PseudonymDomain service_id must be a non-empty id without surrounding whitespace, got "
                f"{self.service_id!r}; pass the service id as stored."
            )
        _parse_quarter(self.quarter)

    @classmethod
    def for_date(cls, service_id: str, day: dt.date) -> PseudonymDomain:
        """The domain of ``service_id`` in the quarter that contains ``day`` (the rating date)."""
        return cls(service_id, quarter_of(day))

    @property
    def label(self) -> str:
        """``"<service>|<quarter>"``, the HKDF domain. Unambiguous: a quarter never contains ``|``."""
        return f"{self.service_id}|{self.quarter}"

    @property
    def ends_on(self) -> dt.date:
        """The last day of the domain's quarter (pseudonyms are cleared 30 days after it)."""
        return quarter_end(self.quarter)


def normalise_identifier(raw: str) -> str:
    """Format-level normalisation of a personal identifier: no whitespace anywhere, upper case.

    So ``" 131052-308t "`` and ``"131052 -308T"`` give ``"131052-308T"`` and one pseudonym. For a HETU
    this agrees with python-stdnum's ``hetu.compact`` (hyphens are kept: the hyphen is the century sign).
    Limits: no validation — the caller checks the identifier (the federation layer validates HETU
    with python-stdnum) before making a pseudonym. ``ValueError`` if nothing is left; the message never
    repeats the identifier.
    """
    normalised = "".join(raw.split()).upper()
    if not normalised:
        raise ValueError("the personal identifier is empty; send the identifier or leave the field out.")
    return normalised


def pseudonym(normalised_identifier: str, domain: PseudonymDomain, key: MasterKey) -> str:
    """The pseudonym of an identifier in ``domain`` under ``key``: ``"v<version>:<64 hex digits>"``.

    Guarantee: deterministic per (identifier, domain, key version); without the master key it cannot be
    reversed or linked to pseudonyms of other domains or key versions (HMAC-SHA-256 under an HKDF key).
    The identifier must already be validated by the caller and normalised with
    :func:`normalise_identifier`; a non-normalised identifier is refused so formatting variants never
    give two pseudonyms. Error messages never contain the identifier.
    Limits: anyone holding the master key and a candidate identifier can test it (HETUs are guessable),
    so the key must stay outside the database and be destroyed when nothing retained needs it.
    """
    if normalise_identifier(normalised_identifier) != normalised_identifier:
        raise ValueError(
            "the personal identifier is not normalised; pass it through normalise_identifier() first."
        )
    derived = derive_key(key, "pseudonym", domain.label)
    digest = hmac.new(derived, normalised_identifier.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"v{key.version}:{digest}"


def pseudonyms_for_all_keys(
    normalised_identifier: str, domain: PseudonymDomain, ring: KeyRing
) -> dict[int, str]:
    """The identifier's pseudonym in ``domain`` under every key version in ``ring``, by version.

    Use it to find earlier answers of the same person made before a rotation (de-duplication) and to
    find every row to delete on an erasure request.
    Limits: rows made under a destroyed key version can no longer be found this way.
    """
    return {key.version: pseudonym(normalised_identifier, domain, key) for key in ring.keys}


def pseudonym_key_version(value: str) -> int:
    """The master key version a pseudonym was made with (``"v2:…"`` → 2); ``ValueError`` if malformed.

    Use it to check that no retained pseudonym still needs a key before destroying it.
    """
    match = _PSEUDONYM.fullmatch(value)
    if match is None:
        raise ValueError(
            "not a pseudonym: expected 'v<version>:<64 lower-case hex digits>' as made by pseudonym()."
        )
    return int(match.group(1))
