"""GraphQL of rating-ticket keys: an organisation (or an admin for it) makes and rotates its ticket key."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.audit.log import record
from federation.auth.models import Role
from federation.errors import AuthCode, DomainError, Forbidden
from federation.ratings.models import SealedTicketKey
from federation.ratings.ticket_keys import rotate_ticket_key
from federation.registry.service import known_organisation, normalise_business_id
from schema.graphql.context import Context
from schema.graphql.ratings.widget import runtime


@strawberry.type(description="A new ticket key. `key` is shown only here, once: store it in the e-service's back "
                             "end and mint tickets with it (docs/WIDGET.md, `arvio ticket mint`).")
class NewTicketKey:
    organisation_id: str = strawberry.field(description="The organisation's business ID.")
    version: int = strawberry.field(description="The key version (written into every ticket).")
    key: str = strawberry.field(description="The key: tk1.<business id>.<version>.<secret>. Keep it secret.")
    previous_valid_until: dt.datetime | None = strawberry.field(description="When older versions stop "
                                                                            "verifying tickets (null: none).")


@strawberry.type(description="One version of an organisation's ticket key (never the secret).")
class TicketKeyVersion:
    version: int = strawberry.field(description="The key version.")
    created_at: dt.datetime = strawberry.field(description="When it was made.")
    valid_until: dt.datetime | None = strawberry.field(description="When it stops verifying (null: current).")


def _organisation(ctx: Context, organisation_id: str | None) -> tuple[str, str]:
    principal = ctx.require(Role.ORGANISATION, Role.ADMIN)
    if principal.role is Role.ORGANISATION:
        own = ctx.require_organisation()
        if organisation_id and normalise_business_id(organisation_id) != own:
            raise Forbidden("an organisation manages only its own ticket key; leave organisationId out.")
        return own, principal.actor
    if not organisation_id:
        raise DomainError(AuthCode.ORGANISATION_REQUIRED, "admins must name the organisation (organisationId).")
    return known_organisation(ctx.session, organisation_id), principal.actor


@strawberry.type
class TicketsQuery:
    @strawberry.field(description="The versions of your organisation's ticket key (ORGANISATION; admins name "
                                  "the organisation).")
    def ticket_keys(self, info: Info[Context, None], organisation_id: Annotated[str | None, strawberry.argument(
            description="Admins: whose keys.")] = None) -> list[TicketKeyVersion]:
        organisation, _ = _organisation(info.context, organisation_id)
        rows = info.context.session.scalars(
            select(SealedTicketKey).where(SealedTicketKey.organisation_id == organisation)
            .order_by(SealedTicketKey.version))
        return [TicketKeyVersion(version=r.version, created_at=r.created_at, valid_until=r.valid_until) for r in rows]


@strawberry.type
class TicketsMutation:
    @strawberry.mutation(description="Create or rotate the organisation's rating-ticket key (ORGANISATION for "
                                     "itself, ADMIN for any). Older versions keep verifying for 24 h (tickets "
                                     "already handed out stay good) unless revokePrevious is true.")
    def rotate_ticket_key(
        self, info: Info[Context, None],
        organisation_id: Annotated[str | None, strawberry.argument(description="Admins: whose key.")] = None,
        revoke_previous: Annotated[bool, strawberry.argument(description="Stop older versions at once (a leaked "
                                                                         "key).")] = False,
    ) -> NewTicketKey:
        ctx = info.context
        organisation, actor = _organisation(ctx, organisation_id)
        key = rotate_ticket_key(ctx.session, organisation, runtime(ctx.services).ring, now=ctx.now,
                                revoke_previous=revoke_previous)
        record(ctx.session, actor=actor, action="ticket_key.rotate", subject=organisation, now=ctx.now,
               version=key.version, revoke_previous=revoke_previous)
        previous = ctx.session.scalar(select(SealedTicketKey.valid_until).where(
            SealedTicketKey.organisation_id == organisation, SealedTicketKey.version == key.version - 1))
        return NewTicketKey(organisation_id=organisation, version=key.version, key=str(key),
                            previous_valid_until=previous)
