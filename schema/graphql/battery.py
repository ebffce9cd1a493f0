"""GraphQL of the question battery: the questions, and their management (own questions: define, reword,
retire; rotation weights; draw tables)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.auth.models import Role
from federation.battery import management, models, question_sets
from federation.battery.drawing import load_draw_config
from federation.battery.national import NATIONAL_BATTERY, Wording
from federation.errors import AuthCode, DomainError, Forbidden
from federation.registry.kinds import ChannelType
from federation.registry.service import known_organisation, normalise_business_id
from schema.graphql.context import Context
from schema.graphql.locale import Locale, pick
from schema.graphql.registry import ChannelTypeEnum
from schema.graphql.scores import ScaleType


@strawberry.type(description="A main question: national (owner null) or an organisation's own.")
class Question:
    id: strawberry.ID = strawberry.field(description="Stable id, e.g. national.transaction-smooth.")
    scale: ScaleType = strawberry.field(description="Answer scale.")  # type: ignore[valid-type]
    wording_version: int = strawberry.field(description="Current wording version.")
    owner: str | None = strawberry.field(description="Owning organisation's business ID; null for national.")
    retired: bool = strawberry.field(description="Retired questions take no new answers.")
    texts: strawberry.Private[tuple[str, str, str]]
    channel_types: list[ChannelTypeEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="An own question: the channel types it is drawn and taken on (null: every "
                                  "type). National questions follow questionSets.")
    wording_variant: str | None = strawberry.field(
        default=None, description="In a draw: the channel wording shown instead of the national one (e.g. "
                                  "Kiosk.1; see questionSets), kept with the answer; null for the national wording.")

    @strawberry.field(description="The current wording in the given language.")
    def text(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.texts)

    @classmethod
    def from_model(cls, q: models.Question, wording: models.QuestionVersion) -> Question:
        """The GraphQL view of a question and its current wording."""
        types = question_sets.parse_types(q.channel_types)
        return cls(id=strawberry.ID(q.id), scale=q.scale, wording_version=q.current_version,
                   owner=q.owner_organisation_id, retired=q.retired_at is not None,
                   texts=(wording.text_fi, wording.text_sv, wording.text_en),
                   channel_types=None if types is None else sorted(types, key=_type_value))


def _type_value(channel_type: ChannelType) -> str:
    return channel_type.value


@strawberry.type(description="A question a channel type may draw and accept, in the wording it shows there.")
class QuestionSetEntry:
    question_id: strawberry.ID = strawberry.field(description="The national question.")
    wording_version: int = strawberry.field(description="Its current national wording version (answers keep it).")
    wording_variant: str | None = strawberry.field(description="The channel type's own wording (e.g. Kiosk.1), "
                                                               "kept with the answer; null: the national wording.")
    texts: strawberry.Private[tuple[str, str, str]]

    @strawberry.field(description="The wording shown on this channel type, in the given language.")
    def text(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.texts)


@strawberry.type(description="The national questions a channel type may draw and accept (a draw leaves out, and "
                             "submitRatings refuses with QUESTION_NOT_FOR_CHANNEL, any other national question); "
                             "organisations' own questions are taken on the channel types they were defined for.")
class QuestionSet:
    channel_type: ChannelTypeEnum = strawberry.field(description="The channel type.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="What the set holds, in English.")
    questions: list[QuestionSetEntry] = strawberry.field(description="Its national questions, in set order.")


def _question_set(item: question_sets.QuestionSet) -> QuestionSet:
    national = {q.id: q for q in NATIONAL_BATTERY}
    entries = []
    for question_id in item.questions:
        own = item.wording_of(question_id)
        wording = own.wording if own is not None else national[question_id].wording
        entries.append(QuestionSetEntry(
            question_id=strawberry.ID(question_id), wording_version=national[question_id].current_version,
            wording_variant=question_sets.variant_label(item.channel_type, question_id),
            texts=(wording.fi, wording.sv, wording.en)))
    return QuestionSet(channel_type=item.channel_type, description=item.description, questions=entries)


@strawberry.type
class BatteryQuery:
    @strawberry.field(description="The national battery and, for an organisation's token, its own questions.")
    def questions(self, info: Info[Context, None]) -> list[Question]:
        ctx = info.context
        principal = ctx.principal
        owner = principal.organisation_id if principal else None
        stmt = (select(models.Question, models.QuestionVersion)
                .join(models.QuestionVersion, (models.QuestionVersion.question_id == models.Question.id)
                      & (models.QuestionVersion.version == models.Question.current_version))
                .where(models.Question.owner_organisation_id.is_(None)
                       | (models.Question.owner_organisation_id == owner))
                .order_by(models.Question.owner_organisation_id.is_not(None), models.Question.id))
        return [Question.from_model(q, v) for q, v in ctx.session.execute(stmt)]

    @strawberry.field(description="The question set of every channel type (or of one): which national questions "
                                  "its channels draw and accept, in which wording. Public.")
    def question_sets(self, channel_type: Annotated[ChannelTypeEnum | None, strawberry.argument(  # type: ignore[valid-type]
            description="Only this channel type.")] = None) -> list[QuestionSet]:
        return [_question_set(s) for t, s in question_sets.QUESTION_SETS.items()
                if channel_type is None or t is channel_type]


@strawberry.input(description="A question's text in Finnish, Swedish and English (all required, ≤ 300 characters).")
class WordingInput:
    fi: str = strawberry.field(description="Finnish.")
    sv: str = strawberry.field(description="Swedish.")
    en: str = strawberry.field(description="English.")

    def to_domain(self) -> Wording:
        """The domain wording."""
        return Wording(self.fi, self.sv, self.en)


@strawberry.input(description="An organisation's own question.")
class DefineQuestionInput:
    question_id: strawberry.ID = strawberry.field(description="New id: 3-120 of a-z, 0-9, '.', '-'; not "
                                                              "'national.…'. Prefix it with your own name.")
    scale: ScaleType = strawberry.field(description="Answer scale (any).")  # type: ignore[valid-type]
    wording: WordingInput = strawberry.field(description="The text (wording version 1).")
    weight: float = strawberry.field(default=1.0, description="Default rotation weight (0-1000; 0 = not drawn).")
    channel_types: list[ChannelTypeEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only on channels of these types is it drawn and taken (submitRatings refuses "
                                  "it elsewhere with QUESTION_NOT_FOR_CHANNEL); null for every type.")


@strawberry.input(description="A new wording version of a question.")
class RewordQuestionInput:
    question_id: strawberry.ID = strawberry.field(description="Your own question, or any question for an admin.")
    wording: WordingInput = strawberry.field(description="The new text; answers keep the version they were "
                                                         "collected under.")


@strawberry.input(description="A rotation weight of one question, organisation-wide or for one service and/or "
                              "channel (the most specific weight wins).")
class SetQuestionWeightInput:
    question_id: strawberry.ID = strawberry.field(description="A national question or your own.")
    weight: float | None = strawberry.field(description="0-1000 (0 = never drawn there); null removes the rule.")
    service_id: strawberry.ID | None = strawberry.field(default=None, description="Only for this service.")
    channel_id: strawberry.ID | None = strawberry.field(default=None, description="Only for this channel.")
    organisation_id: str | None = strawberry.field(default=None, description="Admins: the organisation whose "
                                                                             "rotation to change.")


@strawberry.type(description="One of an organisation's rotation weights.")
class QuestionWeightRule:
    organisation_id: str = strawberry.field(description="The organisation's business ID.")
    question_id: strawberry.ID = strawberry.field(description="The question.")
    weight: float = strawberry.field(description="The weight (0 = never drawn in this scope).")
    service_id: strawberry.ID | None = strawberry.field(description="The service, or null for any.")
    channel_id: strawberry.ID | None = strawberry.field(description="The channel, or null for any.")

    @classmethod
    def from_model(cls, row: models.QuestionWeight) -> QuestionWeightRule:
        """The GraphQL view of a weight row."""
        return cls(organisation_id=row.organisation_id, question_id=strawberry.ID(row.question_id),
                   weight=row.weight, service_id=strawberry.ID(row.service_id) if row.service_id else None,
                   channel_id=strawberry.ID(row.channel_id) if row.channel_id else None)


@strawberry.type(description="A question's chance in the draw of one service and channel.")
class DrawChance:
    question_id: strawberry.ID = strawberry.field(description="The question.")
    wording_version: int = strawberry.field(description="The wording that would be shown.")
    wording_variant: str | None = strawberry.field(default=None, description="The channel type's own wording that "
                                                   "would be shown (e.g. Kiosk.1), null for the national wording.")
    weight: float = strawberry.field(description="The resolved weight.")
    probability: float = strawberry.field(description="weight / total weight of the draw.")


def _actor(ctx: Context, organisation_id: str | None = None) -> tuple[str | None, str]:
    """(acting organisation or None for an admin, audit name) of an ORGANISATION or ADMIN caller."""
    principal = ctx.require(Role.ORGANISATION, Role.ADMIN)
    if principal.role is Role.ADMIN:
        return (known_organisation(ctx.session, organisation_id) if organisation_id else None,
                principal.actor)
    own = ctx.require_organisation()
    if organisation_id is not None and normalise_business_id(organisation_id) != own:
        raise Forbidden(f"your token acts for organisation {own} only; leave organisationId out to change your "
                        "own rotation.", code=AuthCode.NOT_YOUR_ORGANISATION)
    return own, principal.actor


def _question_view(ctx: Context, question: models.Question) -> Question:
    wording = ctx.session.get(models.QuestionVersion, (question.id, question.current_version))
    assert wording is not None
    return Question.from_model(question, wording)


def _drop_draw_cache(ctx: Context) -> None:
    if ctx.services.citizen is not None:
        ctx.services.citizen.drawer.invalidate()


@strawberry.type
class QuestionsQuery:
    @strawberry.field(description="Your organisation's rotation weights (ORGANISATION; admins name the "
                                  "organisation).")
    def question_weights(self, info: Info[Context, None], organisation_id: Annotated[str | None, strawberry.argument(
            description="Admins: whose weights.")] = None) -> list[QuestionWeightRule]:
        organisation, _ = _actor(info.context, organisation_id)
        if organisation is None:
            return []
        return [QuestionWeightRule.from_model(r) for r in management.weight_rules(info.context.session,
                                                                                   organisation)]

    @strawberry.field(description="The draw of a service and channel as it stands: every question's resolved "
                                  "weight and probability (for the reporting organisation and admins).")
    def draw_chances(
        self, info: Info[Context, None],
        service_id: Annotated[strawberry.ID, strawberry.argument(description="The service's PTV id.")],
        channel_id: Annotated[strawberry.ID | None, strawberry.argument(description="The channel's PTV id.")]
        = None,
    ) -> list[DrawChance]:
        ctx = info.context
        organisation, _ = _actor(ctx)
        config = load_draw_config(ctx.session, service_id, channel_id)
        if organisation is not None and organisation != config.organisation_id:
            ctx.require(Role.ADMIN)
        return [DrawChance(question_id=strawberry.ID(c.question.question_id),
                           wording_version=c.question.wording_version, weight=c.weight, probability=c.probability,
                           wording_variant=c.question.variant)
                for c in config.table.candidates]


@strawberry.type
class QuestionsMutation:
    @strawberry.mutation(description="Define your organisation's own question (ORGANISATION): any scale, "
                                     "fi/sv/en wording; it joins your rotation with its weight.")
    def define_question(self, info: Info[Context, None], input: DefineQuestionInput) -> Question:
        ctx = info.context
        organisation = ctx.require_organisation()
        question = management.define_own_question(
            ctx.session, organisation, question_id=str(input.question_id), scale=input.scale,
            wording=input.wording.to_domain(), weight=input.weight, now=ctx.now,
            actor=ctx.require(Role.ORGANISATION).actor, channel_types=input.channel_types)
        _drop_draw_cache(ctx)
        return _question_view(ctx, question)

    @strawberry.mutation(description="Publish a new wording version: your own question (ORGANISATION), or any "
                                     "question including the national ones (ADMIN).")
    def reword_question(self, info: Info[Context, None], input: RewordQuestionInput) -> Question:
        ctx = info.context
        organisation, actor = _actor(ctx)
        question = management.reword(ctx.session, str(input.question_id), input.wording.to_domain(),
                                     organisation_id=organisation, now=ctx.now, actor=actor)
        _drop_draw_cache(ctx)
        return _question_view(ctx, question)

    @strawberry.mutation(description="Retire your own question: no longer drawn, takes no new answers; its "
                                     "scores stay. National questions cannot be retired.")
    def retire_question(self, info: Info[Context, None], question_id: Annotated[strawberry.ID, strawberry.argument(
            description="The question to retire.")]) -> Question:
        ctx = info.context
        organisation, actor = _actor(ctx)
        question = management.retire(ctx.session, str(question_id), organisation_id=organisation, now=ctx.now,
                                     actor=actor)
        _drop_draw_cache(ctx)
        return _question_view(ctx, question)

    @strawberry.mutation(description="Set or remove a rotation weight of a national or own question, "
                                     "organisation-wide or for one service and/or channel. Returns the rule, or "
                                     "null when removed.")
    def set_question_weight(self, info: Info[Context, None],
                            input: SetQuestionWeightInput) -> QuestionWeightRule | None:
        ctx = info.context
        organisation, actor = _actor(ctx, input.organisation_id)
        if organisation is None:
            raise DomainError(AuthCode.ORGANISATION_REQUIRED, "admins must name the organisation (organisationId).")
        row = management.set_weight(ctx.session, organisation, str(input.question_id), input.weight,
                                    service_id=input.service_id, channel_id=input.channel_id, now=ctx.now,
                                    actor=actor)
        _drop_draw_cache(ctx)
        return None if row is None else QuestionWeightRule.from_model(row)
