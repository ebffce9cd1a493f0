"""The ``arvio ticket`` commands: mint a rating ticket (for e-service back ends) and rotate a ticket key.

``arvio ticket mint`` needs no database: it signs with the ticket key given in ``--key-file`` or in
``ARVIO_TICKET_KEY``. ``arvio ticket rotate-key`` is the operator's way to make an organisation's key.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from federation.audit.log import record
from federation.db import Database, utcnow
from federation.errors import RatingsCode
from federation.privacy.keyring import open_key_ring
from federation.ratings.ticket_keys import rotate_ticket_key
from federation.ratings.tickets import MAX_TICKET_LIFETIME, TicketError, TicketKey, mint_ticket
from federation.registry.service import normalise_business_id
from federation.settings import Settings

KEY_VARIABLE = "ARVIO_TICKET_KEY"


def _ticket_key(args: argparse.Namespace) -> TicketKey:
    if args.key_file:
        return TicketKey.parse(Path(args.key_file).read_text(encoding="utf-8"))
    text = os.environ.get(KEY_VARIABLE, "")
    if not text.strip():
        raise TicketError(RatingsCode.TICKET_KEY_MISSING,
                          f"give the ticket key with --key-file or in {KEY_VARIABLE} "
                          "(make one with `arvio ticket rotate-key --org <business id>`).")
    return TicketKey.parse(text)


def cmd_ticket_mint(args: argparse.Namespace, settings: Settings) -> int:
    """Print one rating ticket for the service (and channel)."""
    ticket = mint_ticket(_ticket_key(args), service_id=args.service, channel_id=args.channel,
                         lifetime=dt.timedelta(minutes=args.ttl_minutes))
    print(ticket)
    return 0


def cmd_ticket_rotate_key(args: argparse.Namespace, settings: Settings) -> int:
    """Make the organisation's next ticket key and print it once."""
    organisation = normalise_business_id(args.org)
    now = utcnow()
    with Database(settings).transaction() as session:
        key = rotate_ticket_key(session, organisation, open_key_ring(settings), now=now,
                                revoke_previous=args.revoke_previous)
        record(session, actor="cli", action="ticket_key.rotate", subject=organisation, now=now,
               version=key.version, revoke_previous=args.revoke_previous)
    print(f"ticket key version {key.version} of {organisation}; shown once, give it to the e-service's back end "
          f"(e.g. as {KEY_VARIABLE}):", file=sys.stderr)
    print(str(key))
    return 0


def add_ticket_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``arvio ticket mint`` and ``arvio ticket rotate-key``."""
    ticket = sub.add_parser("ticket", help="rating tickets for direct widget answers").add_subparsers(
        dest="action", required=True)
    mint = ticket.add_parser("mint", help="print a one-time rating ticket (signed with your ticket key)")
    mint.add_argument("--service", required=True, help="PTV service id")
    mint.add_argument("--channel", help="PTV channel id (as the widget's data-channel)")
    longest = int(MAX_TICKET_LIFETIME.total_seconds() // 60)
    mint.add_argument("--ttl-minutes", type=int, default=60,
                      help=f"lifetime in minutes (default 60, at most {longest})")
    mint.add_argument("--key-file", help=f"file holding the ticket key (default: ${KEY_VARIABLE})")
    mint.set_defaults(handler=cmd_ticket_mint)
    rotate = ticket.add_parser("rotate-key", help="make (or rotate) an organisation's ticket key; printed once")
    rotate.add_argument("--org", required=True, help="business ID")
    rotate.add_argument("--revoke-previous", action="store_true", help="older versions stop at once (leaked key)")
    rotate.set_defaults(handler=cmd_ticket_rotate_key)
