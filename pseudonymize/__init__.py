"""GDPR building blocks of arvio: keyed pseudonyms, the master key ring, generalisation of demographic
attributes, free-text scrubbing and sealing.

Pure functions over frozen dataclasses; no clock and no global random generator (dates and random
sources are passed in). Imports only the standard library and ``cryptography``.
"""

from pseudonymize.generalise import (
    AGE_BANDS,
    AGE_BANDS_10,
    GENDER_GROUPS,
    LANGUAGE_GROUPS,
    GeneralisedDemographics,
    age_band,
    age_band_10,
    gender_group,
    generalise,
    language_group,
    municipality_codes,
    region_names,
    region_of,
)
from pseudonymize.keys import (
    KeyRing,
    MasterKey,
    UnknownKeyVersionError,
    derive_key,
    load_key_ring,
    new_secret,
    save_key_ring,
)
from pseudonymize.pseudonyms import (
    PseudonymDomain,
    normalise_identifier,
    pseudonym,
    pseudonym_key_version,
    pseudonyms_for_all_keys,
    quarter_end,
    quarter_of,
)
from pseudonymize.scrub import KINDS, MAX_LENGTH, ScrubResult, scrub
from pseudonymize.seal import SealError, open_sealed, seal, sealed_key_version

__all__ = [
    "AGE_BANDS",
    "AGE_BANDS_10",
    "GENDER_GROUPS",
    "KINDS",
    "LANGUAGE_GROUPS",
    "MAX_LENGTH",
    "GeneralisedDemographics",
    "KeyRing",
    "MasterKey",
    "PseudonymDomain",
    "ScrubResult",
    "SealError",
    "UnknownKeyVersionError",
    "age_band",
    "age_band_10",
    "derive_key",
    "gender_group",
    "generalise",
    "language_group",
    "load_key_ring",
    "municipality_codes",
    "new_secret",
    "normalise_identifier",
    "open_sealed",
    "pseudonym",
    "pseudonym_key_version",
    "pseudonyms_for_all_keys",
    "quarter_end",
    "quarter_of",
    "region_names",
    "region_of",
    "save_key_ring",
    "scrub",
    "seal",
    "sealed_key_version",
]
