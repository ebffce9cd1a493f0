"""Organisations' ticket keys and used tickets: storage for ``federation.ratings.tickets``.

A ticket key's secret is stored sealed (AES-GCM under the master key ring, bound to organisation and version),
never in clear. Rotation makes a new current version; the previous ones keep verifying tickets for
:data:`~federation.ratings.tickets.MAX_TICKET_LIFETIME` (tickets already handed out stay good) unless the
rotation revokes them at once (a leaked key). A used ticket's (organisation, nonce) goes into ``ticket_use``,
whose primary key makes a second use fail: one ticket, one answer, also under concurrent requests.
"""

from __future__ import annotations

import base64
import datetime as dt

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from federation.errors import DomainError, NotFound, RatingsCode, RegistryCode
from federation.locks import serialise
from federation.ratings.models import SealedTicketKey, TicketUse
from federation.ratings.tickets import MAX_TICKET_LIFETIME, Ticket, TicketError, TicketKey, parse_ticket
from federation.registry.models import Organisation
from federation.upsert import dialect_insert
from pseudonymize.keys import KeyRing
from pseudonymize.seal import SealError, open_sealed, seal


def _aad(organisation_id: str, version: int) -> bytes:
    return f"ticket-key|{organisation_id}|{version}".encode()


def rotate_ticket_key(session: Session, organisation_id: str, ring: KeyRing, *, now: dt.datetime,
                      revoke_previous: bool = False) -> TicketKey:
    """Make the organisation's next ticket key version (the first one if it has none) and return it.

    The returned key is the only time the secret is shown. Older versions stay valid for
    ``MAX_TICKET_LIFETIME`` from now, or stop at once with ``revoke_previous``.
    """
    serialise(session, "ticket_key", organisation_id)
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(RegistryCode.UNKNOWN_ORGANISATION, f"no organisation {organisation_id} is registered.")
    latest = session.scalar(select(func.max(SealedTicketKey.version))
                            .where(SealedTicketKey.organisation_id == organisation_id)) or 0
    key = TicketKey.generate(organisation_id, latest + 1)
    until = now if revoke_previous else now + MAX_TICKET_LIFETIME
    for row in session.scalars(select(SealedTicketKey).where(SealedTicketKey.organisation_id == organisation_id)):
        if row.valid_until is None or row.valid_until > until:
            row.valid_until = until
    secret_text = base64.b64encode(key.secret).decode("ascii")
    session.add(SealedTicketKey(organisation_id=organisation_id, version=key.version, created_at=now,
                             sealed_secret=seal(secret_text, ring.current,
                                                associated_data=_aad(organisation_id, key.version))))
    session.flush()
    return key


def current_ticket_key(session: Session, organisation_id: str, ring: KeyRing, *, now: dt.datetime) -> TicketKey | None:
    """The organisation's newest usable key (for arvio's own demo page), or None."""
    row = session.scalar(select(SealedTicketKey).where(SealedTicketKey.organisation_id == organisation_id)
                         .order_by(SealedTicketKey.version.desc()).limit(1))
    if row is None or (row.valid_until is not None and row.valid_until <= now):
        return None
    return _unseal(row, ring)


def _unseal(row: SealedTicketKey, ring: KeyRing) -> TicketKey:
    try:
        text = open_sealed(row.sealed_secret, ring, associated_data=_aad(row.organisation_id, row.version))
    except SealError:
        raise DomainError(RatingsCode.TICKET_KEY_UNREADABLE,
                          f"ticket key version {row.version} of {row.organisation_id} "
                          "cannot be opened with the master key ring; rotate the ticket key.") from None
    return TicketKey(row.organisation_id, row.version, base64.b64decode(text))


def verify_ticket(session: Session, ring: KeyRing, text: str, *, now: dt.datetime,
                  grace: dt.timedelta = dt.timedelta(0)) -> Ticket:
    """A genuine, unexpired ticket; :class:`TicketError` (MALFORMED, FORGED, EXPIRED, KEY_RETIRED…) otherwise.

    Does not consume it: see :func:`consume_ticket`.
    """
    ticket = parse_ticket(text)
    row = session.get(SealedTicketKey, (ticket.organisation_id, ticket.key_version))
    if row is None:
        raise TicketError(RatingsCode.TICKET_FORGED, f"organisation {ticket.organisation_id} has no ticket key version "
                                                     f"{ticket.key_version}; mint tickets with the key arvio issued.")
    if row.valid_until is not None and row.valid_until <= now:
        raise TicketError(RatingsCode.TICKET_KEY_RETIRED,
                          f"ticket key version {ticket.key_version} was rotated out at "
                          f"{row.valid_until.isoformat()}; mint tickets with the new key.")
    try:
        key = _unseal(row, ring)
    except DomainError:
        raise TicketError(RatingsCode.TICKET_KEY_RETIRED,
                          f"ticket key version {ticket.key_version} can no longer be opened "
                          "(its master key was destroyed); rotate the ticket key.") from None
    ticket.check(key, now=now, grace=grace)
    return ticket


def consume_ticket(session: Session, ticket: Ticket, *, now: dt.datetime) -> bool:
    """Record the ticket as used; False when it had been used before (a replay)."""
    table: Table = TicketUse.__table__  # type: ignore[assignment]
    stmt = (dialect_insert(session, table)
            .values(organisation_id=ticket.organisation_id, nonce=ticket.nonce, service_id=ticket.service_id,
                    used_at=now, expires_at=ticket.expires_at)
            .on_conflict_do_nothing(index_elements=["organisation_id", "nonce"])
            .returning(table.c.nonce))
    return session.scalar(stmt) is not None


def prune_ticket_uses(session: Session, *, now: dt.datetime) -> int:
    """Forget used tickets that expired more than a day ago (they are refused as expired anyway)."""
    result = session.execute(delete(TicketUse).where(TicketUse.expires_at < now - dt.timedelta(days=1)))
    return int(result.rowcount)  # type: ignore[attr-defined]
