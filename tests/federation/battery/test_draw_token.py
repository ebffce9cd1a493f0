"""Draw ids: signed, short, unforgeable, expiring, and verifiable across a master-key rotation."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.battery.draw_token import DRAW_LIFETIME, DrawError, DrawSigner

NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)
SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
CHANNEL = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"
KEY_1, KEY_2 = bytes(32), bytes(range(32))


def signer(current: int = 1, **keys: bytes) -> DrawSigner:
    counter = itertools.count()
    return DrawSigner({1: KEY_1, 2: KEY_2} if not keys else {int(k[1:]): v for k, v in keys.items()}, current,
                      nonce_source=lambda n: next(counter).to_bytes(n, "big"))


def sign(s: DrawSigner, **changes: object) -> tuple[str, str]:
    fields: dict[str, object] = {"service_id": SERVICE, "channel_id": CHANNEL,
                                 "question_id": "national.transaction-smooth", "wording_version": 3, "now": NOW}
    fields.update(changes)
    return s.sign(**fields)  # type: ignore[arg-type]


def test_a_draw_id_says_what_was_shown_and_when() -> None:
    s = signer()
    draw_id, client_ref = sign(s)
    claim = s.verify(draw_id, now=NOW + dt.timedelta(minutes=3))
    assert (claim.service_id, claim.channel_id, claim.question_id, claim.wording_version, claim.drawn_at,
            claim.key_version) == (SERVICE, CHANNEL, "national.transaction-smooth", 3, NOW, 1)
    assert claim.client_ref == client_ref and client_ref.startswith("draw:") and len(client_ref) == 27
    assert len(draw_id) <= 130 and draw_id.isascii() and "=" not in draw_id


def test_every_draw_is_unique_and_resends_keep_the_ref() -> None:
    s = signer()
    first, second = sign(s), sign(s)
    assert first[0] != second[0] and first[1] != second[1]
    assert s.verify(first[0], now=NOW).client_ref == first[1]


def test_no_channel_round_trips() -> None:
    s = signer()
    assert s.verify(sign(s, channel_id=None)[0], now=NOW).channel_id is None


@given(st.data())
def test_any_change_to_a_draw_id_is_refused(data: st.DataObject) -> None:
    s = signer()
    draw_id, _ = sign(s)
    position = data.draw(st.integers(0, len(draw_id) - 1))
    replacement = data.draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
    changed = draw_id[:position] + replacement + draw_id[position + 1:]
    if changed == draw_id or (position == len(draw_id) - 1 and _same_bytes(changed, draw_id)):
        return
    with pytest.raises(DrawError) as refused:
        s.verify(changed, now=NOW)
    assert refused.value.code in {"DRAW_FORGED", "DRAW_MALFORMED"}


def _same_bytes(a: str, b: str) -> bool:
    import base64

    def raw(t: str) -> bytes:
        return base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))
    return raw(a) == raw(b)


def test_a_draw_id_signed_with_another_key_is_forged() -> None:
    mine, theirs = signer(), DrawSigner({1: b"x" * 32}, 1)
    with pytest.raises(DrawError, match="was not issued by this arvio") as refused:
        mine.verify(sign(theirs)[0], now=NOW)
    assert refused.value.code == "DRAW_FORGED"


@pytest.mark.parametrize("token", ["", "not base64!", "AAAA", "x" * 500])
def test_garbage_is_malformed(token: str) -> None:
    with pytest.raises(DrawError) as refused:
        signer().verify(token, now=NOW)
    assert refused.value.code == "DRAW_MALFORMED"


def test_draw_ids_expire() -> None:
    s = signer()
    draw_id, _ = sign(s)
    s.verify(draw_id, now=NOW + DRAW_LIFETIME)
    with pytest.raises(DrawError, match="reload the page") as refused:
        s.verify(draw_id, now=NOW + DRAW_LIFETIME + dt.timedelta(seconds=1))
    assert refused.value.code == "DRAW_EXPIRED"


def test_key_rotation_keeps_old_draws_valid_until_the_old_key_is_gone() -> None:
    old = DrawSigner({1: KEY_1}, 1)
    draw_id, _ = sign(old)
    rotated = DrawSigner({1: KEY_1, 2: KEY_2}, 2)
    assert rotated.verify(draw_id, now=NOW).key_version == 1
    assert rotated.verify(sign(rotated)[0], now=NOW).key_version == 2
    with pytest.raises(DrawError) as refused:
        DrawSigner({2: KEY_2}, 2).verify(draw_id, now=NOW)
    assert refused.value.code == "DRAW_FORGED"


@given(st.uuids(), st.one_of(st.none(), st.uuids()),
       st.from_regex(r"[a-z0-9][a-z0-9.-]{2,118}", fullmatch=True), st.integers(1, 65535))
def test_round_trip(service: uuid.UUID, channel: uuid.UUID | None, question: str, version: int) -> None:
    s = signer()
    draw_id, _ = sign(s, service_id=str(service), channel_id=str(channel) if channel else None,
                      question_id=question, wording_version=version)
    claim = s.verify(draw_id, now=NOW)
    assert (claim.service_id, claim.channel_id, claim.question_id, claim.wording_version) == (
        str(service), str(channel) if channel else None, question, version)


@given(st.binary(min_size=0, max_size=100), st.binary(max_size=300))
def test_the_precomputed_hmac_is_hmac_sha256(key: bytes, message: bytes) -> None:
    import hashlib
    import hmac

    from federation.battery.draw_token import HmacSha256

    assert HmacSha256(key).digest(message) == hmac.new(key, message, hashlib.sha256).digest()
