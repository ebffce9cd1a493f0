"""The draw id: a short signed token saying which question was shown for which service and channel, and when.

A draw writes nothing: the answer or skip that comes back carries the draw id, and arvio checks its signature
instead of looking the draw up. Layout (then base64url without padding)::

    0x01 | master key version (2) | drawn at, Unix seconds (4) | service GUID (16) |
    channel GUID or 16 zero bytes | wording version (2) | random nonce (8) | question id (UTF-8) |
    HMAC-SHA-256 of all of the above, first 16 bytes

The HMAC key is ``derive_key(master, "draw", "")`` of the master key whose version is in the token, so a key
rotation keeps recent draw ids valid while the old version is in the ring. The nonce makes every draw id
unique, and the clientRef of a widget answer is derived from the signature (``draw:`` + its base64url), so a
resent answer is a duplicate. Guarantee: a draw id cannot be made or altered without the server key (128-bit
tag). Limits: a draw id is not secret and not one-time - anyone can draw; what makes a *direct* answer count
is the rating ticket (``federation.ratings.tickets``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import os
import random
import struct
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from federation.errors import BatteryCode, DomainError

FORMAT = 1
TAG_BYTES = 16
NONCE_BYTES = 8
DRAW_LIFETIME = dt.timedelta(hours=12)
"""How long after the draw an answer or skip is still taken (a citizen may leave the page open)."""
CLOCK_SKEW = dt.timedelta(minutes=5)

_HEAD = struct.Struct(">BHI16s16sH8s")
_NO_CHANNEL = bytes(16)


class DrawError(DomainError):
    """A draw id that cannot be used: ``DRAW_MALFORMED``, ``DRAW_FORGED`` or ``DRAW_EXPIRED``."""


@dataclass(frozen=True, slots=True)
class DrawClaim:
    """What a valid draw id says."""

    service_id: str
    channel_id: str | None
    question_id: str
    wording_version: int
    drawn_at: dt.datetime
    key_version: int
    tag: bytes

    @property
    def client_ref(self) -> str:
        """The clientRef of the answer to this draw: the same draw always gives the same ref."""
        return client_ref_of(self.tag)


def client_ref_of(tag: bytes) -> str:
    """The clientRef derived from a draw id's signature."""
    return "draw:" + _b64(tag)


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=").decode("ascii")


class HmacSha256:
    """HMAC-SHA-256 (RFC 2104) with the key's inner and outer hash states computed once.

    Same result as ``hmac.new(key, message, "sha256").digest()`` at a third of its cost, which matters on the
    draw path (one MAC per page view).
    """

    def __init__(self, key: bytes) -> None:
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        padded = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(padded.translate(_IPAD))
        self._outer = hashlib.sha256(padded.translate(_OPAD))

    def digest(self, message: bytes) -> bytes:
        """The 32-byte MAC of ``message``."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


_BLOCK = 64
_IPAD = bytes(b ^ 0x36 for b in range(256))
_OPAD = bytes(b ^ 0x5C for b in range(256))


_NONCES = random.Random(os.urandom(32))
os.register_at_fork(after_in_child=lambda: _NONCES.seed(os.urandom(32)))  # forked workers must not repeat


def fast_nonce(size: int) -> bytes:
    """Random bytes for the nonce: it must be unique, not secret, so a seeded PRNG (no system call) suffices."""
    return _NONCES.randbytes(size)


@functools.lru_cache(maxsize=65_536)
def guid_bytes(guid: str) -> bytes:
    """The 16 bytes of a canonical GUID (cached: the same few services are drawn for all day)."""
    return uuid.UUID(guid).bytes


class DrawSigner:
    """Makes and checks draw ids with per-version keys (``{master key version: derived key}``)."""

    def __init__(self, keys: Mapping[int, bytes], current: int, *,
                 nonce_source: Callable[[int], bytes] = fast_nonce) -> None:
        if current not in keys:
            raise ValueError(f"the current draw key version {current} is not among the keys given.")
        self._keys = {version: HmacSha256(key) for version, key in keys.items()}
        self._current = current
        self._nonce = nonce_source

    def sign(self, *, service_id: str, channel_id: str | None, question_id: str, wording_version: int,
             now: dt.datetime) -> tuple[str, str]:
        """A new draw id and the clientRef of its answer (``service_id``/``channel_id``: canonical GUIDs)."""
        head = _HEAD.pack(FORMAT, self._current, int(now.timestamp()), guid_bytes(service_id),
                          guid_bytes(channel_id) if channel_id else _NO_CHANNEL, wording_version,
                          self._nonce(NONCE_BYTES))
        payload = head + question_id.encode("utf-8")
        tag = self._tag(self._keys[self._current], payload)
        return _b64(payload + tag), client_ref_of(tag)

    @staticmethod
    def _tag(key: HmacSha256, payload: bytes) -> bytes:
        return key.digest(payload)[:TAG_BYTES]

    def verify(self, token: str, *, now: dt.datetime, lifetime: dt.timedelta = DRAW_LIFETIME) -> DrawClaim:
        """The claim of a genuine, unexpired draw id; :class:`DrawError` otherwise."""
        raw = _decode(token)
        payload, tag = raw[:-TAG_BYTES], raw[-TAG_BYTES:]
        fmt, version, seconds, service, channel, wording, _nonce = _HEAD.unpack_from(payload)
        key = self._keys.get(version)
        if fmt != FORMAT or key is None or not hmac.compare_digest(tag, self._tag(key, payload)):
            raise DrawError(BatteryCode.DRAW_FORGED, "the draw id was not issued by this arvio (or its key was "
                                                     "retired); draw a new question with /widget/draw and answer that.")
        try:
            question_id = payload[_HEAD.size:].decode("utf-8")
        except UnicodeDecodeError:
            raise DrawError(BatteryCode.DRAW_MALFORMED, "the draw id is damaged; draw a new question.") from None
        drawn_at = dt.datetime.fromtimestamp(seconds, dt.UTC)
        if drawn_at > now + CLOCK_SKEW or now - drawn_at > lifetime:
            hours = lifetime.total_seconds() / 3600
            raise DrawError(BatteryCode.DRAW_EXPIRED, f"the draw is older than {hours:g} hours; reload the page to "
                                                      "draw a new question.")
        channel_id = str(uuid.UUID(bytes=channel)) if channel != _NO_CHANNEL else None
        service_id = str(uuid.UUID(bytes=service))
        return DrawClaim(service_id, channel_id, question_id, wording, drawn_at, version, tag)


def _decode(token: str) -> bytes:
    if not isinstance(token, str) or not 0 < len(token) <= 400:
        raise DrawError(BatteryCode.DRAW_MALFORMED, "drawId is missing or too long; send the drawId the draw returned.")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise DrawError(BatteryCode.DRAW_MALFORMED, "drawId is not a draw id (base64url expected); send it "
                                                    "unchanged.") from None
    if len(raw) < _HEAD.size + 1 + TAG_BYTES:
        raise DrawError(BatteryCode.DRAW_MALFORMED, "drawId is too short to be a draw id; send it unchanged.")
    return raw
