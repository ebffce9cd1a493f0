"""Master keys, the key ring, its file format and key derivation."""

from __future__ import annotations

import base64
import itertools
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pseudonymize import (
    KeyRing,
    MasterKey,
    UnknownKeyVersionError,
    derive_key,
    load_key_ring,
    new_secret,
    save_key_ring,
)
from tests.pseudonymize.strategies import hkdf_sha256_reference

A = bytes(range(32))
B = bytes(range(1, 33))
C = bytes(range(2, 34))


def b64(secret: bytes) -> str:
    return base64.b64encode(secret).decode("ascii")


def ring(*secrets: bytes) -> KeyRing:
    return KeyRing(tuple(MasterKey(v, s) for v, s in enumerate(secrets, start=1)))


# MasterKey


@pytest.mark.parametrize("version", [0, -1, 65536, True])
def test_master_key_refuses_a_bad_version(version: int) -> None:
    with pytest.raises(ValueError) as info:
        MasterKey(version, A)
    assert str(info.value) == (
        f"MasterKey version must be a whole number from 1 to 65535, got {version!r}; "
        "number the keys 1, 2, 3, ... in the order they were created."
    )


def test_master_key_refuses_a_short_secret() -> None:
    with pytest.raises(ValueError) as info:
        MasterKey(3, b"x" * 31)
    assert str(info.value) == (
        "MasterKey secret for version 3 is 31 bytes; it must be at least 32 bytes: "
        "generate one with pseudonymize.new_secret()."
    )


def test_master_key_refuses_a_text_secret() -> None:
    with pytest.raises(TypeError) as info:
        MasterKey(1, b64(A))  # type: ignore[arg-type]
    assert str(info.value) == (
        "MasterKey secret for version 1 must be bytes, got str; "
        "decode a base64 secret with base64.b64decode() first."
    )


def test_master_key_repr_hides_the_secret() -> None:
    assert repr(MasterKey(1, A)) == "MasterKey(version=1)"


# KeyRing


def test_key_ring_sorts_by_version_and_knows_its_current_key() -> None:
    keys = KeyRing((MasterKey(3, C), MasterKey(1, A), MasterKey(2, B)))
    assert keys.versions == (1, 2, 3)
    assert keys.current == MasterKey(3, C)
    assert keys.get(2) == MasterKey(2, B)
    assert keys == KeyRing((MasterKey(1, A), MasterKey(2, B), MasterKey(3, C)))


def test_key_ring_needs_a_key() -> None:
    with pytest.raises(ValueError) as info:
        KeyRing(())
    assert str(info.value) == (
        "a KeyRing needs at least one MasterKey; create one with KeyRing((MasterKey(1, new_secret()),))."
    )


def test_key_ring_refuses_a_repeated_version() -> None:
    with pytest.raises(ValueError) as info:
        KeyRing((MasterKey(1, A), MasterKey(1, B)))
    assert str(info.value) == "key version 1 appears twice in the key ring; each version must be unique."


def test_key_ring_refuses_a_reused_secret() -> None:
    with pytest.raises(ValueError) as info:
        KeyRing((MasterKey(1, A), MasterKey(2, A)))
    assert str(info.value) == (
        "key versions 1 and 2 share the same secret; a rotated key needs a fresh secret: "
        "generate one with pseudonymize.new_secret()."
    )


def test_key_ring_refuses_other_values() -> None:
    with pytest.raises(TypeError) as info:
        KeyRing((A,))  # type: ignore[arg-type]
    assert str(info.value) == "KeyRing keys must be MasterKey values, got bytes."


def test_get_of_an_unknown_version_says_why() -> None:
    with pytest.raises(UnknownKeyVersionError) as info:
        ring(A, B).get(7)
    assert str(info.value) == (
        "key version 7 is not in the key ring (it holds versions 1, 2): it was destroyed or never created "
        "here; load the key file that holds it, or treat data under it as gone."
    )


def test_rotation_adds_the_next_version_as_current() -> None:
    rotated = ring(A).with_new_key(B)
    assert rotated.versions == (1, 2)
    assert rotated.current == MasterKey(2, B)
    assert rotated.get(1) == MasterKey(1, A)


