"""Signing webhook bodies and verifying the signature (Stripe's and GitHub's scheme). Pure: no clock, no I/O.

arvio sends every webhook with the header ``Arvio-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256, keyed by the endpoint's secret (``whsec_…``, shown once when the endpoint is added), of the ASCII
timestamp, a full stop and the raw request body::

    v1 = hex(HMAC_SHA256(secret, f"{t}." + body))

A receiver recomputes the HMAC over the *raw* bytes it received (before any JSON parsing), compares in constant
time, and refuses a timestamp older or newer than its replay window (5 minutes by default), so a captured request
cannot be replayed later. :func:`verify_signature` does exactly that and can be copied into a receiver as is (it
uses the standard library only); README.md "Notifications" shows it in use.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Arvio-Signature"
DELIVERY_HEADER = "Arvio-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300
_MAX_HEADER = 2000


class SignatureError(ValueError):
    """The signature header is missing, malformed, stale, or does not match the body."""


def signature_of(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``f"{timestamp}." + body`` keyed by ``secret``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Arvio-Signature`` header value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    return f"t={timestamp},v1={signature_of(secret, timestamp, body)}"


def _parse(header: str) -> tuple[int, list[str]]:
    if not header or len(header) > _MAX_HEADER:
        raise SignatureError("the Arvio-Signature header is missing or too long")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("the Arvio-Signature header needs t=<unix seconds> and at least one v1=<hex>")
    return timestamp, signatures


def verify_signature(secret: str, header: str, body: bytes, *, now: float,
                     tolerance: int = DEFAULT_TOLERANCE_SECONDS) -> int:
    """Check ``header`` against the raw ``body``; returns the signed timestamp or raises :class:`SignatureError`.

    ``now`` is the receiver's clock in Unix seconds (``time.time()``); a timestamp more than ``tolerance`` seconds
    away from it is refused (replay window). Several ``v1`` values are accepted (one of them must match).
    """
    timestamp, signatures = _parse(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"the signature's timestamp is outside the {tolerance}-second replay window")
    expected = signature_of(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("no v1 signature matches the body: wrong secret, or the body was altered")
    return timestamp
