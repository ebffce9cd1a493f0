"""The citizen flow in GraphQL: ``drawQuestion``, ``widgetNotice``, ``answerQuestion``, ``sendFollowUp``.

The widget itself uses the equivalent JSON routes under ``/widget/`` (``schema.http.widget``), which are
cheaper for the hottest path (draws); both call the same domain functions (``federation.ratings.citizen``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from sqlalchemy.orm import Session
from strawberry.types import Info

from federation.battery.drawing import Drawn
from federation.battery.followups import Band, wording_in
from federation.battery.scales import Scale
from federation.errors import DomainError, RatingsCode
from federation.i18n.catalogs import gettext
from federation.privacy.notice import transparency_notice
from federation.ratings import citizen
from federation.ratings.citizen import CitizenCode, CitizenOutcome, CitizenRuntime
from federation.ratings.contract import FollowUp
from federation.ratings.ingest import IngestPolicy
from federation.settings import Settings
from schema.graphql.battery import Question
from schema.graphql.context import Context, Services
from schema.graphql.locale import Locale
from schema.graphql.ratings.ingest import ItemCodeEnum, ItemStatusEnum
from schema.graphql.scores import PublicScore, nps_band_name, public_score_for

BandEnum = strawberry.enum(Band, name="AnswerBand", description="Where an answer falls on its scale; it picks "
                           "the follow-up question: POSITIVE 'Where did we succeed especially?', NEUTRAL 'What "
                           "could be better?', NEGATIVE 'What should we improve?'.")
CitizenCodeEnum = strawberry.enum(CitizenCode, name="CitizenCode", description="Why a widget answer or follow-up "
                                  "was not accepted (stable codes: draw, ticket, ingest, follow-up).")


def runtime(services: Services) -> CitizenRuntime:
    """The process's citizen-flow runtime (always set by ``create_app``)."""
    if services.citizen is None:
        raise DomainError(RatingsCode.WIDGET_UNAVAILABLE, "the citizen flow is not configured in this process.")
    return services.citizen


def others_rating(session: Session, services: Services, service_id: str, question_id: str,
                  now: dt.datetime) -> PublicScore:
    """Other users' rating of the question just answered (published scores only): its ``publicScore``, so an
    NPS answer is shown the published NPS and a yes/no answer the share of yes."""
    return public_score_for(Context(session, services=services, now=now), service_id,
                            question_id)


@strawberry.type(description="A driver the citizen can choose in the follow-up.")
class DriverChoice:
    code: str = strawberry.field(description="Driver code, as sent in followUp.drivers.")
    label: str = strawberry.field(description="The driver's name in the requested language.")


@strawberry.type(description="The follow-up to show after an answer, drawn by the answer's band.")
class FollowUpPrompt:
    band: BandEnum = strawberry.field(description="The answer's band.")  # type: ignore[valid-type]
    question: str = strawberry.field(description="The follow-up question in the requested language.")
    drivers: list[DriverChoice] = strawberry.field(description="Multiple choice; free text may be added.")

    @classmethod
    def from_domain(cls, prompt: citizen.FollowUpPrompt, locale: str) -> FollowUpPrompt:
        """The GraphQL view of a domain prompt in ``locale``."""
        return cls(band=prompt.band, question=gettext(locale, prompt.question),
                   drivers=[DriverChoice(code=c, label=gettext(locale, msgid)) for c, msgid in prompt.drivers])


@strawberry.type(description="A main question drawn for a final page. Drawing writes nothing; the draw id ties "
                             "the answer or the skip to what was shown.")