def test_destroying_an_old_key_keeps_the_rest() -> None:
    assert ring(A, B, C).without(2) == KeyRing((MasterKey(1, A), MasterKey(3, C)))


def test_destroying_the_only_key_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        ring(A).without(1)
    assert str(info.value) == (
        "cannot destroy key version 1: it is the only key in the ring; add a new key with "
        "with_new_key(new_secret()) first."
    )


def test_destroying_the_current_key_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        ring(A, B).without(2)
    assert str(info.value) == (
        "cannot destroy key version 2: it is the current key, used for new pseudonyms and sealed text; "
        "rotate with with_new_key(new_secret()) first, then destroy the old version."
    )


def test_destroying_an_unknown_key_is_refused() -> None:
    with pytest.raises(UnknownKeyVersionError):
        ring(A, B).without(5)


# JSON


distinct_secret_lists = st.lists(st.binary(min_size=32, max_size=40), min_size=1, max_size=4, unique=True)


@given(distinct_secret_lists, st.integers(min_value=0, max_value=3))
def test_key_ring_json_round_trips(secrets: list[bytes], gap: int) -> None:
    keys = KeyRing(tuple(MasterKey(1 + i * (gap + 1), s) for i, s in enumerate(secrets)))
    assert KeyRing.from_json(keys.to_json()) == keys


def test_key_ring_json_format() -> None:
    assert (
        ring(A).to_json()
        == '{\n  "keys": [\n    {\n      "version": 1,\n      "secret": "' + b64(A) + '"\n    }\n  ]\n}\n'
    )


_HINT = 'expected {"keys": [{"version": 1, "secret": "<base64 of at least 32 bytes>"}]}'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{",
            "key ring is not valid JSON (Expecting property name enclosed in double quotes "
            f"at line 1 column 2); {_HINT}.",
        ),
        ("[]", f'key ring JSON has no non-empty "keys" list; {_HINT}.'),
        ('{"keys": []}', f'key ring JSON has no non-empty "keys" list; {_HINT}.'),
        (
            '{"keys": [{"version": 1}]}',
            f'key ring entry 0 must have exactly the fields "version" and "secret"; {_HINT}.',
        ),
        (
            '{"keys": [{"version": "1", "secret": "AA=="}]}',
            'key ring entry 0: "version" must be a whole number such as 1.',
        ),
        (
            '{"keys": [{"version": 1, "secret": 5}]}',
            'key ring entry 0 (version 1): "secret" must be a base64 string.',
        ),
        (
            '{"keys": [{"version": 1, "secret": "not base64!"}]}',
            "key ring entry 0 (version 1): the secret is not valid base64; "
            "write it as base64 of at least 32 bytes (e.g. base64.b64encode(pseudonymize.new_secret())).",
        ),
        (
            '{"keys": [{"version": 1, "secret": "AAAA"}]}',
            "MasterKey secret for version 1 is 3 bytes; it must be at least 32 bytes: "
            "generate one with pseudonymize.new_secret().",
        ),
    ],
)
def test_key_ring_json_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        KeyRing.from_json(text)
    assert str(info.value) == message


def test_key_ring_json_errors_never_show_the_secret() -> None:
    text = '{"keys": [{"version": 1, "secret": "' + b64(A)[:-2] + '!!"}]}'
    with pytest.raises(ValueError) as info:
        KeyRing.from_json(text)
    assert b64(A)[:-2] not in str(info.value)


# load and save


def test_load_needs_a_source() -> None:
    for env in (None, "", "  "):
        with pytest.raises(ValueError) as info:
            load_key_ring(None, env)
        assert str(info.value) == (
            "no master key configured: set ARVIO_KEY_FILE to a key file or ARVIO_MASTER_KEY to a base64 "
            "secret of at least 32 bytes (create a key file with "
            "save_key_ring(path, KeyRing((MasterKey(1, new_secret()),))))."
        )


