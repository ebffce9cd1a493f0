"""The ingest contract in GraphQL: ``submitRatings`` and its input and result types.

The input types are fully typed in the schema so graphql-core validates and coerces every item; the resolver
then reads graphql-core's coerced values directly (``fast_submit_ratings``) instead of letting strawberry build
1000 input objects per request, which would cost most of the request (see docs/DESIGN.md "Performance").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import strawberry
from graphql import GraphQLResolveInfo
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from federation.errors import DomainError, RatingsCode
from federation.ratings.contract import FollowUp, ItemCode, ItemStatus, RatingSubmission
from federation.ratings.ingest import IngestPolicy, submit_ratings
from federation.settings import Settings
from schema.graphql.context import Context

ItemStatusEnum = strawberry.enum(ItemStatus, name="ItemStatus", description="What happened to one item.")
ItemCodeEnum = strawberry.enum(ItemCode, name="ItemCode",
                               description="Why an item was not accepted; stable, never renamed or reused.")


@strawberry.input(description="The follow-up answer: drivers chosen and optional free text.")
class FollowUpInput:
    drivers: list[str] = strawberry.field(default_factory=list, description="Driver codes: effectiveness, ease, "
                                          "efficiency, transparency, language, staff, other.")
    text: str | None = strawberry.field(default=None, description="Free text (≤ 2000 characters); direct "
                                        "identifiers are scrubbed and the text is encrypted at rest.")


@strawberry.input(description="Optional demographic attributes; generalised at the door, raw values never stored. "
                              "An invalid attribute rejects the item with its own code (INVALID_BIRTH_YEAR, "
                              "INVALID_MUNICIPALITY_CODE, INVALID_LANGUAGE, INVALID_GENDER, "
                              "INVALID_PERSONAL_IDENTIFIER, INVALID_LEGAL_BASIS, DEMOGRAPHICS_WITHOUT_LEGAL_BASIS) "
                              "unless dropInvalid is true. Null or empty attributes count as not sent.")
class DemographicsInput:
    legal_basis: str | None = strawberry.field(default=None, description="Declared GDPR Art. 6 legal basis: "
                                               "PUBLIC_TASK, LEGAL_OBLIGATION, LEGITIMATE_INTEREST or CONSENT; "
                                               "required (or consent: true) when any attribute is sent.")
    consent: bool | None = strawberry.field(default=None, description="The respondent consented.")
    birth_year: int | None = strawberry.field(default=None, description="Year of birth (four digits); stored "
                                              "only as the 5-year age band at the rating date.")
    municipality_code: str | None = strawberry.field(default=None, description="Statistics Finland municipality "
                                                     "code, e.g. 091; stored only as its region (maakunta).")
    language: str | None = strawberry.field(default=None, description="ISO 639 code; stored as fi, sv, en or "
                                            "other.")
    gender: str | None = strawberry.field(default=None, description="female, male, other or unspecified (also "
                                          "Finnish/Swedish words and ISO/IEC 5218 codes).")
    personal_identifier: str | None = strawberry.field(default=None, description="HETU, only for de-duplication "
                                                       "and erasure; validated, turned into a keyed pseudonym per "
                                                       "service and quarter, never stored or logged.")
    drop_invalid: bool = strawberry.field(default=False, description="When any attribute is invalid (or no legal "
                                          "basis is declared), accept the rating without any of its demographics "
                                          "instead of rejecting the item.")


@strawberry.input(description="One answer (or skip) to push.")
class RatingInput:
    client_ref: str = strawberry.field(description="Your id of the answer: unique per organisation; a resend "
                                       "is DUPLICATE and never counted twice.")
    service_id: strawberry.ID = strawberry.field(description="PTV service id; you must be registered for it.")
    question_id: strawberry.ID = strawberry.field(description="e.g. national.transaction-smooth.")
    answered_at: dt.datetime = strawberry.field(description="When answered (ISO 8601 with offset); not in the "
                                                "future, not older than the retention window.")
    channel_id: strawberry.ID | None = strawberry.field(default=None, description="PTV service channel id.")
    value: int | None = strawberry.field(default=None, description="The answer; null when skipped.")
    skipped: bool = strawberry.field(default=False, description="The question was shown and skipped.")
    locale: str | None = strawberry.field(default=None, description="fi, sv or en.")
    follow_up: FollowUpInput | None = strawberry.field(default=None, description="Follow-up answer.")
    demographics: DemographicsInput | None = strawberry.field(default=None, description="Optional demographics.")


@strawberry.input(description="A batch of at most 1000 ratings.")
class SubmitRatingsInput:
    ratings: list[RatingInput] = strawberry.field(description="The ratings; each gets its own result.")


@strawberry.type(description="The outcome of one item, by its index in the batch.")
class ItemResult:
    index: int = strawberry.field(description="Position of the item in `ratings` (0-based).")
    status: ItemStatusEnum = strawberry.field(description="ACCEPTED, DUPLICATE or REJECTED.")  # type: ignore[valid-type]
    code: ItemCodeEnum | None = strawberry.field(description="Why, when not ACCEPTED.")  # type: ignore[valid-type]
    message: str | None = strawberry.field(description="What was wrong and how to fix it.")


@strawberry.type(description="The outcome of a batch. Accepted items are durable when this returns.")
class SubmitRatingsPayload:
    accepted: int = strawberry.field(description="Items stored and counted.")
    duplicates: int = strawberry.field(description="Items received before (or twice in this batch).")
    rejected: int = strawberry.field(description="Items refused; see their results.")
    results: list[ItemResult] = strawberry.field(description="One result per item, in order.")


def submission_from_mapping(raw: Mapping[str, Any]) -> RatingSubmission:
    """A domain submission from an item in API shape (camelCase keys), as coerced by graphql-core or parsed
    from NDJSON. Ids are trimmed and PTV GUIDs lower-cased, as the registry stores them."""
    follow = raw.get("followUp")
    channel = raw.get("channelId")
    return RatingSubmission(
        client_ref=raw["clientRef"], service_id=str(raw["serviceId"]).strip().lower(),
        question_id=str(raw["questionId"]).strip(), answered_at=raw["answeredAt"], value=raw.get("value"),
        skipped=bool(raw.get("skipped") or False),
        channel_id=str(channel).strip().lower() if channel is not None else None, locale=raw.get("locale"),
        follow_up=FollowUp(tuple(follow.get("drivers") or ()), follow.get("text")) if follow else None,
        demographics=raw.get("demographics"),
    )


def ingest_policy(settings: Settings) -> IngestPolicy:
    """The ingest limits of ``settings``."""
    return IngestPolicy(max_items=settings.max_batch_items,
                        max_answer_age=dt.timedelta(days=settings.max_answer_age_days))


def run_submit(ctx: Context, items: Sequence[RatingSubmission]) -> SubmitRatingsPayload:
    """Ingest for the calling organisation and shape the payload (shared by GraphQL and the NDJSON upload)."""
    organisation_id = ctx.require_organisation()
    batch = submit_ratings(ctx.session, organisation_id, items, now=ctx.now, protector=ctx.services.protector,
                           policy=ingest_policy(ctx.settings))
    ctx.touched_services.update(batch.touched_services)
    before = ctx.ingested or (0, 0, 0)
    ctx.ingested = (before[0] + batch.accepted, before[1] + batch.duplicates, before[2] + batch.rejected)
    return SubmitRatingsPayload(
        accepted=batch.accepted, duplicates=batch.duplicates, rejected=batch.rejected,
        results=[ItemResult(index=r.index, status=r.status, code=r.code, message=r.message) for r in batch.results],
    )


def fast_submit_ratings(
    _root: object, info: GraphQLResolveInfo[Context], input: Mapping[str, Any],
) -> SubmitRatingsPayload:
    """graphql-core resolver of ``submitRatings`` over the already coerced variables (see module docstring)."""
    return _submit(info.context, input["ratings"])


def _submit(ctx: Context, ratings: Sequence[Mapping[str, Any]]) -> SubmitRatingsPayload:
    if len(ratings) > ctx.settings.max_batch_items:
        raise DomainError(RatingsCode.BATCH_TOO_LARGE,
                          f"A batch holds at most {ctx.settings.max_batch_items} ratings; you "
                          f"sent {len(ratings)}. Split it (resending is safe: clientRef makes it idempotent).")
    return run_submit(ctx, [submission_from_mapping(item) for item in ratings])


def api_mapping(value: object) -> Any:
    """A strawberry input object as graphql-core's coerced value of it: a dict by GraphQL field name, nested."""
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is not None:
        return {field.graphql_name or to_camel_case(field.python_name): api_mapping(getattr(value, field.python_name))
                for field in definition.fields}
    if isinstance(value, list):
        return [api_mapping(item) for item in value]
    return value


@strawberry.type
class RatingsMutation:
    @strawberry.mutation(description="Push a batch of ratings for your own services (ORGANISATION token). Each "
                                     "item is ACCEPTED, DUPLICATE or REJECTED on its own; one bad item never "
                                     "sinks the batch.")
    def submit_ratings(self, info: Info[Context, None], input: SubmitRatingsInput) -> SubmitRatingsPayload:
        """The typed reference resolver, over the input objects strawberry builds. The schema arvio serves swaps
        in :func:`fast_submit_ratings`, which reads graphql-core's coerced values instead (same answer, measured
        a fraction of the cost; tests/schema/graphql/test_fast_adapters.py compares the two)."""
        return _submit(info.context, [api_mapping(item) for item in input.ratings])