class QuestionDraw:
    draw_id: str = strawberry.field(description="Signed draw id; send it with the answer or skip (valid 12 h).")
    client_ref: str = strawberry.field(description="The clientRef to use if your back end forwards this answer "
                                                   "with submitRatings (a resend is then a duplicate).")
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    channel_id: strawberry.ID | None = strawberry.field(description="The channel's PTV id, if given.")
    organisation_id: str = strawberry.field(description="The organisation whose question pool was drawn from and "
                                                        "to which the answer belongs.")
    question: Question = strawberry.field(description="The question drawn, with its wording version.")
    text: str = strawberry.field(description="The question in the requested language.")

    @classmethod
    def from_drawn(cls, drawn: Drawn, locale: str) -> QuestionDraw:
        """The GraphQL view of a draw."""
        q = drawn.candidate.question
        question = Question(id=strawberry.ID(q.question_id), scale=q.scale, wording_version=q.wording_version,
                            owner=q.owner, retired=False, texts=(q.wording.fi, q.wording.sv, q.wording.en),
                            wording_variant=q.variant)
        channel = drawn.config.channel_id
        return cls(draw_id=drawn.draw_id, client_ref=drawn.client_ref,
                   service_id=strawberry.ID(drawn.config.service_id),
                   channel_id=strawberry.ID(channel) if channel else None,
                   organisation_id=drawn.config.organisation_id, question=question,
                   text=wording_in(q.wording, locale))


@strawberry.type(description="The transparency notice behind the widget's 'i': what the answers are used for.")
class WidgetNotice:
    locale: Locale = strawberry.field(description="The notice's language.")
    title: str = strawberry.field(description="Heading.")
    paragraphs: list[str] = strawberry.field(description="The notice, one paragraph per item.")
    more_label: str = strawberry.field(description="Name of the full record of processing, linked below.")
    more_url: str = strawberry.field(description="Path of the full record of processing on this arvio.")


@strawberry.input(description="The citizen's answer or skip to a drawn question, sent directly with a ticket.")
class AnswerQuestionInput:
    draw_id: str = strawberry.field(description="The drawId drawQuestion returned.")
    ticket: str | None = strawberry.field(default=None, description="The one-time rating ticket minted by the "
                                          "e-service's back end (see docs/WIDGET.md).")
    value: int | None = strawberry.field(default=None, description="The answer on the question's scale; null "
                                         "when skipped.")
    skipped: bool = strawberry.field(default=False, description="The citizen skipped the question.")
    locale: Locale | None = strawberry.field(default=None, description="The language the citizen used.")


@strawberry.input(description="The follow-up of an answer sent with answerQuestion.")
class SendFollowUpInput:
    draw_id: str = strawberry.field(description="The same drawId as the answer.")
    ticket: str | None = strawberry.field(default=None, description="The same ticket as the answer.")
    drivers: list[str] = strawberry.field(default_factory=list, description="Driver codes chosen.")
    text: str | None = strawberry.field(default=None, description="Optional free text (at most 2000 characters; "
                                        "identifiers are scrubbed, the text is encrypted at rest).")
    locale: Locale | None = strawberry.field(default=None, description="The language the citizen used.")


@strawberry.type(description="What happened to a widget answer or follow-up; refusals carry a stable code.")
class CitizenAnswerPayload:
    status: ItemStatusEnum = strawberry.field(description="ACCEPTED, DUPLICATE or REJECTED.")  # type: ignore[valid-type]
    code: CitizenCodeEnum | None = strawberry.field(description="Why, when not ACCEPTED.")  # type: ignore[valid-type]
    message: str | None = strawberry.field(description="What was wrong and how to fix it.")
    item_code: ItemCodeEnum | None = strawberry.field(description="The ingest code when code is "  # type: ignore[valid-type]
                                                                  "RATING_REJECTED.")
    receipt: str | None = strawberry.field(description="The receipt code of an accepted answer (80 random bits, "
                                                       "shown once; null for a skip and a follow-up): it opens "
                                                       "/r/<code>, where the organisation's reply appears.")
    follow_up: FollowUpPrompt | None = strawberry.field(description="The follow-up to ask (after a stored answer).")
    others_rating: PublicScore | None = strawberry.field(description="Other users' rating of the question just "
                                                                     "answered on this service (published scores "
                                                                     "only; `questionId` and `scale` say which "
                                                                     "question and which figure).")


def payload_of(ctx: Context, outcome: CitizenOutcome, locale: str) -> CitizenAnswerPayload:
    """Shape an outcome; marks the service touched so its cached public score is dropped after the commit."""
    if outcome.service_id and outcome.stored:
        ctx.touched_services.add(outcome.service_id)
    others = (others_rating(ctx.session, ctx.services, outcome.service_id, outcome.question_id, ctx.now)
              if outcome.service_id and outcome.question_id else None)
    return CitizenAnswerPayload(
        status=outcome.status, code=outcome.code, message=outcome.message, item_code=outcome.item_code,
        receipt=outcome.receipt, others_rating=others,
        follow_up=FollowUpPrompt.from_domain(outcome.follow_up, locale) if outcome.follow_up else None)


