"""Versioned master keys: the key ring, its file format, rotation, destruction and key derivation.

Master keys live outside the database (a key file or an environment variable). Every derived key —
for pseudonyms, for sealed free text — comes from one master key through HKDF-SHA256, and everything
derived records the master key's version, so a key can be rotated (new data uses the new version,
old data stays readable while its version is in the ring) and later destroyed (what was derived from
it can no longer be read or matched).

Secrets never appear in a ``repr``, an error message or a log line written by this module.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import itertools
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MIN_SECRET_BYTES = 32
"""Shortest master secret accepted: 256 bits, the strength of the HMAC-SHA-256 and AES-256 keys derived."""

DERIVED_KEY_BYTES = 32

SecretSource = Callable[[int], bytes]
"""A source of cryptographically secure random bytes, called with the number of bytes wanted
(``os.urandom`` or ``secrets.token_bytes``; tests pass a deterministic one)."""

_FORMAT_HINT = 'expected {"keys": [{"version": 1, "secret": "<base64 of at least 32 bytes>"}]}'


class UnknownKeyVersionError(LookupError):
    """A key version was asked for that the key ring does not hold (never created here, or destroyed)."""


@dataclass(frozen=True)
class MasterKey:
    """One version of the master secret.

    Guarantee: ``version`` is a whole number from 1 to 65535 (it is written into sealed data in two
    bytes) and ``secret`` holds at least 32 bytes. The secret is left out of ``repr``.
    Limits: the secret's randomness is not (and cannot be) checked; generate it with :func:`new_secret`.
    """

    version: int
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if (
            isinstance(self.version, bool)
            or not isinstance(self.version, int)
            or not 1 <= self.version <= 65535
        ):
            raise ValueError(
                f"MasterKey version must be a whole number from 1 to 65535, got {self.version!r}; "
                "number the keys 1, 2, 3, ... in the order they were created."
            )
        if not isinstance(self.secret, bytes):
            raise TypeError(
                f"MasterKey secret for version {self.version} must be bytes, "
                f"got {type(self.secret).__name__}; decode a base64 secret with base64.b64decode() first."
            )
        if len(self.secret) < MIN_SECRET_BYTES:
            raise ValueError(
                f"MasterKey secret for version {self.version} is {len(self.secret)} bytes; "
                f"it must be at least {MIN_SECRET_BYTES} bytes: generate one with pseudonymize.new_secret()."
            )


@dataclass(frozen=True)
class KeyRing:
    """The master keys currently held, ordered by version.

    Guarantee: at least one key; versions are unique; no two versions share a secret (a rotation that
    reused the secret would protect nothing). ``keys`` is stored sorted by version, so two rings with
    the same keys are equal whatever order they were given in.
    Limits: the ring is a value in memory; keeping the key file safe (permissions, backups, destroying
    old copies after :meth:`without`) is the operator's job.
    """

    keys: tuple[MasterKey, ...]

    def __post_init__(self) -> None:
        keys = tuple(self.keys)
        if not keys:
            raise ValueError(
                "a KeyRing needs at least one MasterKey; "
                "create one with KeyRing((MasterKey(1, new_secret()),))."
            )
        for key in keys:
            if not isinstance(key, MasterKey):
                raise TypeError(f"KeyRing keys must be MasterKey values, got {type(key).__name__}.")
        ordered = tuple(sorted(keys, key=lambda k: k.version))
        for earlier, later in itertools.pairwise(ordered):
            if earlier.version == later.version:
                raise ValueError(
                    f"key version {later.version} appears twice in the key ring; each version must be unique."
                )
        seen: dict[bytes, int] = {}
        for key in ordered:
            if key.secret in seen:
                raise ValueError(
                    f"key versions {seen[key.secret]} and {key.version} share the same secret; a rotated key "
                    "needs a fresh secret: generate one with pseudonymize.new_secret()."
                )
            seen[key.secret] = key.version
        object.__setattr__(self, "keys", ordered)

    @property
    def current(self) -> MasterKey:
        """The key with the highest version: the one new pseudonyms and sealed texts are made with."""
        return self.keys[-1]

    @property
    def versions(self) -> tuple[int, ...]:
        """The versions held, ascending."""
        return tuple(k.version for k in self.keys)

    def get(self, version: int) -> MasterKey:
        """The key of ``version``; :class:`UnknownKeyVersionError` if the ring does not hold it."""
        for key in self.keys:
            if key.version == version:
                return key
        raise UnknownKeyVersionError(
            f"key version {version} is not in the key ring (it holds versions {_listing(self.versions)}): "
            "it was destroyed or never created here; load the key file that holds it, "
            "or treat data under it as gone."
        )

    def with_new_key(self, secret: bytes) -> KeyRing:
        """Rotation: a ring that also holds ``secret`` as version ``current.version + 1`` (new current).

        Older keys stay in the ring so data made under them can still be read and matched.
        """
        return KeyRing((*self.keys, MasterKey(self.current.version + 1, secret)))

    def without(self, version: int) -> KeyRing:
        """Destruction: a ring without ``version``. Refuses the current key (and so the only key).

        Limits: this only forgets the key in memory; save the ring and remove old copies of the key file.
        """
        self.get(version)
        if len(self.keys) == 1:
            raise ValueError(
                f"cannot destroy key version {version}: it is the only key in the ring; add a new key with "
                "with_new_key(new_secret()) first."
            )
        if version == self.current.version:
            raise ValueError(
                f"cannot destroy key version {version}: it is the current key, used for new pseudonyms and "
                "sealed text; rotate with with_new_key(new_secret()) first, then destroy the old version."
            )
        return KeyRing(tuple(k for k in self.keys if k.version != version))

    def to_json(self) -> str:
        """The key file format: ``{"keys": [{"version": 1, "secret": "<base64>"}]}`` (contains secrets)."""
        keys = [
            {"version": k.version, "secret": base64.b64encode(k.secret).decode("ascii")} for k in self.keys
        ]
        return json.dumps({"keys": keys}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        """Parse the key file format written by :meth:`to_json`; ``ValueError`` saying what is wrong.

        Error messages name the entry and the problem, never the secret.
        """
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"key ring is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
                f"{_FORMAT_HINT}."
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list) or not data["keys"]:
            raise ValueError(f'key ring JSON has no non-empty "keys" list; {_FORMAT_HINT}.')
        return cls(tuple(_key_from_json(i, entry) for i, entry in enumerate(data["keys"])))


def _key_from_json(index: int, entry: object) -> MasterKey:
    if not isinstance(entry, dict) or set(entry) != {"version", "secret"}:
        raise ValueError(
            f'key ring entry {index} must have exactly the fields "version" and "secret"; {_FORMAT_HINT}.'
        )
    version, secret = entry["version"], entry["secret"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError(f'key ring entry {index}: "version" must be a whole number such as 1.')
    if not isinstance(secret, str):
        raise ValueError(f'key ring entry {index} (version {version}): "secret" must be a base64 string.')
    return MasterKey(version, _decode_secret(secret, f"key ring entry {index} (version {version})"))


def _decode_secret(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(
            f"{where}: the secret is not valid base64; write it as base64 of at least "
            f"{MIN_SECRET_BYTES} bytes (e.g. base64.b64encode(pseudonymize.new_secret()))."
        ) from None


def _listing(versions: tuple[int, ...]) -> str:
    return ", ".join(str(v) for v in versions)


def new_secret(source: SecretSource = os.urandom, length: int = MIN_SECRET_BYTES) -> bytes:
    """A fresh master secret of ``length`` bytes (at least 32) drawn from ``source``.

    Guarantee: as unpredictable as ``source`` (the default ``os.urandom`` is the operating system's CSPRNG).
    Limits: a non-cryptographic source (``random.randbytes``) gives keys an attacker can guess.
    """
    if length < MIN_SECRET_BYTES:
        raise ValueError(f"a master secret needs at least {MIN_SECRET_BYTES} bytes, {length} were asked for.")
    secret = source(length)
    if len(secret) != length:
        raise ValueError(
            f"the secret source returned {len(secret)} bytes instead of {length}; "
            "pass a source that returns exactly the number of bytes asked for (e.g. os.urandom)."
        )
    return secret


def derive_key(master: MasterKey, purpose: str, domain: str) -> bytes:
    """A 32-byte key for one ``purpose`` and ``domain``, derived with HKDF-SHA256 from ``master``.

    Guarantee: keys for different (purpose, domain) pairs are independent — knowing one tells nothing
    about another or about the master secret. The HKDF info is ``purpose``, a NUL byte, then ``domain``
    (UTF-8), so no two pairs give the same info (``purpose`` may not contain NUL).
    Limits: no salt is used (the master secret is already uniformly random); the same inputs always give
    the same key, which is what makes pseudonyms repeatable.
    """
    if not purpose or "\x00" in purpose:
        raise ValueError(
            "derive_key purpose must be a non-empty name without NUL characters, e.g. 'pseudonym'."
        )
    info = purpose.encode("utf-8") + b"\x00" + domain.encode("utf-8")
    return HKDF(algorithm=hashes.SHA256(), length=DERIVED_KEY_BYTES, salt=None, info=info).derive(
        master.secret
    )


def load_key_ring(path: Path | None, env_value: str | None) -> KeyRing:
    """The key ring from a key file (``path``) or from an environment variable's value (``env_value``).

    ``env_value`` is either the key file JSON or a bare base64 secret, which means version 1.
    Exactly one of the two must be given (an empty ``env_value`` counts as not given): two sources
    that could disagree would silently give different pseudonyms, so both together are refused.
    """
    has_env = env_value is not None and env_value.strip() != ""
    if path is None and not has_env:
        raise ValueError(
            "no master key configured: set ARVIO_KEY_FILE to a key file or ARVIO_MASTER_KEY to a base64 "
            "secret of at least 32 bytes (create a key file with "
            "save_key_ring(path, KeyRing((MasterKey(1, new_secret()),))))."
        )
    if path is not None and has_env:
        raise ValueError(
            "both a key file (ARVIO_KEY_FILE) and a key in the environment (ARVIO_MASTER_KEY) are set; "
            "keep only one so there is a single source of keys."
        )
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise FileNotFoundError(
                f"key file {path} does not exist; create it with save_key_ring() or correct ARVIO_KEY_FILE."
            ) from None
        return KeyRing.from_json(text)
    assert env_value is not None
    value = env_value.strip()
    if value.startswith("{"):
        return KeyRing.from_json(value)
    return KeyRing((MasterKey(1, _decode_secret(value, "ARVIO_MASTER_KEY")),))


def save_key_ring(path: Path, ring: KeyRing) -> None:
    """Write ``ring`` to ``path`` as JSON, readable and writable by the owner only (mode 0600).

    Guarantee: atomic — a temporary file in the same directory is written, flushed to disk and renamed
    over ``path``, so readers see the old ring or the new one, never half a file, and the secrets never
    sit in a file with wider permissions.
    Limits: replaced or destroyed keys may survive in backups, snapshots or on disk blocks.
    """
    write_secret_file(path, ring.to_json())


def write_secret_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable and writable by the owner only (mode 0600).

    A temporary file in the same directory is written with 0600, flushed to disk and renamed over ``path``:
    readers see the old content or the new, never half a file, and the secret never sits in a wider file.
    """
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)  # mkstemp already uses 0600; stay explicit whatever the platform
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
