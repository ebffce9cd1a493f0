"""Detached Ed25519 signatures of exports, and the signing key ring kept in a key file outside the database.

A signature file (``<export>.sig``, JSON) names the key (``keyId``), the export's size and SHA-256, and
carries an Ed25519 signature over the statement ``arvio-signature-v1\\n<keyId>\\n<size>\\n<sha256>\\n``.
Signing the digest rather than the bytes lets exports of any size be signed and verified while they stream.

Guarantee: :func:`verify` accepts a file only if its size and SHA-256 match the statement and the statement's
signature verifies under the public key named by ``keyId``; changing any byte of the export or of the
statement fails. Rotation adds a new current key; older keys stay in the ring (and in the published key set),
so signatures made with them stay verifiable. Limits: trust in the public key set is the publisher's to
establish (fetch it over HTTPS from the well-known URL, or compare key ids out of band).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from federation.settings import Settings
from pseudonymize.keys import write_secret_file

log = logging.getLogger("arvio.signing")

SIGNATURE_FORMAT = "arvio-signature-v1"
DEVELOPMENT_SIGNING_KEY_FILE = Path("arvio-signing-keys.json")
WELL_KNOWN_PATH = "/.well-known/arvio-export-keys.json"
_CHUNK = 1 << 16


class SignatureError(ValueError):
    """Verification failed; the message says what did not match."""


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 signing key; its id is derived from the public key, so it cannot be mislabelled."""

    private: Ed25519PrivateKey = field(repr=False)
    created: dt.datetime

    @property
    def public(self) -> Ed25519PublicKey:
        """The verifying half."""
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        """``arvio-ed25519-`` and the first 16 hex digits of the SHA-256 of the raw public key."""
        return key_id_of(self.public)


def key_id_of(public: Ed25519PublicKey) -> str:
    """The key id of a public key."""
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "arvio-ed25519-" + hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKeyRing:
    """The signing keys, oldest first; the last one signs. At least one key."""

    keys: tuple[SigningKey, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError("a signing key ring needs at least one key; create one with `arvio export keys "
                             "rotate`.")

    @property
    def current(self) -> SigningKey:
        """The key new signatures are made with."""
        return self.keys[-1]

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        """Every public key by key id (old ones included, so old signatures stay verifiable)."""
        return {k.key_id: k.public for k in self.keys}

    def rotated(self, now: dt.datetime) -> SigningKeyRing:
        """A ring with a fresh current key; older keys are kept."""
        return SigningKeyRing((*self.keys, SigningKey(Ed25519PrivateKey.generate(), now)))

    def to_json(self) -> str:
        """The key file: ``{"keys": [{"id", "created", "private": <base64 of 32 bytes>}]}`` (secret!)."""
        entries = [{"id": k.key_id, "created": k.created.isoformat(),
                    "private": base64.b64encode(k.private.private_bytes(
                        Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode("ascii")} for k in self.keys]
        return json.dumps({"keys": entries}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SigningKeyRing:
        """Parse a key file; ``ValueError`` naming the entry that is wrong (never the secret)."""
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"the signing key file is not JSON ({error.msg} at line {error.lineno}).") \
                from None
        entries = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            raise ValueError('the signing key file needs a non-empty "keys" list; create it with '
                             "`arvio export keys rotate`.")
        return cls(tuple(_key_from_json(i, e) for i, e in enumerate(entries)))

    def jwks(self) -> dict[str, Any]:
        """The public key set as a JSON Web Key Set (RFC 8037 ``OKP``/``Ed25519``), current key last."""
        return public_key_set(self.public_keys())


def _key_from_json(index: int, entry: Any) -> SigningKey:
    if not isinstance(entry, dict) or not isinstance(entry.get("private"), str):
        raise ValueError(f'signing key entry {index} needs a base64 "private" key.')
    try:
        private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(entry["private"], validate=True))
        created = dt.datetime.fromisoformat(str(entry.get("created", "1970-01-01T00:00:00+00:00")))
    except (binascii.Error, ValueError):
        raise ValueError(f"signing key entry {index}: the private key must be base64 of 32 bytes and "
                         "created an ISO timestamp.") from None
    key = SigningKey(private, created)
    if entry.get("id") not in (None, key.key_id):
        raise ValueError(f"signing key entry {index}: its id {entry['id']!r} does not match its key.")
    return key


def public_key_set(keys: Mapping[str, Ed25519PublicKey]) -> dict[str, Any]:
    """A JWKS document of ``keys``."""
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid,
                      "x": _b64url(public.public_bytes(Encoding.Raw, PublicFormat.Raw))}
                     for kid, public in keys.items()]}


def parse_public_key_set(text: str) -> dict[str, Ed25519PublicKey]:
    """The public keys of a JWKS document (as served at the well-known URL)."""
    try:
        data: Any = json.loads(text)
        keys = {}
        for jwk in data["keys"]:
            if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
                continue
            raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
            public = Ed25519PublicKey.from_public_bytes(raw)
            if key_id_of(public) != jwk["kid"]:
                raise ValueError(f"key {jwk['kid']!r} does not match its key material")
            keys[jwk["kid"]] = public
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise ValueError(f"the public key set is not a valid Ed25519 JWKS ({error}); download it again from "
                         f"{WELL_KNOWN_PATH}.") from None
    return keys


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def signing_key_path(settings: Settings) -> Path | None:
    """``ARVIO_SIGNING_KEY_FILE``, or outside production ``./arvio-signing-keys.json``."""
    if settings.signing_key_file is not None:
        return settings.signing_key_file
    return None if settings.environment == "production" else DEVELOPMENT_SIGNING_KEY_FILE


