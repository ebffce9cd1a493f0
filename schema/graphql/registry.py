"""GraphQL of the registry: organisations, services and channels, the root queries over them (``publicScore``
included), and the admins' mutations."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.audit.log import record
from federation.auth.models import Role
from federation.errors import DomainError, NotFound, RegistryCode, RequestCode
from federation.registry import models, queries, service
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, normalise_business_id
from federation.scores.reading import Window, read_score
from schema.graphql.context import Context
from schema.graphql.loaders import BatchLoader
from schema.graphql.locale import Locale, pick
from schema.graphql.ratings.drivers import DriverSummary, driver_summary
from schema.graphql.scores import PublicScore, Score, public_score_for
from schema.graphql.volumes import ServiceKpis, resolve_service_kpis

ChannelTypeEnum = strawberry.enum(ChannelType, name="ChannelType",
                                  description="PTV service channel type, plus Chat and Kiosk.")


@strawberry.enum(description="Whether a service is in the catalogue or archived (archived services keep "
                             "their ratings).")
class ServiceStatus(Enum):
    ACTIVE = "active"
    ARCHIVED = "archived"


DEFAULT_QUESTION = strawberry.ID("national.transaction-smooth")
QuestionArg = Annotated[strawberry.ID, strawberry.argument(description="The question; default "
                                                                       "national.transaction-smooth.")]
FromArg = Annotated[dt.datetime | None, strawberry.argument(name="from", description="Window start (inclusive).")]
ToArg = Annotated[dt.datetime | None, strawberry.argument(name="to", description="Window end (exclusive).")]
LastDaysArg = Annotated[int | None, strawberry.argument(description="The last N days up to now.")]
ChannelArg = Annotated[strawberry.ID | None, strawberry.argument(description="One channel only.")]


@strawberry.type(description="A public body that reports ratings, identified by its business ID (Y-tunnus).")
class Organisation:
    business_id: str = strawberry.field(description="Finnish business ID, e.g. 0245437-2.")
    ptv_id: strawberry.ID | None = strawberry.field(description="The organisation's PTV id, when known.")
    organisation_type: str | None = strawberry.field(description="PTV organisation type, e.g. Municipality.")
    names: strawberry.Private[tuple[str, str | None, str | None]]

    @strawberry.field(description="The organisation's name in the given language (falls back to Finnish).")
    def name(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.names)

    @classmethod
    def from_model(cls, org: models.Organisation) -> Organisation:
        """The GraphQL view of an organisation row."""
        return cls(business_id=org.business_id, ptv_id=strawberry.ID(org.ptv_id) if org.ptv_id else None,
                   organisation_type=org.organisation_type, names=(org.name_fi, org.name_sv, org.name_en))


@strawberry.type(description="A service channel: e-service, web page, phone line, chat, kiosk…")
class Channel:
    id: strawberry.ID = strawberry.field(description="The channel's PTV id.")
    channel_type: ChannelTypeEnum = strawberry.field(description="Kind of channel.")  # type: ignore[valid-type]
    names: strawberry.Private[tuple[str, str | None, str | None]]

    @strawberry.field(description="The channel's name in the given language (falls back to Finnish).")
    def name(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.names)

    @classmethod
    def from_model(cls, channel: models.Channel) -> Channel:
        """The GraphQL view of a channel row."""
        return cls(id=strawberry.ID(channel.id), channel_type=channel.channel_type,
                   names=(channel.name_fi, channel.name_sv, channel.name_en))


@strawberry.type(description="A service of the national catalogue, keyed by its PTV id.")
class Service:
    id: strawberry.ID = strawberry.field(description="The service's PTV id (GUID).")
    status: ServiceStatus = strawberry.field(description="Active, or archived in the catalogue.")
    service_class: str | None = strawberry.field(description="Service class, when known.")
    names: strawberry.Private[tuple[str, str | None, str | None]]

    @strawberry.field(description="The service's name in the given language (falls back to Finnish).")
    def name(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.names)

    @strawberry.field(description="The channels through which the service is offered.")
    def channels(self, info: Info[Context, None]) -> list[Channel]:
        return [Channel.from_model(c) for c in channel_loader(info.context).load(self.id)]

    @strawberry.field(description="Business IDs of the organisations that report ratings for this service.")
    def organisations(self, info: Info[Context, None]) -> list[str]:
        return list(organisation_loader(info.context).load(self.id))

    @strawberry.field(description="The score of one question over a window [from, to) or the last N days "
                                  "(default: the last 365 days). Needs a token; organisations registered for the "
                                  "service (and admins) also see scores below the publication threshold.")
    def score(
        self, info: Info[Context, None],
        question_id: QuestionArg = DEFAULT_QUESTION,
        window_from: FromArg = None,
        window_to: ToArg = None,
        last_days: LastDaysArg = None,
        channel_id: ChannelArg = None,
        wording_version: Annotated[int | None, strawberry.argument(description="Default: the current wording.")] = None,
    ) -> Score:
        ctx = info.context
        ctx.require(*Role)
        window = Window.resolve(now=ctx.now, start=window_from, end=window_to, last_days=last_days)
        result = read_score(ctx.session, service_id=self.id, question_id=question_id, window=window,
                            publication_threshold=ctx.settings.publication_threshold,
                            wording_version=wording_version, channel_id=channel_id)
        owners = organisation_loader(ctx).load(self.id)
        return Score.from_record(result, reveal_unpublished=ctx.may_see_unpublished(owners))

    @strawberry.field(description="What went well / what didn't: follow-up driver counts of one question by "
                                  "answer band, over a window (default: the last 365 days). Needs a token; "
                                  "hidden below the publication threshold like the score.")
    def drivers(
        self, info: Info[Context, None],
        question_id: QuestionArg = DEFAULT_QUESTION,
        window_from: FromArg = None,
        window_to: ToArg = None,
        last_days: LastDaysArg = None,
        channel_id: ChannelArg = None,
    ) -> DriverSummary:
        ctx = info.context
        ctx.require(*Role)
        window = Window.resolve(now=ctx.now, start=window_from, end=window_to, last_days=last_days)
        return driver_summary(ctx, self.id, str(question_id), window, channel_id=channel_id, wording_version=None)

    kpis: ServiceKpis = strawberry.field(
        resolver=resolve_service_kpis,
        description="Volumes and KPIs (digital take-up, completion, contact centre, waits, coverage) over the "
                    "reporting days of a window (default: the last 365 days). No token needed: each figure is shown "
                    "publicly only when its base count reaches the publication threshold; the service's "
                    "organisations and admins see every figure.")

    @classmethod
    def from_model(cls, row: models.Service) -> Service:
        """The GraphQL view of a service row."""
        return cls(id=strawberry.ID(row.id), status=ServiceStatus(row.status.value),
                   service_class=row.service_class, names=(row.name_fi, row.name_sv, row.name_en))


def channel_loader(ctx: Context) -> BatchLoader[str, list[models.Channel]]:
    """The request's loader of channels per service."""
    return ctx.loader("service.channels", lambda ids: queries.channels_by_service(ctx.session, ids), list)


