"""Making the personal parts of a rating safe before they touch storage (docs/DESIGN.md "Privacy").

- Free text: direct identifiers scrubbed, then sealed (AES-GCM, versioned key) bound to organisation and service.
- Demographics: accepted only with a legal basis or consent; generalised (age band, region, language group,
  gender group); a personal identifier (HETU) is validated, normalised and turned into a keyed pseudonym whose
  domain is (service, quarter). Raw values are never returned, stored or put in a message.

Rule for invalid demographics (``federation.privacy.demographics``): the item is REJECTED with the code of the
first bad attribute (``DEMOGRAPHICS_WITHOUT_LEGAL_BASIS``, ``INVALID_LEGAL_BASIS``, ``INVALID_BIRTH_YEAR``,
``INVALID_MUNICIPALITY_CODE``, ``INVALID_LANGUAGE``, ``INVALID_GENDER``, ``INVALID_PERSONAL_IDENTIFIER``) and a
message naming it, unless the organisation set ``dropInvalid: true``; then the rating is accepted without any of
its demographics (all or nothing, so a half-checked record is never stored). An attribute sent as null or ""
counts as not sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session
from stdnum.exceptions import ValidationError
from stdnum.fi import hetu

from federation.privacy.cube import Arrival, contribution, count_arrivals
from federation.privacy.demographics import LEGAL_BASES, check_legal_basis, generalised_columns
from federation.ratings.contract import ItemCode, RatingSubmission
from federation.registry.checks import Rejection
from pseudonymize.keys import KeyRing
from pseudonymize.pseudonyms import PseudonymDomain, normalise_identifier, pseudonym, pseudonyms_for_all_keys
from pseudonymize.scrub import scrub
from pseudonymize.seal import seal

__all__ = ["LEGAL_BASES", "PrivacyProtector", "free_text_aad", "validate_hetu"]

_ATTRIBUTES = ("birthYear", "municipalityCode", "language", "gender", "personalIdentifier")


def free_text_aad(organisation_id: str, service_id: str) -> bytes:
    """Associated data binding a sealed text to its organisation and service (moving a blob breaks it)."""
    return f"free-text|{organisation_id}|{service_id}".encode()


def validate_hetu(raw: str) -> str:
    """A Finnish personal identity code validated with python-stdnum and normalised (upper case, compact).

    Temporary identity codes (individual number 900–999) are accepted: people who have one are customers too.
    """
    try:
        return str(hetu.validate(normalise_identifier(raw), allow_temporary=True))
    except ValidationError:
        raise ValueError("personalIdentifier is not a valid Finnish personal identity code (HETU); check the "
                         "date part, the century sign and the check character.") from None


class PrivacyProtector:
    """The ingest :class:`~federation.ratings.ingest.Protector` backed by a master key ring."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring

    def protect(self, item: RatingSubmission, organisation_id: str) -> dict[str, Any]:
        """Columns to store for the item's free text and demographics (see the module docstring)."""
        columns: dict[str, Any] = {}
        text = item.follow_up.text if item.follow_up is not None else None
        if text and text.strip():
            clean = scrub(text).text
            columns["free_text"] = seal(clean, self.ring.current,
                                        associated_data=free_text_aad(organisation_id, item.service_id))
        if isinstance(item.demographics, Mapping):
            columns.update(self._demographics(item, item.demographics))
        return columns

    def _demographics(self, item: RatingSubmission, raw: Mapping[str, Any]) -> dict[str, Any]:
        given = {name: raw[name] for name in _ATTRIBUTES if raw.get(name) not in (None, "")}
        if not given:
            return {}
        try:
            check_legal_basis(raw)
            on = item.answered_at.astimezone(dt.UTC).date()
            columns = generalised_columns(given, on)
            identifier = given.get("personalIdentifier")
            if identifier is not None:
                domain = PseudonymDomain.for_date(item.service_id, on)
                columns["pseudonym"] = pseudonym(_checked_hetu(identifier), domain, self.ring.current)
        except Rejection as rejection:
            if raw.get("dropInvalid"):
                return {}
            raise Rejection(rejection.code, f"{rejection.message} Or set dropInvalid: true to keep the rating "
                                            "without its demographics.") from None
        return columns

    def after_insert(self, session: Session, stored: Sequence[tuple[RatingSubmission, dict[str, Any]]]) -> None:
        """Count the stored ratings in the demographic cube (``federation.privacy.cube``), matching each
        respondent's earlier answers in the same service and quarter under every key version in the ring."""
        # Most items carry no demographics: the first test keeps this loop cheap on the ingest hot path.
        arrivals = [Arrival(row, self._aliases(item, row)) for item, row in stored
                    if item.demographics is not None and contribution(row) is not None]
        if arrivals:
            count_arrivals(session, arrivals)

    def _aliases(self, item: RatingSubmission, row: Mapping[str, Any]) -> frozenset[str]:
        current: str | None = row["pseudonym"]
        if current is None:
            return frozenset()
        if len(self.ring.keys) == 1 or not isinstance(item.demographics, Mapping):
            return frozenset({current})
        domain = PseudonymDomain.for_date(item.service_id, row["answered_at"].astimezone(dt.UTC).date())
        identifier = validate_hetu(item.demographics["personalIdentifier"])
        return frozenset(pseudonyms_for_all_keys(identifier, domain, self.ring).values())


def _checked_hetu(identifier: object) -> str:
    try:
        if not isinstance(identifier, str):
            raise ValueError("personalIdentifier must be a string such as '131052-308T'.")
        return validate_hetu(identifier)
    except ValueError as error:
        raise Rejection(ItemCode.INVALID_PERSONAL_IDENTIFIER, f"demographics.{error}") from None
