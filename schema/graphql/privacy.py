"""GraphQL of privacy: the record of processing (fi/sv/en) and erasure on request (GDPR Art. 17). The record as
a page, ``GET /privacy``, is served by ``schema/http/privacy.py``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.auth.models import Role
from federation.errors import AuthCode, DomainError
from federation.privacy import record
from federation.privacy.erasure import ErasureScope, erase_respondent
from federation.privacy.models import ErasureReceipt as ReceiptRow
from federation.privacy.protector import PrivacyProtector
from federation.registry.service import normalise_guid
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.graphql.context import Context
from schema.graphql.locale import Locale


@strawberry.type(description="One heading of the record of processing.")
class ProcessingSection:
    id: str = strawberry.field(description="Stable id: controller, purposes, legal_basis, data, not_collected, "
                                           "recipients, retention, rights or safeguards.")
    heading: str = strawberry.field(description="The heading in the requested language.")
    items: list[str] = strawberry.field(description="The statements under the heading.")


@strawberry.type(description="What arvio collects, why, on what legal basis, for how long and who sees what "
                             "(GDPR Art. 13 and 30). The widget's \"i\" link shows it.")
class RecordOfProcessing:
    locale: Locale = strawberry.field(description="The language of the text.")
    title: str = strawberry.field(description="The title.")
    summary: str = strawberry.field(description="A short plain-language summary for respondents.")
    updated: str = strawberry.field(description="When the text was last changed (ISO date).")
    sections: list[ProcessingSection] = strawberry.field(description="The sections, the same in every language.")

    @classmethod
    def from_record(cls, rec: record.RecordOfProcessing) -> RecordOfProcessing:
        """The GraphQL view of the domain record."""
        return cls(locale=Locale(rec.locale), title=rec.title, summary=rec.summary, updated=rec.updated,
                   sections=[ProcessingSection(id=s.id, heading=s.heading, items=list(s.items))
                             for s in rec.sections])


@strawberry.input(description="An erasure request (GDPR Art. 17) for one person.")
class EraseRespondentInput:
    personal_identifier: str = strawberry.field(description="The person's personal identity code (HETU) as sent "
                                                "with their ratings; used only to recompute their pseudonyms, "
                                                "never stored or logged.")
    service_id: strawberry.ID | None = strawberry.field(default=None, description="Erase only ratings of this "
                                                        "service; default: every service in your scope.")


@strawberry.type(description="Proof that an erasure request was carried out. It holds no identifier and does not "
                             "say which services the person used.")
class ErasureReceipt:
    request_id: strawberry.ID = strawberry.field(description="The receipt's id; quote it in your case records.")
    erased_at: dt.datetime = strawberry.field(description="When the ratings were deleted.")
    ratings_deleted: int = strawberry.field(description="How many ratings were deleted.")
    domains_affected: int = strawberry.field(description="How many (service, quarter) pseudonym domains held "
                                             "ratings of the person.")
    key_versions_searched: list[int] = strawberry.field(description="Master key versions the pseudonyms were "
                                                        "recomputed under; ratings under destroyed versions "
                                                        "(or whose pseudonym retention cleared) cannot be found.")
    organisation_scope: str | None = strawberry.field(description="The organisation whose ratings were searched; "
                                                      "null: every organisation (ADMIN).")
    service_scope: strawberry.ID | None = strawberry.field(description="The one service searched, if limited.")

    @classmethod
    def from_model(cls, row: ReceiptRow) -> ErasureReceipt:
        """The GraphQL view of a stored receipt."""
        return cls(request_id=strawberry.ID(row.request_id), erased_at=row.erased_at,
                   ratings_deleted=row.ratings_deleted, domains_affected=row.domains_affected,
                   key_versions_searched=[int(v) for v in row.key_versions_searched.split(",") if v],
                   organisation_scope=row.organisation_scope,
                   service_scope=strawberry.ID(row.service_scope) if row.service_scope else None)


def _record(settings: Settings, locale: Locale) -> record.RecordOfProcessing:
    return record.record_of_processing(locale.value, retention_days=settings.retention_days,
                                       publication_threshold=settings.publication_threshold)


def _key_ring(ctx: Context) -> KeyRing:
    protector = ctx.services.protector
    if not isinstance(protector, PrivacyProtector):
        raise RuntimeError("erasure needs the PrivacyProtector's key ring; build the app with schema.wiring")
    return protector.ring


@strawberry.type
class PrivacyQuery:
    @strawberry.field(description="The record of processing and transparency notice, in fi, sv or en. Public.")
    def record_of_processing(self, info: Info[Context, None], locale: Annotated[Locale, strawberry.argument(
            description="The language; default Finnish.")] = Locale.FI) -> RecordOfProcessing:
        return RecordOfProcessing.from_record(_record(info.context.settings, locale))

    @strawberry.field(description="An erasure receipt by its request id (ADMIN, or the ORGANISATION that asked); "
                                  "null when unknown or not yours.")
    def erasure_receipt(self, info: Info[Context, None], request_id: Annotated[strawberry.ID, strawberry.argument(
            description="The receipt's request id.")]) -> ErasureReceipt | None:
        principal = info.context.require(Role.ADMIN, Role.ORGANISATION)
        stmt = select(ReceiptRow).where(ReceiptRow.request_id == str(request_id))
        if principal.role is Role.ORGANISATION:
            stmt = stmt.where(ReceiptRow.organisation_scope == principal.organisation_id)
        row = info.context.session.scalar(stmt)
        return None if row is None else ErasureReceipt.from_model(row)


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(description="Erase every rating of one person (GDPR Art. 17) across key versions and "
                                     "quarters, correcting every score and the demographic cube as if the answers "
                                     "had never arrived. An ORGANISATION erases what it reported for its own "
                                     "services; an ADMIN erases across organisations. Returns a receipt.")
    def erase_respondent(self, info: Info[Context, None], input: EraseRespondentInput) -> ErasureReceipt:
        ctx = info.context
        principal = ctx.require(Role.ADMIN, Role.ORGANISATION)
        if principal.role is Role.ORGANISATION and principal.organisation_id is None:
            raise DomainError(AuthCode.FORBIDDEN, "This token is not bound to an organisation.")
        service = normalise_guid(input.service_id, "service") if input.service_id else None
        scope = ErasureScope(organisation_id=principal.organisation_id, service_id=service)
        outcome = erase_respondent(ctx.session, input.personal_identifier, ring=_key_ring(ctx), scope=scope,
                                   actor=principal.actor, now=ctx.now)
        ctx.touched_services.update(outcome.touched_services)
        return ErasureReceipt.from_model(outcome.receipt)