def organisation_loader(ctx: Context) -> BatchLoader[str, list[str]]:
    """The request's loader of reporting organisations per service."""
    return ctx.loader("service.organisations", lambda ids: queries.organisations_by_service(ctx.session, ids), list)


def expect_services(ctx: Context, service_ids: list[str]) -> None:
    """Announce listed services so their relations load in one query each."""
    channel_loader(ctx).expect(service_ids)
    organisation_loader(ctx).expect(service_ids)


def get_service(info: Info[Context, None], service_id: str) -> models.Service:
    """The service row for ``service_id`` (a PTV GUID in any case), or NOT_FOUND."""
    row = info.context.session.get(models.Service, service.normalise_guid(service_id, "Service"))
    if row is None:
        raise NotFound(RegistryCode.UNKNOWN_SERVICE, f"No service {service_id} is registered in arvio.")
    return row


@strawberry.input(description="Names in Finnish (required), Swedish and English.")
class NamesInput:
    fi: str = strawberry.field(description="Finnish name.")
    sv: str | None = strawberry.field(default=None, description="Swedish name.")
    en: str | None = strawberry.field(default=None, description="English name.")

    def to_domain(self) -> Names:
        """The domain value."""
        return Names(self.fi, self.sv, self.en)


@strawberry.input(description="An organisation to register or update.")
class RegisterOrganisationInput:
    business_id: str = strawberry.field(description="Finnish business ID (Y-tunnus), e.g. 0245437-2.")
    names: NamesInput = strawberry.field(description="The organisation's names.")
    ptv_id: strawberry.ID | None = strawberry.field(default=None, description="PTV organisation id.")
    organisation_type: str | None = strawberry.field(default=None, description="PTV organisation type.")


