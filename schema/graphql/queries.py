"""Root queries over the registry and the public score."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from graphql import GraphQLResolveInfo
from sqlalchemy import select
from strawberry.types import Info

from federation.errors import DomainError, NotFound
from federation.ratings.rollups import hour_of
from federation.registry import models
from federation.registry.service import normalise_business_id
from federation.scores.reading import Window, read_score
from schema.graphql.context import Context, Services
from schema.graphql.registry import Organisation, Service, expect_services, get_service
from schema.graphql.scores import PublicScore

MAX_PAGE = 500
PUBLIC_WINDOW = dt.timedelta(days=365)


def public_window(now: dt.datetime) -> Window:
    """The public score's window: the last 365 days up to the end of the current hour (stable for caching)."""
    end = hour_of(now) + dt.timedelta(hours=1)
    return Window(end - PUBLIC_WINDOW, end)


def cached_public_score(services: Services, service_id: str, question_id: str,
                        now: dt.datetime) -> PublicScore | None:
    """The public score from the per-process cache, or None (no database touched)."""
    cached = services.public_scores.get(service_id.strip().lower(), (question_id, public_window(now).end))
    return cached if isinstance(cached, PublicScore) else None


def public_score_for(ctx: Context, service_id: str, question_id: str) -> PublicScore:
    """Other users' rating: from the cache when fresh, else read from the rollups and cached (ingest invalidates)."""
    cached = cached_public_score(ctx.services, service_id, question_id, ctx.now)
    if cached is not None:
        return cached
    row = ctx.session.get(models.Service, str(service_id).strip().lower())
    if row is None:
        raise NotFound("UNKNOWN_SERVICE", f"No service {service_id} is registered in arvio; use the service's "
                                          "PTV id.")
    window = public_window(ctx.now)
    result = PublicScore.from_record(read_score(
        ctx.session, service_id=row.id, question_id=question_id, window=window,
        publication_threshold=ctx.settings.publication_threshold))
    ctx.services.public_scores.put(row.id, (question_id, window.end), result)
    return result


def fast_public_score(_root: object, info: GraphQLResolveInfo[Context], serviceId: str,  # noqa: N803
                      questionId: str = "national.transaction-smooth") -> PublicScore:  # noqa: N803
    """graphql-core resolver of ``publicScore`` (the widget's hottest read), skipping strawberry's per-field work."""
    return public_score_for(info.context, serviceId, questionId)


@strawberry.type
class RegistryQuery:
    @strawberry.field(description="One service by its PTV id, or null when arvio does not know it.")
    def service(self, info: Info[Context, None], id: strawberry.ID) -> Service | None:
        try:
            return Service.from_model(get_service(info, id))
        except DomainError:
            return None

    @strawberry.field(description=f"Services in id order, at most {MAX_PAGE} per page.")
    def services(self, info: Info[Context, None],
                 first: Annotated[int, strawberry.argument(description=f"Page size, 1–{MAX_PAGE}.")] = 100,
                 after: Annotated[strawberry.ID | None, strawberry.argument(
                     description="Return services whose id sorts after this one.")] = None,
                 organisation_id: Annotated[str | None, strawberry.argument(
                     description="Only services this organisation reports for.")] = None) -> list[Service]:
        if not 1 <= first <= MAX_PAGE:
            raise DomainError("PAGE_TOO_LARGE", f"first must be 1–{MAX_PAGE}; page with `after`.")
        stmt = select(models.Service).order_by(models.Service.id).limit(first)
        if after:
            stmt = stmt.where(models.Service.id > after)
        if organisation_id:
            stmt = stmt.join(models.ServiceOrganisation).where(
                models.ServiceOrganisation.organisation_id == normalise_business_id(organisation_id))
        rows = list(info.context.session.scalars(stmt))
        expect_services(info.context, [row.id for row in rows])
        return [Service.from_model(row) for row in rows]

    @strawberry.field(description="One organisation by business ID, or null.")
    def organisation(self, info: Info[Context, None], business_id: Annotated[str, strawberry.argument(
            description="Business ID (Y-tunnus), e.g. 0245437-2.")]) -> Organisation | None:
        row = info.context.session.get(models.Organisation, normalise_business_id(business_id))
        return None if row is None else Organisation.from_model(row)

    @strawberry.field(description="Other users' rating of a service over the last 365 days; no token needed. "
                                  "Below the publication threshold only `published: false` is shown.")
    def public_score(
        self, info: Info[Context, None],
        service_id: Annotated[strawberry.ID, strawberry.argument(description="The service's PTV id.")],
        question_id: Annotated[strawberry.ID, strawberry.argument(
            description="The question; default national.transaction-smooth.")] = strawberry.ID(
            "national.transaction-smooth"),
    ) -> PublicScore:
        return public_score_for(info.context, service_id, question_id)
