"""Encryption of (already scrubbed) free text at rest: AES-256-GCM under a versioned master key.

A sealed blob is ``b"v"`` + key version (2 bytes, big-endian) + nonce (12 bytes) + ciphertext and tag.
The key is ``derive_key(master, "free-text", "")``. The 3-byte header is authenticated together with
the caller's ``associated_data`` (bind it to the row, e.g. organisation and rating id, so a sealed text
copied to another row no longer opens).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pseudonymize.keys import KeyRing, MasterKey, UnknownKeyVersionError, derive_key

NONCE_BYTES = 12
_MAGIC = b"v"
_HEADER_BYTES = len(_MAGIC) + 2
_TAG_BYTES = 16

NonceSource = Callable[[int], bytes]


class SealError(ValueError):
    """A sealed text cannot be opened: malformed, under a key the ring no longer holds, or altered."""


def _cipher(master: MasterKey) -> AESGCM:
    return AESGCM(derive_key(master, "free-text", ""))


def seal(
    plaintext: str, key: MasterKey, *, associated_data: bytes, nonce_source: NonceSource = os.urandom
) -> bytes:
    """Encrypt and authenticate ``plaintext`` (UTF-8) under ``key``; ``associated_data`` is authenticated too.

    Guarantee: confidentiality and integrity (AES-256-GCM): without the key nothing is learnt but the
    length; any change to the blob or a different ``associated_data`` makes :func:`open_sealed` fail.
    Limits: the length of the text shows. Nonces are random (``nonce_source`` must be a CSPRNG such as
    ``os.urandom``; a repeated nonce under one key breaks GCM), so seal fewer than 2**32 texts per key
    version — rotate long before. Scrub identifiers first (:func:`pseudonymize.scrub`): sealing protects
    the database, not what the owning organisation reads.
    """
    nonce = nonce_source(NONCE_BYTES)
    if len(nonce) != NONCE_BYTES:
        raise ValueError(
            f"the nonce source returned {len(nonce)} bytes instead of {NONCE_BYTES}; "
            "pass a source that returns exactly the number of bytes asked for (e.g. os.urandom)."
        )
    header = _MAGIC + key.version.to_bytes(2, "big")
    ciphertext = _cipher(key).encrypt(nonce, plaintext.encode("utf-8"), header + associated_data)
    return header + nonce + ciphertext


def sealed_key_version(blob: bytes) -> int:
    """The master key version a sealed text was made with; :class:`SealError` if ``blob`` is not one.

    Use it to check that no retained text still needs a key before destroying it.
    """
    if len(blob) < _HEADER_BYTES + NONCE_BYTES + _TAG_BYTES or not blob.startswith(_MAGIC):
        raise SealError(
            "not a sealed text: it must start with b'v', a 2-byte key version and a 12-byte nonce, "
            "followed by the ciphertext; pass the bytes returned by seal()."
        )
    return int.from_bytes(blob[1:_HEADER_BYTES], "big")


def open_sealed(blob: bytes, ring: KeyRing, *, associated_data: bytes) -> str:
    """Decrypt a text made by :func:`seal`, with the key of the version written in the blob.

    Guarantee: returns the exact plaintext only if the blob and ``associated_data`` are unaltered.
    :class:`SealError` if the key version is not in ``ring`` (destroyed: the text is gone for good) or
    if authentication fails (the blob was altered, or ``associated_data`` differs from the one used at
    sealing); the message says which.
    """
    version = sealed_key_version(blob)
    try:
        key = ring.get(version)
    except UnknownKeyVersionError:
        raise SealError(
            f"sealed text uses key version {version}, which is not in the key ring (it holds versions "
            f"{', '.join(str(v) for v in ring.versions)}): the key was destroyed or the ring is incomplete; "
            "load the key file that holds it, or treat the text as deleted."
        ) from None
    header, nonce = blob[:_HEADER_BYTES], blob[_HEADER_BYTES : _HEADER_BYTES + NONCE_BYTES]
    try:
        plaintext = _cipher(key).decrypt(nonce, blob[_HEADER_BYTES + NONCE_BYTES :], header + associated_data)
    except InvalidTag:
        raise SealError(
            "sealed text failed authentication: it was altered, or the associated data differs from the one "
            "used when sealing; do not trust or show it."
        ) from None
    return plaintext.decode("utf-8")
