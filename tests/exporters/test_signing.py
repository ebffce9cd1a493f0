"""Detached Ed25519 signatures: verify, tampering, rotation, key files, the public key set."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporters.signing import (
    SignatureError,
    SigningKeyRing,
    open_signing_keys,
    parse_public_key_set,
    rotate_signing_keys,
    sign_bytes,
    verify,
)
from federation.settings import Settings

NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)
DATA = b'{"format":"arvio-ptv-scores","services":{}}\n'


@pytest.fixture(scope="module")
def ring() -> SigningKeyRing:
    return SigningKeyRing.from_json(_fresh_ring_json())


def _fresh_ring_json() -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from exporters.signing import SigningKey

    return SigningKeyRing((SigningKey(Ed25519PrivateKey.generate(), NOW),)).to_json()


def test_a_signature_verifies_and_names_its_key(ring: SigningKeyRing) -> None:
    signature = sign_bytes(DATA, ring.current, file_name="scores.json")
    verified = verify(io.BytesIO(DATA), signature, ring.public_keys())
    assert (verified.key_id, verified.size) == (ring.current.key_id, len(DATA))
    assert json.loads(signature)["keyId"].startswith("arvio-ed25519-")


@given(st.data())
def test_changing_any_byte_fails_verification(ring: SigningKeyRing, data: st.DataObject) -> None:
    signature = sign_bytes(DATA, ring.current, file_name="scores.json")
    position = data.draw(st.integers(0, len(DATA) - 1))
    flip = data.draw(st.integers(1, 255))
    tampered = bytearray(DATA)
    tampered[position] ^= flip
    with pytest.raises(SignatureError) as error:
        verify(io.BytesIO(bytes(tampered)), signature, ring.public_keys())
    assert "does not match its signature" in str(error.value)


def test_truncation_and_a_forged_statement_fail(ring: SigningKeyRing) -> None:
    signature = sign_bytes(DATA, ring.current, file_name="scores.json")
    with pytest.raises(SignatureError):
        verify(io.BytesIO(DATA[:-1]), signature, ring.public_keys())
    forged = json.loads(signature)
    forged["sha256"] = "0" * 64
    with pytest.raises(SignatureError) as error:
        verify(io.BytesIO(DATA), json.dumps(forged), ring.public_keys())
    assert "does not verify" in str(error.value)
    with pytest.raises(SignatureError) as garbage:
        verify(io.BytesIO(DATA), "not json", ring.public_keys())
    assert "is not an arvio-signature-v1 signature" in str(garbage.value)


def test_rotation_keeps_old_signatures_verifiable(tmp_path: Path) -> None:
    settings = Settings(environment="production", signing_key_file=tmp_path / "signing.json")
    with pytest.raises(FileNotFoundError):
        open_signing_keys(settings, now=NOW)
    first = rotate_signing_keys(settings, now=NOW)
    assert os.stat(tmp_path / "signing.json").st_mode & 0o777 == 0o600
    old_signature = sign_bytes(DATA, first.current, file_name="a.json")
    second = rotate_signing_keys(settings, now=NOW)
    assert second.current.key_id != first.current.key_id and len(second.keys) == 2
    published = parse_public_key_set(json.dumps(open_signing_keys(settings, now=NOW).jwks()))
    assert verify(io.BytesIO(DATA), old_signature, published).key_id == first.current.key_id
    new_signature = sign_bytes(DATA, second.current, file_name="a.json")
    assert verify(io.BytesIO(DATA), new_signature, published).key_id == second.current.key_id
    with pytest.raises(SignatureError) as unknown:
        verify(io.BytesIO(DATA), new_signature, {first.current.key_id: first.current.public})
    assert f"made with key {second.current.key_id}, which is not in the public key set" in str(unknown.value)


def test_development_creates_a_key_file(tmp_path: Path) -> None:
    settings = Settings(environment="development", signing_key_file=tmp_path / "dev-signing.json")
    ring = open_signing_keys(settings, now=NOW)
    assert open_signing_keys(settings, now=NOW).current.key_id == ring.current.key_id


def test_a_public_key_set_whose_ids_lie_is_refused(ring: SigningKeyRing) -> None:
    jwks = ring.jwks()
    jwks["keys"][0]["kid"] = "arvio-ed25519-0000000000000000"
    with pytest.raises(ValueError, match="does not match its key material"):
        parse_public_key_set(json.dumps(jwks))