def ingest_policy_of(settings: Settings) -> IngestPolicy:
    """The ingest limits of the settings."""
    return IngestPolicy(max_items=settings.max_batch_items,
                        max_answer_age=dt.timedelta(days=settings.max_answer_age_days))


def public_view(score: PublicScore) -> dict[str, Any]:
    """Other users' rating of the answered question as the widget's JSON shows it."""
    return {"questionId": score.question_id, "scale": Scale(score.scale).value, "published": score.published,
            "count": score.count, "mean": score.mean, "stars": score.stars, "nps": score.nps,
            "npsBand": nps_band_name(score), "yesShare": score.yes_share}


@strawberry.type
class WidgetQuery:
    @strawberry.field(description="Draw the main question for an e-service's final page (no token). Random by "
                                  "the organisation's weights over the national battery and its own questions; "
                                  "NPS on phone and chat channels. Each draw is counted as an exposure.")
    def draw_question(
        self, info: Info[Context, None],
        service_id: Annotated[strawberry.ID, strawberry.argument(description="The service's PTV id.")],
        channel_id: Annotated[strawberry.ID | None, strawberry.argument(description="The channel's PTV id.")]
        = None,
        locale: Locale = Locale.FI,
    ) -> QuestionDraw:
        ctx = info.context
        kit = runtime(ctx.services)
        config = kit.drawer.config(ctx.session, service_id, channel_id)
        return QuestionDraw.from_drawn(kit.draw(config, now=ctx.now), locale.value)

    @strawberry.field(description="The transparency notice: what the answers are used for (no token).")
    def widget_notice(self, info: Info[Context, None], locale: Locale = Locale.FI) -> WidgetNotice:
        settings = info.context.settings
        notice = transparency_notice(locale.value, publication_threshold=settings.publication_threshold,
                                     retention_days=settings.retention_days)
        return WidgetNotice(locale=Locale(notice.locale), title=notice.title, paragraphs=list(notice.paragraphs),
                            more_label=notice.more_label, more_url=f"/privacy?locale={notice.locale}")


@strawberry.type
class WidgetMutation:
    @strawberry.mutation(description="Send the citizen's answer (or skip) to a drawn question directly, with the "
                                     "e-service's one-time rating ticket (no token). One ticket, one answer.")
    def answer_question(self, info: Info[Context, None], input: AnswerQuestionInput) -> CitizenAnswerPayload:
        ctx = info.context
        kit = runtime(ctx.services)
        locale = input.locale.value if input.locale else None
        try:
            claim = kit.drawer.verify(input.draw_id, now=ctx.now)
        except DomainError as error:
            return payload_of(ctx, citizen.as_outcome(error), locale or "fi")
        outcome = citizen.answer(ctx.session, claim, ticket=input.ticket, value=input.value, skipped=input.skipped,
                                 locale=locale, now=ctx.now, protector=ctx.services.protector, ring=kit.ring,
                                 policy=ingest_policy_of(ctx.settings))
        return payload_of(ctx, outcome, locale or "fi")

    @strawberry.mutation(description="Send the follow-up (drivers, optional free text) of an answer sent with "
                                     "answerQuestion, with the same draw id and ticket. Taken once.")
    def send_follow_up(self, info: Info[Context, None], input: SendFollowUpInput) -> CitizenAnswerPayload:
        ctx = info.context
        kit = runtime(ctx.services)
        locale = input.locale.value if input.locale else "fi"
        try:
            claim = kit.drawer.verify(input.draw_id, now=ctx.now)
        except DomainError as error:
            return payload_of(ctx, citizen.as_outcome(error), locale)
        outcome = citizen.send_follow_up(ctx.session, claim, ticket=input.ticket,
                                         follow_up=FollowUp(tuple(input.drivers), input.text), now=ctx.now,
                                         protector=ctx.services.protector, ring=kit.ring)
        return payload_of(ctx, outcome, locale)
