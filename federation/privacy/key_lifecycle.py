"""What retained data still needs each master key version, and destroying a version nobody needs.

Destroying version V (``arvio keys destroy V``) removes it from the key file. What happens then:

- pseudonyms made under V stay in their ratings but nobody can recompute them any more: erasure requests and
  de-duplication can no longer find those ratings (retention clears the pseudonyms anyway, 30 days after their
  quarter ends), so they are pseudonymous to nobody;
- free text and ticket-key secrets sealed under V can no longer be opened: the text is as good as deleted and an
  organisation whose ticket key it was must rotate its ticket key.

So destruction is refused while retained data still needs V, unless forced. Normally wait: pseudonyms under V are
gone about four months after the rotation; sealed free text goes with its ratings after ``retention_days``.
Copies of the key file in backups are the operator's to destroy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, LargeBinary, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.errors import DomainError, PrivacyCode
from federation.privacy.keyring import key_file_path, open_key_ring
from federation.ratings.models import Rating, SealedTicketKey
from federation.settings import Settings
from pseudonymize.keys import KeyRing, save_key_ring


@dataclass(frozen=True)
class KeyUsage:
    """How much retained data needs one master key version."""

    version: int
    pseudonyms: int
    free_texts: int
    ticket_keys: int

    @property
    def needed(self) -> bool:
        """Whether destroying the version would make retained data unmatchable or unreadable."""
        return bool(self.pseudonyms or self.free_texts or self.ticket_keys)

    def describe(self) -> str:
        """E.g. ``"12 pseudonyms, 3 sealed free texts, 0 live ticket keys"``."""
        return (f"{self.pseudonyms} pseudonyms, {self.free_texts} sealed free texts, "
                f"{self.ticket_keys} live ticket keys")


def _sealed_under(column: Any, version: int) -> ColumnElement[bool]:
    # A sealed blob starts with b"v" and the key version in two bytes (pseudonymize.seal).
    header = b"v" + version.to_bytes(2, "big")
    return func.substr(column, 1, 3) == type_coerce(header, LargeBinary)


def key_usage(session: Session, version: int, *, now: dt.datetime) -> KeyUsage:
    """Count the retained pseudonyms, sealed free texts and live ticket keys made under ``version``."""
    pseudonyms = session.scalar(select(func.count()).select_from(Rating)
                                .where(Rating.pseudonym.like(f"v{version}:%")))
    texts = session.scalar(select(func.count()).select_from(Rating).where(
        Rating.free_text.is_not(None), _sealed_under(Rating.free_text, version)))
    tickets = session.scalar(select(func.count()).select_from(SealedTicketKey).where(
        or_(SealedTicketKey.valid_until.is_(None), SealedTicketKey.valid_until > now),
        _sealed_under(SealedTicketKey.sealed_secret, version)))
    return KeyUsage(version, int(pseudonyms or 0), int(texts or 0), int(tickets or 0))


def key_usages(session: Session, ring: KeyRing, *, now: dt.datetime) -> list[KeyUsage]:
    """The usage of every version in ``ring``, oldest first."""
    return [key_usage(session, version, now=now) for version in ring.versions]


def destroy_key(settings: Settings, session: Session, version: int, *, now: dt.datetime, actor: str,
                force: bool = False) -> KeyUsage:
    """Remove ``version`` from the key file (see the module docstring); audited in the caller's transaction.

    :class:`DomainError` ``UNKNOWN_KEY_VERSION``, ``KEY_STILL_NEEDED`` (retained data needs it and ``force`` is
    False); ``ValueError`` for the current or only key, or keys kept in ``ARVIO_MASTER_KEY``.
    """
    path = key_file_path(settings)
    if path is None:
        raise ValueError("keys in ARVIO_MASTER_KEY cannot be destroyed in place; move them to a key file "
                         "(ARVIO_KEY_FILE) first, or remove the version from the variable yourself.")
    ring = open_key_ring(settings)
    if version not in ring.versions:
        raise DomainError(PrivacyCode.UNKNOWN_KEY_VERSION,
                          f"key version {version} is not in the key file (it holds "
                          f"{', '.join(map(str, ring.versions))}); nothing was destroyed.")
    remaining = ring.without(version)  # refuses the current (and only) key before anything is counted
    usage = key_usage(session, version, now=now)
    if usage.needed and not force:
        raise DomainError(PrivacyCode.KEY_STILL_NEEDED,
                          f"key version {version} is still needed by retained data "
                          f"({usage.describe()}); wait until retention has cleared them, or "
                          "pass --force to make them unmatchable and unreadable for good.")
    record(session, actor=actor, action="keys.destroy", subject=str(version), now=now, forced=force,
           pseudonyms=usage.pseudonyms, free_texts=usage.free_texts, ticket_keys=usage.ticket_keys)
    session.flush()
    save_key_ring(path, remaining)
    return usage
