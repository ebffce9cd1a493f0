"""Rating tickets: one-time permissions, minted by an e-service's back end, to send one answer straight to arvio.

This module uses only the Python standard library, so an e-service back end may copy it as it is (or use
``arvio ticket mint``). Formats (all ASCII, fields separated by ``.``)::

    ticket key  tk1.<business id>.<key version>.<secret: base64url of 32 bytes>
    ticket      t1.<business id>.<service id>.<channel id or ->.<expires: Unix seconds>.<nonce>.<key version>.<mac>
    mac         base64url(HMAC-SHA-256(secret, every ticket field before ".<mac>", as written)), no padding

``service id``/``channel id`` are PTV GUIDs in lower case with hyphens; ``nonce`` is 16-64 characters of
base64url (the minting helper uses 16 random bytes). arvio refuses a ticket whose expiry is more than
:data:`MAX_TICKET_LIFETIME` ahead, and accepts each (organisation, nonce) once.

Guarantee: without the organisation's ticket key nobody can make a ticket arvio accepts, or change a field of
one. Limits: a ticket is a bearer permission until used; send it to the citizen's browser over HTTPS only and
keep the lifetime short.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass, field

from federation.errors import RatingsCode

KEY_PREFIX = "tk1"
TICKET_PREFIX = "t1"
SECRET_BYTES = 32
DEFAULT_LIFETIME = dt.timedelta(hours=1)
MAX_TICKET_LIFETIME = dt.timedelta(hours=24)
"""The longest a ticket may live; tickets announcing a later expiry are refused."""

_BUSINESS_ID = re.compile(r"^[0-9]{7}-[0-9]$")
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_MAC = re.compile(r"^[A-Za-z0-9_-]{43}$")


class TicketError(ValueError):
    """A ticket or key that cannot be used; ``code`` is stable (TICKET_MALFORMED, TICKET_FORGED, …)."""

    def __init__(self, code: RatingsCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _guid(raw: str, what: str) -> str:
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise TicketError(RatingsCode.TICKET_MALFORMED,
                          f"the {what} id {raw!r} is not a GUID; use the PTV id.") from None


@dataclass(frozen=True)
class TicketKey:
    """An organisation's ticket key (one version). ``str(key)`` is the ``tk1.…`` text: keep it secret."""

    organisation_id: str
    version: int
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not _BUSINESS_ID.match(self.organisation_id) or not 1 <= self.version <= 65535 \
                or len(self.secret) != SECRET_BYTES:
            raise TicketError(RatingsCode.TICKET_KEY_MALFORMED, "a ticket key names a business ID (1234567-8), a "
                                                                "version 1-65535 and a 32-byte secret.")

    def __str__(self) -> str:
        return f"{KEY_PREFIX}.{self.organisation_id}.{self.version}.{_b64(self.secret)}"

    @classmethod
    def parse(cls, text: str) -> TicketKey:
        """The key written by ``str(key)``; :class:`TicketError` ``TICKET_KEY_MALFORMED`` otherwise."""
        parts = text.strip().split(".")
        try:
            if len(parts) != 4 or parts[0] != KEY_PREFIX:
                raise ValueError
            return cls(parts[1], int(parts[2]), _unb64(parts[3]))
        except (ValueError, binascii.Error):
            raise TicketError(RatingsCode.TICKET_KEY_MALFORMED,
                              "not a ticket key: expected tk1.<business id>.<version>."
                              "<secret>, as arvio showed it when the key was made.") from None

    @classmethod
    def generate(cls, organisation_id: str, version: int) -> TicketKey:
        """A new random key."""
        return cls(organisation_id, version, secrets.token_bytes(SECRET_BYTES))


def _mac(secret: bytes, signed: str) -> str:
    return _b64(hmac.new(secret, signed.encode("ascii"), hashlib.sha256).digest())


