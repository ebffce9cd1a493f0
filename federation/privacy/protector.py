"""Making the personal parts of a rating safe before they touch storage (DESIGN.md "Privacy").

- Free text: direct identifiers scrubbed, then sealed (AES-GCM, versioned key) bound to organisation and service.
- Demographics: accepted only with a legal basis or consent; generalised (age band, region, language group,
  gender group); a personal identifier (HETU) is validated, normalised and turned into a keyed pseudonym whose
  domain is (service, quarter). Raw values are never returned, stored or put in a message.

Rule for invalid demographics: the item is REJECTED with ``INVALID_DEMOGRAPHICS`` and a message naming the
attribute, unless the organisation set ``dropInvalid: true``; then the rating is accepted without any demographics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.fi import hetu

from federation.ratings.contract import ItemCode, RatingSubmission
from federation.ratings.validation import Rejection
from pseudonymize.generalise import generalise
from pseudonymize.keys import KeyRing
from pseudonymize.pseudonyms import PseudonymDomain, normalise_identifier, pseudonym
from pseudonymize.scrub import scrub
from pseudonymize.seal import seal

LEGAL_BASES = ("PUBLIC_TASK", "LEGAL_OBLIGATION", "LEGITIMATE_INTEREST", "CONSENT")
"""GDPR Art. 6 bases an organisation may declare for sending demographics."""

_ATTRIBUTES = ("birthYear", "municipalityCode", "language", "gender", "personalIdentifier")


def free_text_aad(organisation_id: str, service_id: str) -> bytes:
    """Associated data binding a sealed text to its organisation and service (moving a blob breaks it)."""
    return f"free-text|{organisation_id}|{service_id}".encode()


def validate_hetu(raw: str) -> str:
    """A Finnish personal identity code validated with python-stdnum and normalised (upper case, compact)."""
    try:
        return str(hetu.validate(normalise_identifier(raw)))
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
        given = [name for name in _ATTRIBUTES if raw.get(name) not in (None, "")]
        if not given:
            return {}
        try:
            return self._generalised(item, raw)
        except ValueError as error:
            if raw.get("dropInvalid"):
                return {}
            raise Rejection(ItemCode.INVALID_DEMOGRAPHICS, f"{error} Or set dropInvalid: true to keep the "
                                                           "rating without its demographics.") from None

    def _generalised(self, item: RatingSubmission, raw: Mapping[str, Any]) -> dict[str, Any]:
        basis = raw.get("legalBasis")
        if not raw.get("consent") and basis not in LEGAL_BASES:
            raise ValueError("demographics need a declared legal basis (legalBasis: "
                             f"{', '.join(LEGAL_BASES)}) or consent: true.")
        on = item.answered_at.astimezone(dt.UTC).date()
        groups = generalise(on=on, birth_year=raw.get("birthYear"), municipality_code=raw.get("municipalityCode"),
                            language=raw.get("language"), gender=raw.get("gender"))
        columns: dict[str, Any] = {"age_band": groups.age_band, "region": groups.region,
                                   "language": groups.language, "gender": groups.gender}
        identifier = raw.get("personalIdentifier")
        if identifier:
            domain = PseudonymDomain.for_date(item.service_id, on)
            columns["pseudonym"] = pseudonym(validate_hetu(identifier), domain, self.ring.current)
        return columns
