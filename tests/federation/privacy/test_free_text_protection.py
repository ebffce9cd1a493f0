"""Free text at the door: what is sealed is exactly the scrubbed text, bound to its organisation and service,
and stays readable across a master-key rotation."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from federation.privacy.protector import PrivacyProtector, free_text_aad
from federation.ratings.contract import FollowUp, RatingSubmission
from pseudonymize.keys import KeyRing, MasterKey
from pseudonymize.scrub import scrub
from pseudonymize.seal import SealError, open_sealed, sealed_key_version

RING = KeyRing((MasterKey(1, bytes(range(32))),))
ROTATED = RING.with_new_key(bytes(range(1, 33)))
SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
ORG = "1000001-2"


def item(text: str) -> RatingSubmission:
    return RatingSubmission(client_ref="r", service_id=SERVICE, question_id="national.transaction-smooth",
                            answered_at=dt.datetime(2026, 3, 16, tzinfo=dt.UTC), value=2, follow_up=FollowUp((), text))


@given(st.text(min_size=1, max_size=200).filter(str.strip), st.emails())
def test_what_is_sealed_is_the_scrubbed_text(text: str, email: str) -> None:
    written = f"{text} {email}"
    blob = PrivacyProtector(RING).protect(item(written), ORG)["free_text"]
    opened = open_sealed(blob, RING, associated_data=free_text_aad(ORG, SERVICE))
    assert opened == scrub(written).text
    assert email not in opened


def test_rotation_seals_new_texts_with_the_new_key_and_still_opens_old_ones() -> None:
    old = PrivacyProtector(RING).protect(item("vanha"), ORG)["free_text"]
    new = PrivacyProtector(ROTATED).protect(item("uusi"), ORG)["free_text"]
    aad = free_text_aad(ORG, SERVICE)
    assert (sealed_key_version(old), sealed_key_version(new)) == (1, 2)
    assert [open_sealed(b, ROTATED, associated_data=aad) for b in (old, new)] == ["vanha", "uusi"]
    try:
        open_sealed(old, ROTATED, associated_data=free_text_aad("1000002-0", SERVICE))
    except SealError as error:
        assert "failed authentication" in str(error)
    else:
        raise AssertionError("a text opened under another organisation")


def test_blank_text_is_not_stored() -> None:
    assert PrivacyProtector(RING).protect(item("   "), ORG) == {}
