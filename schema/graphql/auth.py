"""GraphQL of tokens: issuing (shown once), revoking, and who am I."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from federation.audit.log import record
from federation.auth.models import Role
from federation.auth.tokens import issue_token, revoke_token
from federation.registry.service import normalise_business_id
from schema.graphql.context import Context

RoleEnum = strawberry.enum(Role, name="Role", description="What a token may do.")


@strawberry.input(description="A token to issue.")
class IssueTokenInput:
    role: RoleEnum = strawberry.field(description="The token's role.")  # type: ignore[valid-type]
    label: str = strawberry.field(description="Who or what uses it (shown in the audit trail).")
    organisation_id: str | None = strawberry.field(default=None, description="Business ID; required for "
                                                   "ORGANISATION tokens, refused for others.")
    expires_at: dt.datetime | None = strawberry.field(default=None, description="Expiry; none means no expiry.")


@strawberry.type(description="A newly issued token. The token text is shown only here, once.")
class IssuedToken:
    id: int = strawberry.field(description="The token's id (for revoking).")
    token: str = strawberry.field(description="The bearer token; store it now, it cannot be shown again.")
    role: RoleEnum = strawberry.field(description="The token's role.")  # type: ignore[valid-type]
    organisation_id: str | None = strawberry.field(description="Bound organisation, for ORGANISATION tokens.")
    expires_at: dt.datetime | None = strawberry.field(description="Expiry, if any.")


@strawberry.type(description="The caller, as identified by the bearer token.")
class Viewer:
    role: RoleEnum = strawberry.field(description="The token's role.")  # type: ignore[valid-type]
    organisation_id: str | None = strawberry.field(description="Bound organisation, for ORGANISATION tokens.")
    label: str = strawberry.field(description="The token's label.")


@strawberry.type
class AuthQuery:
    @strawberry.field(description="The caller of this request; null without a token.")
    def viewer(self, info: Info[Context, None]) -> Viewer | None:
        p = info.context.principal
        return None if p is None else Viewer(role=p.role, organisation_id=p.organisation_id, label=p.label)


@strawberry.type
class AuthMutation:
    @strawberry.mutation(description="Issue a token (ADMIN). The token is returned once and stored only hashed.")
    def issue_token(self, info: Info[Context, None], input: IssueTokenInput) -> IssuedToken:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        org = normalise_business_id(input.organisation_id) if input.organisation_id else None
        plaintext, row = issue_token(ctx.session, role=input.role, label=input.label, now=ctx.now,
                                     organisation_id=org, expires_at=input.expires_at)
        record(ctx.session, actor=actor.actor, action="token.issue", subject=str(row.id), now=ctx.now,
               role=row.role.value, organisation=org)
        return IssuedToken(id=row.id, token=plaintext, role=row.role, organisation_id=org, expires_at=row.expires_at)

    @strawberry.mutation(description="Revoke a token at once (ADMIN).")
    def revoke_token(self, info: Info[Context, None], id: int) -> bool:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        revoke_token(ctx.session, id, now=ctx.now)
        record(ctx.session, actor=actor.actor, action="token.revoke", subject=str(id), now=ctx.now)
        return True
