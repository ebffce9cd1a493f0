"""Webhook signatures: HMAC-SHA256 over timestamp + body, verified in constant time inside a replay window
(federation/notify/signing.py)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.notify.signing import SignatureError, signature_header, verify_signature

SECRET = "whsec_test-secret"
T = 1_800_000_000


def test_the_header_is_stripes_scheme_and_verifies() -> None:
    body = b'{"type":"test"}'
    header = signature_header(SECRET, T, body)
    expected = hmac.new(SECRET.encode(), b"1800000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t={T},v1={expected}"
    assert verify_signature(SECRET, header, body, now=T + 299) == T
    assert verify_signature(SECRET, f"t={T},v1=00ff,v1={expected}", body, now=T) == T  # one of several


@pytest.mark.parametrize(("header", "body", "now", "secret"), [
    (signature_header(SECRET, T, b"{}"), b"{ }", T, SECRET),           # body altered
    (signature_header(SECRET, T, b"{}"), b"{}", T, "whsec_other"),     # wrong secret
    (signature_header(SECRET, T, b"{}"), b"{}", T + 301, SECRET),      # replayed too late
    (signature_header(SECRET, T, b"{}"), b"{}", T - 301, SECRET),      # from the future
    ("", b"{}", T, SECRET),
    (f"t={T}", b"{}", T, SECRET),
    ("v1=abc", b"{}", T, SECRET),
    (f"t=-{T},v1=abc", b"{}", T, SECRET),
    ("t=1," + "v1=a," * 1000, b"{}", 1, SECRET),
])
def test_wrong_stale_or_malformed_signatures_are_refused(header: str, body: bytes, now: int, secret: str) -> None:
    with pytest.raises(SignatureError):
        verify_signature(secret, header, body, now=now)


@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=10**11))
def test_any_body_round_trips(body: bytes, timestamp: int) -> None:
    assert verify_signature(SECRET, signature_header(SECRET, timestamp, body), body, now=timestamp) == timestamp
