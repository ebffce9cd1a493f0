"""Rating tickets: the format, forged/expired/replayed refusals, and ticket keys in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from federation.db import Database
from federation.ratings.models import SealedTicketKey
from federation.ratings.ticket_keys import consume_ticket, current_ticket_key, rotate_ticket_key, verify_ticket
from federation.ratings.tickets import MAX_TICKET_LIFETIME, TicketError, TicketKey, mint_ticket, parse_ticket
from federation.registry.service import Names, upsert_organisation
from pseudonymize.keys import KeyRing, MasterKey

NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)
ORG = "1000001-2"
SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
CHANNEL = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"
KEY = TicketKey(ORG, 1, bytes(range(32)))
RING = KeyRing((MasterKey(1, bytes(range(100, 132))),))


def code_of(call: object) -> str:
    assert callable(call)
    with pytest.raises(TicketError) as refused:
        call()
    return refused.value.code


def test_the_documented_format() -> None:
    ticket = mint_ticket(KEY, service_id=SERVICE.upper(), channel_id=CHANNEL, now=NOW, nonce="n" * 22)
    fields = ticket.split(".")
    assert fields[:7] == ["t1", ORG, SERVICE, CHANNEL, str(int((NOW + dt.timedelta(hours=1)).timestamp())),
                          "n" * 22, "1"]
    assert len(fields[7]) == 43
    parsed = parse_ticket(ticket)
    assert (parsed.organisation_id, parsed.service_id, parsed.channel_id, parsed.nonce, parsed.key_version) == (
        ORG, SERVICE, CHANNEL, "n" * 22, 1)
    assert parsed.client_ref == "ticket:" + "n" * 22
    parsed.check(KEY, now=NOW)


def test_the_key_text_round_trips_and_hides_the_secret() -> None:
    assert TicketKey.parse(str(KEY)) == KEY
    assert str(KEY).startswith("tk1.1000001-2.1.") and "secret" not in repr(KEY)
    assert code_of(lambda: TicketKey.parse("tk1.nope")) == "TICKET_KEY_MALFORMED"


def test_a_ticket_signed_with_another_key_is_forged() -> None:
    other = TicketKey(ORG, 1, b"\x01" * 32)
    ticket = parse_ticket(mint_ticket(other, service_id=SERVICE, now=NOW))
    assert code_of(lambda: ticket.check(KEY, now=NOW)) == "TICKET_FORGED"


@given(st.data())
def test_any_change_to_a_ticket_is_refused(data: st.DataObject) -> None:
    text = mint_ticket(KEY, service_id=SERVICE, channel_id=CHANNEL, now=NOW, nonce="abcdefghijklmnopqrstuv")
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.sampled_from("0123456789abcdefABCDEF-_.xyz"))
    changed = text[:position] + replacement + text[position + 1:]
    if changed == text:
        return

    def use() -> None:
        parse_ticket(changed).check(KEY, now=NOW)
    assert code_of(use) in {"TICKET_MALFORMED", "TICKET_FORGED"}


def test_expired_tickets_are_refused_and_grace_extends_them() -> None:
    ticket = parse_ticket(mint_ticket(KEY, service_id=SERVICE, now=NOW, lifetime=dt.timedelta(minutes=5)))
    ticket.check(KEY, now=NOW + dt.timedelta(minutes=4))
    later = NOW + dt.timedelta(minutes=5)
    assert code_of(lambda: ticket.check(KEY, now=later)) == "TICKET_EXPIRED"
    ticket.check(KEY, now=later, grace=dt.timedelta(hours=1))


def test_lifetimes_are_bounded() -> None:
    assert code_of(lambda: mint_ticket(KEY, service_id=SERVICE, now=NOW, lifetime=dt.timedelta(days=2))) == \
        "TICKET_TOO_LONG_LIVED"
    far = parse_ticket(mint_ticket(KEY, service_id=SERVICE, now=NOW + dt.timedelta(days=3)))
    assert code_of(lambda: far.check(KEY, now=NOW)) == "TICKET_TOO_LONG_LIVED"
    assert dt.timedelta(hours=24) == MAX_TICKET_LIFETIME


@pytest.mark.parametrize("text", ["", "t1", "t2.1000001-2.x.-.1.abcdefghijklmnop.1.m", "t1.123.s.-.1.n.1.m",
                                  "t1.1000001-2.not-a-guid.-.99.abcdefghijklmnop.1." + "A" * 43,
                                  "t1.1000001-2." + SERVICE + ".-.soon.abcdefghijklmnop.1." + "A" * 43])
def test_malformed_tickets(text: str) -> None:
    assert code_of(lambda: parse_ticket(text)) == "TICKET_MALFORMED"


def _organisation(database: Database) -> None:
    with database.transaction() as session:
        upsert_organisation(session, ORG, Names("Esimerkkilä"), now=NOW)


def test_ticket_keys_are_sealed_rotated_and_revoked(database: Database) -> None:
    _organisation(database)
    with database.transaction() as session:
        first = rotate_ticket_key(session, ORG, RING, now=NOW)
    with database.transaction() as session:
        second = rotate_ticket_key(session, ORG, RING, now=NOW + dt.timedelta(hours=1))
        stored = session.scalars(select(SealedTicketKey.sealed_secret)).all()
    assert (first.version, second.version) == (1, 2)
    assert all(first.secret not in blob and second.secret not in blob for blob in stored)
    old = mint_ticket(first, service_id=SERVICE, now=NOW + dt.timedelta(hours=1))
    new = mint_ticket(second, service_id=SERVICE, now=NOW + dt.timedelta(hours=1))
    with database.transaction() as session:
        assert current_ticket_key(session, ORG, RING, now=NOW + dt.timedelta(hours=1)) == second
        later = NOW + dt.timedelta(minutes=90)
        verify_ticket(session, RING, old, now=later)  # older versions keep verifying for a day
        verify_ticket(session, RING, new, now=later)
        rotate_ticket_key(session, ORG, RING, now=later, revoke_previous=True)
    with database.transaction() as session:
        for text in (old, new):
            with pytest.raises(TicketError) as refused:
                verify_ticket(session, RING, text, now=later)
            assert refused.value.code == "TICKET_KEY_RETIRED"


def test_unknown_key_versions_are_forged(database: Database) -> None:
    _organisation(database)
    text = mint_ticket(TicketKey(ORG, 7, bytes(32)), service_id=SERVICE, now=NOW)
    with database.transaction() as session, pytest.raises(TicketError) as refused:
        verify_ticket(session, RING, text, now=NOW)
    assert refused.value.code == "TICKET_FORGED"


def test_one_ticket_one_use(database: Database) -> None:
    _organisation(database)
    with database.transaction() as session:
        key = rotate_ticket_key(session, ORG, RING, now=NOW)
    ticket = parse_ticket(mint_ticket(key, service_id=SERVICE, now=NOW))
    with database.transaction() as session:
        assert consume_ticket(session, ticket, now=NOW) is True
    with database.transaction() as session:
        assert consume_ticket(session, ticket, now=NOW) is False


def test_a_ticket_key_under_a_destroyed_master_key_is_retired(database: Database) -> None:
    _organisation(database)
    with database.transaction() as session:
        key = rotate_ticket_key(session, ORG, RING, now=NOW)
    rotated = RING.with_new_key(bytes(range(200, 232))).without(1)
    with database.transaction() as session, pytest.raises(TicketError) as refused:
        verify_ticket(session, rotated, mint_ticket(key, service_id=SERVICE, now=NOW), now=NOW)
    assert refused.value.code == "TICKET_KEY_RETIRED" and "rotate the ticket key" in refused.value.message