def open_signing_keys(settings: Settings, *, now: dt.datetime) -> SigningKeyRing:
    """The configured signing keys. Outside production a missing key file is created (with a warning)."""
    path = signing_key_path(settings)
    if path is None:
        raise ValueError("no signing key file configured: set ARVIO_SIGNING_KEY_FILE (create the file with "
                         "`arvio export keys rotate`).")
    if not path.exists():
        if settings.environment == "production":
            raise FileNotFoundError(f"signing key file {path} does not exist; create it with `arvio export "
                                    "keys rotate` or correct ARVIO_SIGNING_KEY_FILE.")
        log.warning("no signing key file at %s: creating a new Ed25519 key (outside production only)", path)
        save_signing_keys(path, _new_ring(now))
    return SigningKeyRing.from_json(path.read_text(encoding="utf-8"))


def _new_ring(now: dt.datetime) -> SigningKeyRing:
    return SigningKeyRing((SigningKey(Ed25519PrivateKey.generate(), now),))


def rotate_signing_keys(settings: Settings, *, now: dt.datetime) -> SigningKeyRing:
    """Add a new current signing key to the key file; older keys keep verifying their signatures."""
    path = signing_key_path(settings)
    if path is None:
        raise ValueError("set ARVIO_SIGNING_KEY_FILE to the signing key file to rotate.")
    if not path.exists():
        ring = _new_ring(now)
        save_signing_keys(path, ring)
        return ring
    ring = SigningKeyRing.from_json(path.read_text(encoding="utf-8")).rotated(now)
    save_signing_keys(path, ring)
    return ring


def save_signing_keys(path: Path, ring: SigningKeyRing) -> None:
    """Write the key file atomically, readable by the owner only (0600)."""
    write_secret_file(path, ring.to_json())


class Digest:
    """SHA-256 and size of bytes seen so far (fed chunk by chunk while an export streams)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        """Add a chunk."""
        self._hash.update(chunk)
        self.size += len(chunk)

    @property
    def hexdigest(self) -> str:
        """The SHA-256 in hex."""
        return self._hash.hexdigest()

    def tee(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """Pass ``chunks`` through while digesting them."""
        for chunk in chunks:
            self.update(chunk)
            yield chunk

    @classmethod
    def of_stream(cls, stream: BinaryIO) -> Digest:
        """Digest a binary stream to its end."""
        digest = cls()
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
        return digest


def _statement(key_id: str, size: int, sha256: str) -> bytes:
    return f"{SIGNATURE_FORMAT}\n{key_id}\n{size}\n{sha256}\n".encode("ascii")


def sign_digest(digest: Digest, key: SigningKey, *, file_name: str) -> str:
    """The detached signature file (JSON text) for bytes with ``digest``."""
    signature = key.private.sign(_statement(key.key_id, digest.size, digest.hexdigest))
    return json.dumps({"format": SIGNATURE_FORMAT, "algorithm": "Ed25519", "keyId": key.key_id,
                       "file": file_name, "size": digest.size, "sha256": digest.hexdigest,
                       "signature": base64.b64encode(signature).decode("ascii")}, indent=2) + "\n"


def sign_bytes(data: bytes, key: SigningKey, *, file_name: str) -> str:
    """The detached signature of ``data``."""
    digest = Digest()
    digest.update(data)
    return sign_digest(digest, key, file_name=file_name)


@dataclass(frozen=True)
class Verified:
    """A signature that verified: which key made it, over how many bytes."""

    key_id: str
    size: int
    sha256: str


def verify(stream: BinaryIO, signature_text: str, public_keys: Mapping[str, Ed25519PublicKey]) -> Verified:
    """Check ``stream`` against its detached signature; :class:`SignatureError` says what failed."""
    try:
        sig: Any = json.loads(signature_text)
        key_id, size, sha256 = str(sig["keyId"]), int(sig["size"]), str(sig["sha256"])
        raw_signature = base64.b64decode(sig["signature"], validate=True)
        if sig.get("format") != SIGNATURE_FORMAT or sig.get("algorithm") != "Ed25519":
            raise ValueError("unknown format")
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise SignatureError(f"the signature file is not an {SIGNATURE_FORMAT} signature; download the "
                               "export's .sig again.") from None
    public = public_keys.get(key_id)
    if public is None:
        held = ", ".join(public_keys) or "no keys"
        raise SignatureError(f"the signature was made with key {key_id}, which is not in the public key "
                             f"set (it holds {held}); fetch {WELL_KNOWN_PATH} again.")
    try:
        public.verify(raw_signature, _statement(key_id, size, sha256))
    except InvalidSignature:
        raise SignatureError(f"the signature does not verify under key {key_id}: the .sig file was "
                               "altered or made with another key.") from None
    digest = Digest.of_stream(stream)
    if (digest.size, digest.hexdigest) != (size, sha256):
        raise SignatureError(f"the file does not match its signature (size {digest.size} vs signed {size}, "
                               f"sha256 {digest.hexdigest[:16]}… vs signed {sha256[:16]}…): it was altered "
                               "or is not the file that was signed.")
    return Verified(key_id, size, sha256)
