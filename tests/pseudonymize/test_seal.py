"""Sealing free text at rest: round trip, tamper detection, rotation and key destruction."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from pseudonymize import KeyRing, MasterKey, SealError, derive_key, open_sealed, seal, sealed_key_version

OLD = MasterKey(1, bytes(range(32)))
NEW = MasterKey(2, bytes(range(100, 132)))
RING = KeyRing((OLD,))
AAD = b"org:0245437-2|rating:42"

AUTHENTICATION_FAILED = (
    "sealed text failed authentication: it was altered, or the associated data differs from the one used "
    "when sealing; do not trust or show it."
)


def fixed_nonce(n: int) -> bytes:
    return bytes(range(n))


@given(st.text(max_size=300), st.binary(max_size=40))
def test_seal_and_open_round_trip(text: str, aad: bytes) -> None:
    assert open_sealed(seal(text, OLD, associated_data=aad), RING, associated_data=aad) == text


def test_blob_layout_is_version_nonce_ciphertext() -> None:
    blob = seal("Kiitos!", NEW, associated_data=AAD, nonce_source=fixed_nonce)
    expected = AESGCM(derive_key(NEW, "free-text", "")).encrypt(
        fixed_nonce(12), b"Kiitos!", b"v\x00\x02" + AAD
    )
    assert blob == b"v\x00\x02" + fixed_nonce(12) + expected
    assert len(blob) == 3 + 12 + len(b"Kiitos!") + 16
    assert sealed_key_version(blob) == 2


def test_each_seal_uses_a_fresh_nonce() -> None:
    assert seal("sama", OLD, associated_data=AAD) != seal("sama", OLD, associated_data=AAD)


@given(st.text(min_size=1, max_size=50), st.data())
def test_flipping_any_byte_is_detected(text: str, data: st.DataObject) -> None:
    blob = bytearray(seal(text, OLD, associated_data=AAD))
    index = data.draw(st.integers(0, len(blob) - 1))
    blob[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(SealError) as info:
        open_sealed(bytes(blob), RING, associated_data=AAD)
    if index >= 3:
        assert str(info.value) == AUTHENTICATION_FAILED


def test_different_associated_data_is_refused() -> None:
    blob = seal("palaute", OLD, associated_data=AAD)
    with pytest.raises(SealError) as info:
        open_sealed(blob, RING, associated_data=b"org:0245437-2|rating:43")
    assert str(info.value) == AUTHENTICATION_FAILED


def test_a_version_changed_to_another_key_in_the_ring_is_refused() -> None:
    blob = bytearray(seal("palaute", OLD, associated_data=AAD))
    blob[2] = 2
    with pytest.raises(SealError) as info:
        open_sealed(bytes(blob), RING.with_new_key(NEW.secret), associated_data=AAD)
    assert str(info.value) == AUTHENTICATION_FAILED


def test_old_texts_open_after_rotation_and_new_ones_use_the_new_key() -> None:
    old_blob = seal("vanha", RING.current, associated_data=AAD)
    rotated = RING.with_new_key(NEW.secret)
    new_blob = seal("uusi", rotated.current, associated_data=AAD)
    assert sealed_key_version(new_blob) == 2
    assert open_sealed(old_blob, rotated, associated_data=AAD) == "vanha"
    assert open_sealed(new_blob, rotated, associated_data=AAD) == "uusi"


def test_texts_under_a_destroyed_key_cannot_be_opened() -> None:
    old_blob = seal("vanha", OLD, associated_data=AAD)
    destroyed = RING.with_new_key(NEW.secret).without(1)
    with pytest.raises(SealError) as info:
        open_sealed(old_blob, destroyed, associated_data=AAD)
    assert str(info.value) == (
        "sealed text uses key version 1, which is not in the key ring (it holds versions 2): the key was "
        "destroyed or the ring is incomplete; load the key file that holds it, or treat the text as deleted."
    )


@pytest.mark.parametrize(
    "blob", [b"", b"v\x00\x01" + bytes(27), b"x\x00\x01" + bytes(40), b"plain text, not sealed"]
)
def test_what_is_not_a_sealed_text_is_refused(blob: bytes) -> None:
    with pytest.raises(SealError) as info:
        open_sealed(blob, RING, associated_data=AAD)
    assert str(info.value) == (
        "not a sealed text: it must start with b'v', a 2-byte key version and a 12-byte nonce, followed by "
        "the ciphertext; pass the bytes returned by seal()."
    )


def test_a_bad_nonce_source_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        seal("x", OLD, associated_data=AAD, nonce_source=lambda n: b"\x00" * 8)
    assert str(info.value) == (
        "the nonce source returned 8 bytes instead of 12; pass a source that returns exactly the number of "
        "bytes asked for (e.g. os.urandom)."
    )


def test_seal_error_is_a_value_error() -> None:
    assert issubclass(SealError, ValueError)