def mint_ticket(key: TicketKey | str, *, service_id: str, channel_id: str | None = None,
                now: dt.datetime | None = None, lifetime: dt.timedelta = DEFAULT_LIFETIME,
                nonce: str | None = None) -> str:
    """A ticket for one answer about ``service_id`` (and ``channel_id``), valid for ``lifetime``.

    Mint it when the e-service's final page is rendered and put it in the widget's ``data-ticket``.
    """
    key = TicketKey.parse(key) if isinstance(key, str) else key
    if not dt.timedelta(0) < lifetime <= MAX_TICKET_LIFETIME:
        raise TicketError(RatingsCode.TICKET_TOO_LONG_LIVED, f"a ticket lives at most {MAX_TICKET_LIFETIME}; "
                                                             "choose a shorter lifetime.")
    expires = int(((now or dt.datetime.now(dt.UTC)) + lifetime).timestamp())
    nonce = nonce or _b64(secrets.token_bytes(16))
    if not _NONCE.match(nonce):
        raise TicketError(RatingsCode.TICKET_MALFORMED, "a nonce is 16-64 characters of A-Z, a-z, 0-9, '-' and '_'.")
    channel = _guid(channel_id, "channel") if channel_id else "-"
    signed = ".".join((TICKET_PREFIX, key.organisation_id, _guid(service_id, "service"), channel, str(expires),
                       nonce, str(key.version)))
    return f"{signed}.{_mac(key.secret, signed)}"


@dataclass(frozen=True)
class Ticket:
    """A parsed (not yet verified) ticket."""

    organisation_id: str
    service_id: str
    channel_id: str | None
    expires_at: dt.datetime
    nonce: str
    key_version: int
    signed: str = field(repr=False)
    mac: str = field(repr=False)

    @property
    def client_ref(self) -> str:
        """The clientRef of the answer sent with this ticket: one ticket, one answer."""
        return "ticket:" + self.nonce

    def check(self, key: TicketKey, *, now: dt.datetime, grace: dt.timedelta = dt.timedelta(0)) -> None:
        """Refuse a forged (``TICKET_FORGED``), expired (``TICKET_EXPIRED``) or too long-lived ticket.

        ``grace`` extends the expiry (used for the follow-up of an answer already accepted).
        """
        if key.organisation_id != self.organisation_id or key.version != self.key_version \
                or not hmac.compare_digest(self.mac, _mac(key.secret, self.signed)):
            raise TicketError(RatingsCode.TICKET_FORGED,
                              "the ticket's signature does not match the organisation's ticket "
                              "key; mint tickets with the current key (arvio ticket mint).")
        if self.expires_at + grace <= now:
            raise TicketError(RatingsCode.TICKET_EXPIRED, f"the ticket expired at {self.expires_at.isoformat()}; the "
                                                          "e-service must mint a new one when the page is shown.")
        if self.expires_at > now + MAX_TICKET_LIFETIME:
            raise TicketError(RatingsCode.TICKET_TOO_LONG_LIVED, f"the ticket expires more than {MAX_TICKET_LIFETIME} "
                                                                 "from now; mint tickets with a shorter lifetime.")


def parse_ticket(text: str) -> Ticket:
    """The fields of a ticket; :class:`TicketError` ``TICKET_MALFORMED`` when it is not one."""
    parts = text.strip().split(".") if isinstance(text, str) and len(text) <= 400 else []
    if len(parts) != 8 or parts[0] != TICKET_PREFIX:
        raise TicketError(RatingsCode.TICKET_MALFORMED, "not a rating ticket: expected t1.<business id>.<service id>."
                                                        "<channel id or ->.<expires>.<nonce>.<key version>.<mac>.")
    _, org, service, channel, expires, nonce, version, mac = parts
    if not (_BUSINESS_ID.match(org) and expires.isdigit() and version.isdigit() and _NONCE.match(nonce)
            and _MAC.match(mac)) or len(expires) > 12:
        raise TicketError(RatingsCode.TICKET_MALFORMED, "a field of the rating ticket is malformed; send it unchanged, "
                                                        "as the e-service minted it.")
    return Ticket(org, _guid(service, "service"), None if channel == "-" else _guid(channel, "channel"),
                  dt.datetime.fromtimestamp(int(expires), dt.UTC), nonce, int(version),
                  text.strip().rsplit(".", 1)[0], mac)
