"""Issuing and checking bearer tokens. A token is shown once; only its SHA-256 hash is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.auth.models import ApiToken, Role
from federation.errors import AuthCode, DomainError, Forbidden, RegistryCode, ResearchCode, Unauthenticated
from federation.registry.models import Organisation
from federation.research.models import RegisteredResearcher
from federation.research.researchers import researcher_key

TOKEN_PREFIX = "arvio_"  # noqa: S105 - a public marker that makes leaked tokens easy to find, not a secret


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's role and, for ORGANISATION, the organisation it is bound to."""

    token_id: int
    role: Role
    organisation_id: str | None
    label: str

    @property
    def actor(self) -> str:
        """How the audit trail names this caller (never the token itself)."""
        return f"token:{self.token_id}:{self.label}"


def hash_token(plaintext: str) -> str:
    """The stored form of a token. Tokens carry 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def issue_token(
    session: Session, *, role: Role, label: str, now: dt.datetime,
    organisation_id: str | None = None, expires_at: dt.datetime | None = None,
) -> tuple[str, ApiToken]:
    """Create a token; returns the plaintext (to show once) and the stored row."""
    if role is Role.ORGANISATION and organisation_id is None:
        raise DomainError(AuthCode.ORGANISATION_REQUIRED,
                          "An ORGANISATION token must name its organisation's business ID.")
    if role is not Role.ORGANISATION and organisation_id is not None:
        raise DomainError(AuthCode.ORGANISATION_NOT_ALLOWED, f"A {role.value} token is not bound to an organisation; "
                                                             "leave the organisation out.")
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise DomainError(RegistryCode.UNKNOWN_ORGANISATION, f"No organisation {organisation_id} is registered.")
    if expires_at is not None and expires_at <= now:
        raise DomainError(AuthCode.EXPIRY_IN_PAST, "The expiry time is in the past; give a future time or none.")
    if role is Role.RESEARCHER:
        label = _registered_researcher(session, label)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(token_hash=hash_token(plaintext), prefix=plaintext[:12], role=role,
                   organisation_id=organisation_id, label=label, created_at=now, expires_at=expires_at)
    session.add(row)
    session.flush()
    return plaintext, row


def _registered_researcher(session: Session, label: str) -> str:
    """A RESEARCHER token's label: the key of a registered researcher (their budget's owner)."""
    key = researcher_key(label)
    if session.get(RegisteredResearcher, key) is None:
        raise DomainError(ResearchCode.RESEARCHER_NOT_REGISTERED,
                          f"No researcher {key!r} is registered; register them first "
                          "(arvio researcher register NAME, or registerResearcher) and "
                          "issue the token under that name.")
    return key


def authenticate(session: Session, plaintext: str, *, now: dt.datetime) -> Principal:
    """The principal of a presented token; refuses unknown, revoked and expired tokens."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("The bearer token is not valid; ask your arvio operator for a token.")
    if row.expires_at is not None and row.expires_at <= now:
        raise Unauthenticated("The bearer token has expired; ask your arvio operator for a new one.")
    return Principal(token_id=row.id, role=row.role, organisation_id=row.organisation_id, label=row.label)


MAX_TOKEN_ID = 2**31 - 1
"""Largest id an ``api_token`` row can have (a 32-bit integer column)."""


def revoke_token(session: Session, token_id: int, *, now: dt.datetime) -> ApiToken:
    """Revoke a token at once: every later request with it is refused (:func:`authenticate` reads the row each
    time). Revoking a revoked token keeps its first revocation time."""
    row = session.get(ApiToken, token_id) if 1 <= token_id <= MAX_TOKEN_ID else None
    if row is None:
        raise DomainError(AuthCode.UNKNOWN_TOKEN, f"No token with id {token_id}; see arvio token list.")
    if row.revoked_at is None:
        row.revoked_at = now
    return row


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, oldest first (rows hold only the hash, never the token)."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def require_role(principal: Principal | None, *roles: Role) -> Principal:
    """The principal if it has one of ``roles``; otherwise a clear refusal."""
    if principal is None:
        raise Unauthenticated("This needs a bearer token (Authorization: Bearer arvio_…).")
    if principal.role not in roles:
        allowed = " or ".join(r.value for r in roles)
        raise Forbidden(f"This needs a {allowed} token; yours is {principal.role.value}.")
    return principal
