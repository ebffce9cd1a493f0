"""GraphQL of the publishing workflow: list publications, create a draft, publish, discard (admins)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from federation.auth.models import Role
from federation.errors import NotFound
from federation.publication import service
from federation.publication.models import Publication as PublicationRow
from federation.publication.models import PublicationStatus as StatusModel
from federation.publication.periods import Period
from schema.graphql.context import Context

PublicationNumber = Annotated[int, strawberry.argument(description="The publication number (1, 2, …).")]


@strawberry.enum(description="A draft can still be discarded; a published publication never changes.")
class PublicationStatus(Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


@strawberry.enum(description="How a published cell differs from the publication this one replaces.")
class ChangeKind(Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@strawberry.type(description="One changed cell of a corrected publication.")
class PublicationChange:
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    channel_id: strawberry.ID | None = strawberry.field(description="The channel; null for the service total.")
    question_id: strawberry.ID = strawberry.field(description="The question.")
    wording_version: int = strawberry.field(description="The wording version.")
    change: ChangeKind = strawberry.field(description="Added, removed (fell below the threshold) or changed.")
    count_before: int | None = strawberry.field(description="n in the replaced publication.")
    count_after: int | None = strawberry.field(description="n in this publication.")
    mean_before: float | None = strawberry.field(description="Mean in the replaced publication.")
    mean_after: float | None = strawberry.field(description="Mean in this publication.")

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> PublicationChange:
        """The GraphQL view of a changelog entry."""
        channel = entry.get("channelId")
        return cls(service_id=strawberry.ID(entry["serviceId"]),
                   channel_id=strawberry.ID(channel) if channel else None,
                   question_id=strawberry.ID(entry["questionId"]), wording_version=entry["wordingVersion"],
                   change=ChangeKind(entry["change"]), count_before=entry.get("countBefore"),
                   count_after=entry.get("countAfter"), mean_before=entry.get("meanBefore"),
                   mean_after=entry.get("meanAfter"))


@strawberry.type(description="A numbered publication: a period's published scores, frozen.")
class Publication:
    number: int = strawberry.field(description="The publication number (1, 2, …).")
    period: str = strawberry.field(description="The period, e.g. 2026-Q1.")
    period_from: dt.datetime = strawberry.field(name="from", description="Start of the period (inclusive).")
    period_to: dt.datetime = strawberry.field(name="to", description="End of the period (exclusive).")
    status: PublicationStatus = strawberry.field(description="Draft or published.")
    publication_threshold: int = strawberry.field(description="Smallest n frozen into it.")
    note: str | None = strawberry.field(description="Why it was made (e.g. a correction after erasure).")
    replaces: int | None = strawberry.field(description="The publication of the same period it corrects.")
    created_at: dt.datetime = strawberry.field(description="When the draft was made.")
    published_at: dt.datetime | None = strawberry.field(description="When it was published.")
    changelog: list[PublicationChange] = strawberry.field(description="Cells that differ from `replaces`.")

    @classmethod
    def from_model(cls, row: PublicationRow) -> Publication:
        """The GraphQL view of a publication row."""
        return cls(number=row.number, period=row.period, period_from=row.period_start, period_to=row.period_end,
                   status=PublicationStatus(row.status.value), publication_threshold=row.publication_threshold,
                   note=row.note, replaces=row.replaces_number, created_at=row.created_at,
                   published_at=row.published_at,
                   changelog=[PublicationChange.from_entry(e) for e in row.changelog or []])


def _visible(ctx: Context, row: PublicationRow) -> bool:
    admin = ctx.principal is not None and ctx.principal.role is Role.ADMIN
    return admin or row.status is StatusModel.PUBLISHED


@strawberry.input(description="A draft publication to create.")
class CreatePublicationDraftInput:
    period: str = strawberry.field(description="A period that has ended: 2026, 2026-Q1 or 2026-03 (UTC).")
    note: str | None = strawberry.field(default=None, description="Why (shown with the publication).")


@strawberry.type
class PublicationQuery:
    @strawberry.field(description="Publications, newest first. Published ones are public; drafts are "
                                  "listed for admins only.")
    def publications(self, info: Info[Context, None]) -> list[Publication]:
        ctx = info.context
        rows = service.list_publications(ctx.session)
        return [Publication.from_model(r) for r in rows if _visible(ctx, r)]

    @strawberry.field(description="One publication by number, or null (drafts: admins only).")
    def publication(self, info: Info[Context, None], number: PublicationNumber) -> Publication | None:
        ctx = info.context
        try:
            row = service.get_publication(ctx.session, number)
        except NotFound:
            return None
        return Publication.from_model(row) if _visible(ctx, row) else None


@strawberry.type
class PublicationMutation:
    @strawberry.mutation(description="Freeze a period's published scores as a numbered draft (ADMIN). A draft "
                                     "of a period already published carries a changelog against it.")
    def create_publication_draft(self, info: Info[Context, None],
                                 input: CreatePublicationDraftInput) -> Publication:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        row = service.create_draft(ctx.session, Period.parse(input.period), now=ctx.now, actor=actor.actor,
                                   publication_threshold=ctx.settings.publication_threshold, note=input.note)
        return Publication.from_model(row)

    @strawberry.mutation(description="Publish a draft (ADMIN); from then on it never changes.")
    def publish_publication(self, info: Info[Context, None], number: PublicationNumber) -> Publication:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        return Publication.from_model(service.publish(ctx.session, number, now=ctx.now, actor=actor.actor))

    @strawberry.mutation(description="Discard a draft (ADMIN); published publications cannot be discarded.")
    def discard_publication_draft(self, info: Info[Context, None], number: PublicationNumber) -> bool:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        service.discard_draft(ctx.session, number, now=ctx.now, actor=actor.actor)
        return True