@strawberry.input(description="A service to register or update.")
class RegisterServiceInput:
    id: strawberry.ID = strawberry.field(description="The service's PTV id (GUID).")
    names: NamesInput = strawberry.field(description="The service's names.")
    organisations: list[str] = strawberry.field(default_factory=list,
                                                description="Business IDs allowed to report for it.")
    service_class: str | None = strawberry.field(default=None, description="Service class.")


@strawberry.input(description="A service channel to register or update.")
class RegisterChannelInput:
    id: strawberry.ID = strawberry.field(description="The channel's PTV id (GUID).")
    channel_type: ChannelTypeEnum = strawberry.field(description="Kind of channel.")  # type: ignore[valid-type]
    names: NamesInput = strawberry.field(description="The channel's names.")
    services: list[strawberry.ID] = strawberry.field(default_factory=list,
                                                     description="Services offered through it.")


@strawberry.type
class RegistryMutation:
    @strawberry.mutation(description="Register or update an organisation (ADMIN).")
    def register_organisation(self, info: Info[Context, None], input: RegisterOrganisationInput) -> Organisation:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        org = service.upsert_organisation(ctx.session, input.business_id, input.names.to_domain(), now=ctx.now,
                                          ptv_id=input.ptv_id, organisation_type=input.organisation_type)
        record(ctx.session, actor=actor.actor, action="organisation.register", subject=org.business_id, now=ctx.now)
        return Organisation.from_model(org)

    @strawberry.mutation(description="Register or update a service and who may report for it (ADMIN).")
    def register_service(self, info: Info[Context, None], input: RegisterServiceInput) -> Service:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        row = service.upsert_service(ctx.session, input.id, input.names.to_domain(), now=ctx.now,
                                     organisation_ids=tuple(input.organisations), service_class=input.service_class)
        record(ctx.session, actor=actor.actor, action="service.register", subject=row.id, now=ctx.now,
               organisations=list(input.organisations))
        ctx.session.flush()
        return Service.from_model(row)

    @strawberry.mutation(description="Register or update a service channel (ADMIN).")
    def register_channel(self, info: Info[Context, None], input: RegisterChannelInput) -> Channel:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        row = service.upsert_channel(ctx.session, input.id, input.channel_type, input.names.to_domain(),
                                     now=ctx.now, service_ids=tuple(input.services))
        record(ctx.session, actor=actor.actor, action="channel.register", subject=row.id, now=ctx.now)
        return Channel.from_model(row)


MAX_PAGE = 500


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
            raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1–{MAX_PAGE}; page with `after`.")
        stmt = select(models.Service).order_by(models.Service.id).limit(first)
        if after:
            stmt = stmt.where(models.Service.id > after)
        if organisation_id:
            stmt = stmt.join(models.ServiceOrganisation).where(
                models.ServiceOrganisation.organisation_id == normalise_business_id(organisation_id))
        rows = list(info.context.session.scalars(stmt))
        expect_services(info.context, [row.id for row in rows])
        return [Service.from_model(row) for row in rows]

    @strawberry.field(description=f"Organisations in business-ID order, at most {MAX_PAGE} per page (for "
                                  "showing names next to the business IDs of `Service.organisations`).")
    def organisations(self, info: Info[Context, None],
                      first: Annotated[int, strawberry.argument(description=f"Page size, 1–{MAX_PAGE}.")] = 100,
                      after: Annotated[str | None, strawberry.argument(
                          description="Return organisations whose business ID sorts after this one.")] = None,
                      ) -> list[Organisation]:
        if not 1 <= first <= MAX_PAGE:
            raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1–{MAX_PAGE}; page with `after`.")
        if after is not None and not (0 < len(after) <= 64 and after.isascii() and after.replace("-", "").isalnum()):
            raise DomainError(RequestCode.INVALID_CURSOR, "after must be a business ID from the previous page, "
                                                          "e.g. 0245437-2.")
        stmt = select(models.Organisation).order_by(models.Organisation.business_id).limit(first)
        if after:
            stmt = stmt.where(models.Organisation.business_id > after)
        return [Organisation.from_model(row) for row in info.context.session.scalars(stmt)]

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
