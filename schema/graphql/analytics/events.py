"""GraphQL of service change events: recording and deleting them (organisations) and the public
"you said, we did" log of public events with their before/after impact (no token)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from federation.analytics import events, reading
from federation.analytics.series import LOCAL_TIME_ZONE
from federation.errors import DomainError, RequestCode
from federation.registry.service import normalise_business_id, normalise_guid
from schema.graphql.analytics.queries import DEFAULT_QUESTION, MAX_EVENTS, QuestionArg, with_impacts
from schema.graphql.analytics.types import ServiceEvent
from schema.graphql.context import Context
from schema.graphql.registry import NamesInput

DEFAULT_IMPACT_DAYS = 28


@strawberry.input(description="A service change to record.")
class RecordServiceEventInput:
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id; your organisation must be "
                                                             "registered for it.")
    occurred_on: dt.date = strawberry.field(description="The local date the change took effect (or will).")
    description: NamesInput = strawberry.field(description="What changed: Finnish (required), Swedish, English.")
    public: bool = strawberry.field(default=False, description="Publish it in the \"you said, we did\" log.")
    drivers: list[str] = strawberry.field(default_factory=list, description="The drivers the change answers "
                                          "(codes: effectiveness, ease, efficiency, transparency, language, staff, "
                                          "other); the log then tests each one's share before and after.")
    theme_keys: list[str] | None = strawberry.field(default=None, description="Keys of the feedback themes it "
                                                    "answers (at most 10; 1–64 characters of a–z, 0–9, '.', '_', "
                                                    "'-').")


@strawberry.type
class AnalyticsEventsMutation:
    @strawberry.mutation(description="Record a change made to one of your services (ORGANISATION). The answer "
                                     "carries its impact on national.transaction-smooth over 28-day windows; "
                                     "`serviceAnalytics { events }` gives it for any question and window.")
    def record_service_event(self, info: Info[Context, None], input: RecordServiceEventInput) -> ServiceEvent:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        draft = events.EventDraft(input.service_id, input.occurred_on, input.description.fi,
                                  input.description.sv, input.description.en, input.public,
                                  drivers=tuple(input.drivers), theme_keys=None if input.theme_keys is None
                                  else tuple(input.theme_keys))
        row = events.record_event(ctx.session, draft, organisation_id=organisation_id, actor=ctx.principal.actor,
                                  now=ctx.now, today=ctx.now.astimezone(LOCAL_TIME_ZONE).date())
        question = reading.get_question(ctx.session, DEFAULT_QUESTION)
        (recorded,) = with_impacts(ctx, [row], question, question.current_version, DEFAULT_IMPACT_DAYS,
                                   public_view=False)
        return recorded

    @strawberry.mutation(description="Delete a change event your organisation recorded (ORGANISATION).")
    def delete_service_event(self, info: Info[Context, None], id: strawberry.ID) -> bool:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        events.delete_event(ctx.session, events.parse_event_id(str(id)), organisation_id=organisation_id,
                            actor=ctx.principal.actor, now=ctx.now)
        return True


@strawberry.type
class AnalyticsEventsQuery:
    @strawberry.field(description="The \"you said, we did\" log: public service changes, newest first, each with "
                                  "its published before/after impact on the question over 28-day windows and, for "
                                  "each driver it cites, the before/after test of that driver's share among the "
                                  "improvement answers. No token needed.")
    def public_service_events(
        self, info: Info[Context, None],
        service_id: Annotated[strawberry.ID | None, strawberry.argument(description="One service only.")] = None,
        organisation_id: Annotated[str | None, strawberry.argument(
            description="Only the services of this organisation (business ID).")] = None,
        question_id: QuestionArg = DEFAULT_QUESTION,
        first: Annotated[int, strawberry.argument(description=f"At most this many, 1–{MAX_EVENTS}.")] = 100,
    ) -> list[ServiceEvent]:
        ctx = info.context
        if not 1 <= first <= MAX_EVENTS:
            raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1–{MAX_EVENTS}.")
        service_ids: list[str] | None = None
        if organisation_id is not None:
            service_ids = reading.organisation_services(ctx.session, normalise_business_id(organisation_id))
        if service_id is not None:
            key = normalise_guid(service_id, "Service")
            service_ids = [key] if service_ids is None or key in service_ids else []
        rows = events.list_events(ctx.session, service_ids=service_ids, public_only=True, limit=first)
        question = reading.get_question(ctx.session, question_id)
        return with_impacts(ctx, rows, question, question.current_version, DEFAULT_IMPACT_DAYS, public_view=True)