def test_load_refuses_two_sources(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as info:
        load_key_ring(tmp_path / "keys.json", b64(A))
    assert str(info.value) == (
        "both a key file (ARVIO_KEY_FILE) and a key in the environment (ARVIO_MASTER_KEY) are set; "
        "keep only one so there is a single source of keys."
    )


def test_load_a_bare_base64_secret_as_version_1() -> None:
    assert load_key_ring(None, f"  {b64(A)}\n") == ring(A)


def test_load_json_from_the_environment() -> None:
    assert load_key_ring(None, ring(A, B).to_json()) == ring(A, B)


def test_load_refuses_a_bad_environment_secret() -> None:
    with pytest.raises(ValueError) as info:
        load_key_ring(None, "secret-passphrase")
    assert str(info.value) == (
        "ARVIO_MASTER_KEY: the secret is not valid base64; write it as base64 of at least 32 bytes "
        "(e.g. base64.b64encode(pseudonymize.new_secret()))."
    )


def test_load_from_a_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    with pytest.raises(FileNotFoundError) as info:
        load_key_ring(path, None)
    assert str(info.value) == (
        f"key file {path} does not exist; create it with save_key_ring() or correct ARVIO_KEY_FILE."
    )


def test_save_writes_an_owner_only_file_that_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    keys = ring(A, B)
    save_key_ring(path, keys)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key_ring(path, None) == keys
    assert os.listdir(tmp_path) == ["keys.json"]


def test_save_replaces_a_file_and_tightens_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    save_key_ring(path, ring(A).with_new_key(B))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key_ring(path, None).versions == (1, 2)
    assert os.listdir(tmp_path) == ["keys.json"]


def test_save_leaves_no_temporary_file_when_it_fails(tmp_path: Path) -> None:
    target = tmp_path / "keys.json"
    target.mkdir()  # os.replace cannot put a file over a directory
    with pytest.raises(OSError):
        save_key_ring(target, ring(A))
    assert os.listdir(tmp_path) == ["keys.json"]


# derivation and new secrets


def test_derive_key_is_hkdf_sha256_over_purpose_nul_domain() -> None:
    assert derive_key(MasterKey(1, A), "pseudonym", "s|2026Q1") == hkdf_sha256_reference(
        A, b"pseudonym\x00s|2026Q1"
    )


@given(st.binary(min_size=32, max_size=40), st.text(min_size=1).filter(lambda p: "\x00" not in p), st.text())
def test_derived_keys_are_32_bytes_and_repeatable(secret: bytes, purpose: str, domain: str) -> None:
    key = MasterKey(1, secret)
    assert derive_key(key, purpose, domain) == derive_key(MasterKey(1, secret), purpose, domain)
    assert len(derive_key(key, purpose, domain)) == 32


def test_derived_keys_differ_by_purpose_and_domain() -> None:
    key = MasterKey(1, A)
    pairs = [
        ("pseudonym", "a|2026Q1"),
        ("pseudonym", "a|2026Q2"),
        ("free-text", ""),
        ("free", "-text"),
        ("pseudonym", ""),
    ]
    derived = [derive_key(key, purpose, domain) for purpose, domain in pairs]
    assert all(x != y for x, y in itertools.combinations(derived, 2))


@pytest.mark.parametrize("purpose", ["", "a\x00b"])
def test_derive_key_refuses_a_bad_purpose(purpose: str) -> None:
    with pytest.raises(ValueError) as info:
        derive_key(MasterKey(1, A), purpose, "")
    assert (
        str(info.value)
        == "derive_key purpose must be a non-empty name without NUL characters, e.g. 'pseudonym'."
    )


def test_new_secret_draws_from_the_given_source() -> None:
    asked: list[int] = []

    def source(n: int) -> bytes:
        asked.append(n)
        return b"\x07" * n

    assert new_secret(source) == b"\x07" * 32
    assert new_secret(source, 48) == b"\x07" * 48
    assert asked == [32, 48]
    assert len(new_secret()) == 32


def test_new_secret_refuses_short_secrets_and_bad_sources() -> None:
    with pytest.raises(ValueError) as info:
        new_secret(length=16)
    assert str(info.value) == "a master secret needs at least 32 bytes, 16 were asked for."
    with pytest.raises(ValueError) as info:
        new_secret(lambda n: b"x")
    assert str(info.value) == (
        "the secret source returned 1 bytes instead of 32; pass a source that returns exactly the number "
        "of bytes asked for (e.g. os.urandom)."
    )
